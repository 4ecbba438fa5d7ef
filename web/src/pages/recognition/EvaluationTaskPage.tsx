import { useMemo, useState } from 'react';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
  type ButtonProps,
} from 'antd';
import { ArrowLeftOutlined, CheckOutlined, CloseOutlined, SearchOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Candidate, TaskDecision } from '../../api/recognition';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { eqfLevelText, iscedText, useInstitutions } from '../standards/present';
import { CourseMultiSelect, GradeInput, TaskStatusTag, courseLabel, creditsText, institutionLabel, scaleHint, scaleOf, today } from './common';
import { useTasks } from './EvaluationsPage';

type Decision = { kind: 'match'; candidate: Candidate | null } | { kind: 'elective' } | { kind: 'no_match' };

interface DecisionValues {
  courseIds?: string[];
  category?: string;
  iscedCode?: string;
  effectiveFrom: string;
  minGrade?: string;
  maxYears?: number | null;
  publicNote?: string;
  privateNote?: string;
  reason?: string;
}

const taskKey = (id: string) => ['evaluation-task', id] as const;

/** Learning outcomes, in the UI language first and the other underneath when it says something else. */
function Outcomes({ zh, en, rows = 0 }: { zh: string; en: string; rows?: number }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const first = lang === 'en' ? en || zh : zh || en;
  const second = lang === 'en' ? (en ? zh : '') : zh ? en : '';
  if (!first) return <Typography.Text type="secondary">{t('recognition.task.noOutcomes')}</Typography.Text>;
  const para = (text: string, secondary?: boolean) =>
    rows ? (
      <Typography.Paragraph
        className="cb-outcomes-text"
        type={secondary ? 'secondary' : undefined}
        style={{ fontSize: secondary ? 12 : undefined }}
        ellipsis={{ rows, expandable: true, symbol: t('recognition.task.more') }}
      >
        {text}
      </Typography.Paragraph>
    ) : (
      <Typography.Paragraph
        className="cb-outcomes-text"
        type={secondary ? 'secondary' : undefined}
        style={{ fontSize: secondary ? 12 : undefined, marginBottom: 8 }}
      >
        {text}
      </Typography.Paragraph>
    );
  return (
    <>
      {para(first)}
      {second && second !== first && para(second, true)}
    </>
  );
}

/**
 * One evaluation task: the course to evaluate beside the target catalogue's likeliest equivalents
 * (BM25 over titles and learning outcomes), so an evaluator decides in seconds.
 */
export function EvaluationTaskPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const institutions = useInstitutions();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [form] = Form.useForm<DecisionValues>();

  const task = useQuery({
    queryKey: taskKey(id),
    queryFn: ({ signal }) => api.get('/evaluation-tasks/{id}', { params: { id }, signal }),
  });
  const detail = task.data;
  const targetId = detail?.targetInstitution.id ?? null;
  const queue = useTasks(targetId, 'open');
  const next = (queue.data?.items ?? []).filter((x) => x.id !== id).sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];

  // A new rule applies to courses completed from the agreement's start, when an agreement is in force.
  const agreements = useQuery({
    queryKey: ['agreements', targetId],
    enabled: Boolean(targetId),
    queryFn: ({ signal }) => api.get('/agreements', { query: { institutionId: targetId }, signal }),
  });
  const agreement = (agreements.data?.items ?? []).find((a) => a.status === 'in_force' && a.parties.some((p) => p.id === detail?.sourceInstitution.id));
  const defaultFrom = agreement && agreement.validFrom < today() ? agreement.validFrom : today();

  const byId = useMemo(() => new Map((institutions.data?.items ?? []).map((i) => [i.id, i])), [institutions.data]);
  const source = detail ? byId.get(detail.sourceInstitution.id) : undefined;
  const target = detail ? byId.get(detail.targetInstitution.id) : undefined;
  const scale = scaleOf(source);
  const top = Math.max(0, ...(detail?.candidates ?? []).map((c) => c.score));

  const decide = useMutation({
    mutationFn: (body: TaskDecision) => api.post('/evaluation-tasks/{id}/decide', { params: { id }, body }),
    onSuccess: (d) => {
      queryClient.setQueryData(taskKey(id), d);
      for (const key of ['evaluation-tasks', 'equivalences']) void queryClient.invalidateQueries({ queryKey: [key] });
      setDecision(null);
      void message.success(t(d.status === 'match' ? 'recognition.task.doneMatch' : 'recognition.task.doneNoMatch'));
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 409) void queryClient.invalidateQueries({ queryKey: taskKey(id) });
    },
  });

  const openDecision = (d: Decision) => {
    decide.reset();
    setDecision(d);
  };

  if (task.isPending) return <Spin style={{ display: 'block', margin: '64px auto' }} />;
  if (task.isError) return <ErrorAlert error={task.error} />;
  if (!detail) return <Result status="404" />;

  const c = detail.sourceCourse;
  const decided = detail.status !== 'open';

  const submit = async () => {
    const v = await form.validateFields();
    if (!decision) return;
    if (decision.kind === 'no_match') {
      decide.mutate({ decision: 'no_match', reason: (v.reason ?? '').trim() });
      return;
    }
    decide.mutate({
      decision: 'match',
      target:
        decision.kind === 'match'
          ? { kind: 'courses', courseIds: v.courseIds ?? [] }
          : { kind: 'elective', category: (v.category ?? '').trim(), iscedCode: v.iscedCode?.trim() || null },
      minGrade: v.minGrade?.trim() || null,
      maxYears: v.maxYears ?? null,
      effectiveFrom: v.effectiveFrom,
      publicNote: (v.publicNote ?? '').trim(),
      privateNote: (v.privateNote ?? '').trim(),
    });
  };

  const decisionTitle =
    decision?.kind === 'match'
      ? decision.candidate
        ? t('recognition.task.confirmMatch', { course: courseLabel(lang, decision.candidate) })
        : t('recognition.task.confirmMatchOther')
      : decision?.kind === 'elective'
        ? t('recognition.task.confirmElective')
        : t('recognition.task.confirmNoMatch');

  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            <span>{t('recognition.task.pageTitle', { course: courseLabel(lang, c) })}</span>
            <TaskStatusTag status={detail.status} />
          </Space>
        }
        subtitle={t('recognition.task.pageSubtitle', {
          source: institutionLabel(lang, detail.sourceInstitution),
          target: institutionLabel(lang, detail.targetInstitution),
          at: formatDateTime(detail.createdAt),
        })}
        extra={
          <Space>
            <Link to="/institution/evaluations">
              <Button icon={<ArrowLeftOutlined />}>{t('recognition.task.backToQueue')}</Button>
            </Link>
            {next && (
              <Button icon={<RightOutlined />} onClick={() => navigate(`/institution/evaluations/${encodeURIComponent(next.id)}`)} data-testid="ev-next">
                {t('recognition.task.next')}
              </Button>
            )}
          </Space>
        }
      />
      {decided && (
        <Alert
          type={detail.status === 'match' ? 'success' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="ev-decided"
          message={
            detail.status === 'match'
              ? t('recognition.task.decidedMatch', { at: formatDateTime(detail.decidedAt) })
              : t('recognition.task.decidedNoMatch', { at: formatDateTime(detail.decidedAt) })
          }
          description={detail.status === 'match' ? <Link to="/institution/equivalences">{t('recognition.task.seeEquivalences')}</Link> : detail.reason}
        />
      )}
      <Row gutter={16} align="top">
        <Col xs={24} lg={10}>
          <Card
            title={t('recognition.task.sourceTitle')}
            style={{ position: 'sticky', top: 72 }}
            data-testid="ev-source"
            actions={
              decided
                ? undefined
                : [
                    <Button key="elective" type="text" icon={<PlusOutlined />} onClick={() => openDecision({ kind: 'elective' })} data-testid="ev-elective">
                      {t('recognition.task.elective')}
                    </Button>,
                    <Button
                      key="other"
                      type="text"
                      icon={<SearchOutlined />}
                      onClick={() => openDecision({ kind: 'match', candidate: null })}
                      data-testid="ev-match-other"
                    >
                      {t('recognition.task.matchOther')}
                    </Button>,
                    <Button key="no" type="text" danger icon={<CloseOutlined />} onClick={() => openDecision({ kind: 'no_match' })} data-testid="ev-no-match">
                      {t('recognition.task.noMatch')}
                    </Button>,
                  ]
            }
          >
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              <span className="cb-mono">{c.code}</span> {localName(lang, c.titleZh, c.titleEn)}
            </Typography.Title>
            <Typography.Text type="secondary">{lang === 'en' ? c.titleZh : c.titleEn}</Typography.Text>
            <Descriptions size="small" column={2} style={{ margin: '12px 0' }}>
              <Descriptions.Item label={t('recognition.task.institution')} span={2}>
                {institutionLabel(lang, detail.sourceInstitution)}
              </Descriptions.Item>
              <Descriptions.Item label={t('recognition.task.credits')}>{creditsText(t, c.credits, source?.creditSystem?.unit)}</Descriptions.Item>
              <Descriptions.Item label={t('recognition.task.hours')}>
                <span className="cb-num">{c.hours}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('recognition.task.isced')}>{iscedText(t, c.iscedCode)}</Descriptions.Item>
              <Descriptions.Item label={t('recognition.task.level')}>{eqfLevelText(c.level, lang)}</Descriptions.Item>
            </Descriptions>
            <Typography.Text strong>{t('recognition.task.outcomes')}</Typography.Text>
            <div style={{ marginTop: 4 }} data-testid="ev-source-outcomes">
              <Outcomes zh={c.outcomesZh} en={c.outcomesEn} />
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            title={t('recognition.task.candidatesTitle', { institution: detail.targetInstitution.code })}
            extra={
              <Tooltip title={t('recognition.task.scoreHelp')}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('recognition.task.rankedBy')}
                </Typography.Text>
              </Tooltip>
            }
            styles={{ body: { padding: 12 } }}
          >
            {detail.candidates.length === 0 && <Empty description={t('recognition.task.noCandidates')} />}
            <Space direction="vertical" size={12} style={{ width: '100%' }}>
              {detail.candidates.map((k, i) => {
                const sameField = k.iscedCode === c.iscedCode ? 'green' : k.iscedCode.slice(0, 2) === c.iscedCode.slice(0, 2) ? 'blue' : undefined;
                return (
                  <Card
                    key={k.id}
                    size="small"
                    data-testid="ev-candidate"
                    data-code={k.code}
                    data-rank={i + 1}
                    style={i === 0 ? { borderColor: '#91caff' } : undefined}
                  >
                    <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}>
                      <Typography.Text type="secondary" className="cb-num" style={{ fontSize: 18, fontWeight: 600, minWidth: 28 }}>
                        #{i + 1}
                      </Typography.Text>
                      <div style={{ flex: 1, minWidth: 0 }}>
                        <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}>
                          <div style={{ flex: 1, minWidth: 0 }}>
                            <Typography.Text strong>
                              <span className="cb-mono">{k.code}</span> {localName(lang, k.titleZh, k.titleEn)}
                            </Typography.Text>
                            <br />
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {creditsText(t, k.credits, target?.creditSystem?.unit)} · {t('recognition.task.hoursShort', { hours: k.hours })} ·{' '}
                            </Typography.Text>
                            <Tag bordered={false} color={sameField} style={{ fontSize: 12, whiteSpace: 'normal' }}>
                              {iscedText(t, k.iscedCode)}
                            </Tag>
                          </div>
                          {!decided && (
                            <Button
                              type="primary"
                              icon={<CheckOutlined />}
                              onClick={() => openDecision({ kind: 'match', candidate: k })}
                              data-testid="ev-match"
                            >
                              {t('recognition.task.match')}
                            </Button>
                          )}
                        </div>
                        <Tooltip title={t('recognition.task.score', { score: k.score })}>
                          <div style={{ display: 'flex', alignItems: 'center', gap: 8, margin: '4px 0' }} data-testid="ev-score">
                            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                              {t('recognition.task.similarity')}
                            </Typography.Text>
                            <Progress
                              percent={top ? Math.round((k.score / top) * 100) : 0}
                              status="normal"
                              size="small"
                              format={() => k.score.toFixed(2)}
                              strokeColor={i === 0 ? '#1677ff' : '#91caff'}
                              style={{ margin: 0, flex: 1 }}
                            />
                          </div>
                        </Tooltip>
                        <Outcomes zh={k.outcomesZh} en={k.outcomesEn} rows={3} />
                      </div>
                    </div>
                  </Card>
                );
              })}
            </Space>
          </Card>
        </Col>
      </Row>

      <Modal
        open={decision !== null}
        title={decisionTitle}
        onCancel={() => setDecision(null)}
        onOk={() => void submit()}
        okText={decision?.kind === 'no_match' ? t('recognition.task.noMatch') : t('recognition.task.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={decide.isPending}
        okButtonProps={{ danger: decision?.kind === 'no_match', 'data-testid': 'ev-confirm' } as ButtonProps}
        destroyOnHidden
        width={560}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{
            effectiveFrom: defaultFrom,
            courseIds: decision?.kind === 'match' && decision.candidate ? [decision.candidate.id] : [],
            iscedCode: c.iscedCode,
            maxYears: null,
          }}
        >
          {decision?.kind === 'no_match' ? (
            <>
              <Typography.Paragraph type="secondary">{t('recognition.task.noMatchHelp')}</Typography.Paragraph>
              <Form.Item
                name="reason"
                label={t('recognition.task.reason')}
                rules={[
                  { required: true, whitespace: true, message: t('recognition.reasonRequired') },
                  { min: 3, message: t('recognition.reasonShort') },
                ]}
              >
                <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('recognition.task.reasonPlaceholder')} data-testid="ev-reason" />
              </Form.Item>
            </>
          ) : (
            <>
              {decision?.kind === 'match' && (
                <Form.Item
                  name="courseIds"
                  label={t('recognition.task.targetCourses')}
                  extra={t('recognition.task.targetCoursesHelp')}
                  rules={[{ type: 'array', min: 1, message: t('recognition.equivalence.field.targetCoursesRequired') }]}
                >
                  <CourseMultiSelect
                    institutionId={detail.targetInstitution.id}
                    max={10}
                    known={new Map(detail.candidates.map((k) => [k.id, courseLabel(lang, k)]))}
                    testId="ev-target-courses"
                  />
                </Form.Item>
              )}
              {decision?.kind === 'elective' && (
                <Row gutter={12}>
                  <Col span={16}>
                    <Form.Item
                      name="category"
                      label={t('recognition.equivalence.field.category')}
                      rules={[{ required: true, whitespace: true, message: t('recognition.form.required') }, { max: 80 }]}
                    >
                      <Input placeholder={t('recognition.equivalence.field.categoryPlaceholder')} data-testid="ev-category" />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item
                      name="iscedCode"
                      label={t('recognition.equivalence.field.iscedCode')}
                      rules={[{ pattern: /^\d{2}(\d{1,2})?$/, message: t('recognition.form.iscedInvalid') }]}
                    >
                      <Input className="cb-mono" data-testid="ev-isced" />
                    </Form.Item>
                  </Col>
                </Row>
              )}
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item
                    name="effectiveFrom"
                    label={t('recognition.equivalence.field.effectiveFrom')}
                    extra={
                      agreement && defaultFrom === agreement.validFrom
                        ? t('recognition.task.effectiveFromAgreement', { code: agreement.code })
                        : t('recognition.equivalence.field.effectiveFromHelp')
                    }
                    rules={[{ required: true, message: t('recognition.form.required') }]}
                  >
                    <Input type="date" data-testid="ev-effective-from" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="minGrade"
                    label={t('recognition.equivalence.field.minGrade')}
                    extra={scale ? t('recognition.equivalence.field.minGradeHelp', { scale: scaleHint(t, lang, scale) }) : undefined}
                  >
                    <GradeInput scale={scale} placeholder={t('recognition.equivalence.field.anyPass')} testId="ev-min-grade" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="maxYears" label={t('recognition.equivalence.field.maxYears')}>
                    <InputNumber
                      min={1}
                      max={60}
                      precision={0}
                      style={{ width: '100%' }}
                      placeholder={t('recognition.equivalence.field.noLimit')}
                      data-testid="ev-max-years"
                    />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item
                    name="publicNote"
                    label={t('recognition.equivalence.field.publicNote')}
                    tooltip={t('recognition.equivalence.field.publicNoteHelp')}
                    rules={[{ max: 2000 }]}
                  >
                    <Input.TextArea rows={2} data-testid="ev-public-note" />
                  </Form.Item>
                </Col>
              </Row>
            </>
          )}
        </Form>
        {decide.isError && <ErrorAlert error={decide.error} title={t('recognition.actionFailed')} />}
      </Modal>
    </>
  );
}
