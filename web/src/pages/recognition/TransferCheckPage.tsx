import { useMemo, useState } from 'react';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Grid,
  Input,
  Popover,
  Progress,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined, InfoCircleOutlined, SearchOutlined, SendOutlined, SwapRightOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Course } from '../../api/types';
import type { TransferCheckRequest, TransferCheckResult, Verdict } from '../../api/recognition';
import { hasRole, useMe } from '../../auth';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useInstitutions } from '../standards/present';
import { CourseMultiSelect, CourseName, GradeInput, VerdictTag, courseLabel, creditsText, institutionLabel, scaleHint, scaleOf, useProgrammes } from './common';
import { sumByUnit } from './credits';
import { gradeMethodText, gradeNoteText, reasonText } from './reasons';

interface Picked {
  grade?: string;
  completedOn?: string;
}

/** The suggested grade, and on click how it was reached: every overlapping candidate, the method, the caveat. */
function ConvertedGrade({ v }: { v: Verdict }) {
  const { t } = useTranslation();
  const g = v.convertedGrade;
  if (!g) return <Typography.Text type="secondary">{v.status === 'match' && !v.grade ? t('recognition.check.noGradeGiven') : '—'}</Typography.Text>;
  const top = Math.max(...g.candidates.map((c) => c.overlap), 0);
  const content = (
    <div style={{ width: 360, maxWidth: '80vw' }} data-testid="tc-grade-popover">
      <Typography.Paragraph style={{ marginBottom: 8 }}>{t('recognition.grade.from', { grade: v.grade ?? '—', converted: g.grade })}</Typography.Paragraph>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8, fontSize: 12 }}>
        {t('recognition.grade.method', { method: gradeMethodText(t, g.method) })}
      </Typography.Paragraph>
      {g.candidates.length > 0 && (
        <>
          <Typography.Text strong style={{ fontSize: 12 }}>
            {t('recognition.grade.candidates')}
          </Typography.Text>
          {g.candidates.map((c) => (
            <div key={c.label} style={{ display: 'grid', gridTemplateColumns: '48px 1fr 96px', gap: 8, alignItems: 'center' }}>
              <span className="cb-num" style={{ fontWeight: c.label === g.grade ? 600 : 400 }}>
                {c.label}
              </span>
              <Progress percent={top ? (c.overlap / top) * 100 : 0} showInfo={false} size="small" strokeColor={c.label === g.grade ? '#52c41a' : '#91caff'} />
              <span className="cb-num" style={{ fontSize: 12, textAlign: 'right' }}>
                {t('recognition.grade.overlap', { value: formatDecimal(c.overlap.toFixed(2)) })}
              </span>
            </div>
          ))}
        </>
      )}
      {g.note && <Alert type="warning" showIcon style={{ marginTop: 8 }} message={gradeNoteText(t, g.note)} />}
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
        {t('recognition.grade.confirmNote')}
      </Typography.Paragraph>
    </div>
  );
  return (
    <Popover content={content} title={t('recognition.grade.title')} trigger={['hover', 'click']}>
      <Button type="link" style={{ padding: 0, height: 'auto' }} data-testid="tc-grade">
        <span className="cb-num" style={{ fontWeight: 600 }}>
          {g.grade}
        </span>{' '}
        <InfoCircleOutlined />
      </Button>
    </Popover>
  );
}

/**
 * "能转吗？ / Will it transfer?": courses of one institution (or, signed in, the learner's own
 * account) against a target institution: Match, Maybe or Miss for each, and always why.
 */
export function TransferCheckPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [lang] = useLanguage();
  const screens = Grid.useBreakpoint();
  const wide = Boolean(screens.xl);
  const phone = screens.sm === false;
  const { message } = AntApp.useApp();
  const me = useMe();
  const signedIn = Boolean(me.data);
  const learner = Boolean(me.data && (hasRole(me.data, 'learner') || me.data.learnerId));
  const institutions = useInstitutions();
  const byId = useMemo(() => new Map((institutions.data?.items ?? []).map((i) => [i.id, i])), [institutions.data]);

  const [mine, setMine] = useState(false);
  const [sourceId, setSourceId] = useState<string | undefined>();
  const [courseIds, setCourseIds] = useState<string[]>([]);
  const [courses, setCourses] = useState<Map<string, Course>>(() => new Map());
  const [details, setDetails] = useState<Record<string, Picked>>({});
  const [targetId, setTargetId] = useState<string | undefined>();
  const [programmeId, setProgrammeId] = useState<string | undefined>();
  const programmes = useProgrammes(targetId);

  const source = sourceId ? byId.get(sourceId) : undefined;
  const scale = scaleOf(source);

  const check = useMutation({
    mutationFn: (body: TransferCheckRequest) => api.post('/transfer-checks', { body }),
  });
  const [asked, setAsked] = useState<TransferCheckRequest | null>(null);
  const [result, setResult] = useState<TransferCheckResult | null>(null);

  const run = (extra?: Partial<TransferCheckRequest>, body?: TransferCheckRequest) => {
    const req: TransferCheckRequest = body ?? {
      targetInstitutionId: targetId!,
      ...(programmeId ? { programmeId } : {}),
      ...(mine
        ? { mine: true }
        : {
            sourceInstitutionId: sourceId!,
            courses: courseIds.map((courseId) => ({
              courseId,
              ...(details[courseId]?.grade ? { grade: details[courseId]!.grade!.trim() } : {}),
              ...(details[courseId]?.completedOn ? { completedOn: details[courseId]!.completedOn } : {}),
            })),
          }),
    };
    const full = { ...req, ...extra };
    check.mutate(full, {
      onSuccess: (r) => {
        setAsked(req);
        setResult(r);
      },
    });
  };

  // Ask the target to evaluate one course: a check of that course alone, with requestEvaluation.
  const ask = useMutation({
    mutationFn: (v: Verdict) =>
      api.post('/transfer-checks', {
        body: {
          targetInstitutionId: result!.target.id,
          ...(asked?.programmeId ? { programmeId: asked.programmeId } : {}),
          sourceInstitutionId: v.sourceInstitution.id,
          courses: [{ courseId: v.course.id }],
          requestEvaluation: true,
        } satisfies TransferCheckRequest,
      }),
    onSuccess: (r, v) => {
      const fresh = r.items[0];
      if (!fresh || fresh.status !== 'maybe') {
        // decided in the meantime: check everything again
        if (asked) run(undefined, asked);
        return;
      }
      setResult(
        (prev) =>
          prev && {
            ...prev,
            items: prev.items.map((i) => (i.course.id === v.course.id && i.status === 'maybe' ? { ...i, evaluationTaskId: fresh.evaluationTaskId } : i)),
          },
      );
      void message.success(t('recognition.check.asked', { institution: result!.target.code }));
    },
    onError: (err) => void message.error(errorMessage(err)),
  });

  const ready = Boolean(targetId) && (mine || (Boolean(sourceId) && courseIds.length > 0));
  const items = result?.items ?? [];
  const counts = { match: 0, maybe: 0, miss: 0 };
  for (const v of items) counts[v.status] += 1;
  const totals = sumByUnit(items.filter((v) => v.status === 'match'));
  // a Maybe under a matched equivalence is a grade for the registrar to decide (a Pass on a graded
  // scale), not a course to evaluate
  const toEvaluate = (v: Verdict) => v.status === 'maybe' && v.equivalenceId === null;
  const unasked = items.filter((v) => toEvaluate(v) && !v.evaluationTaskId).length;
  const severalSources = new Set(items.map((v) => v.sourceInstitution.id)).size > 1 || Boolean(asked?.mine);

  const institutionOptions = (exclude?: string) =>
    (institutions.data?.items ?? []).filter((i) => i.id !== exclude).map((i) => ({ value: i.id, label: institutionLabel(lang, i) }));

  const columns: ColumnsType<Verdict> = [
    {
      title: t('recognition.check.col.course'),
      key: 'course',
      width: 220,
      render: (_, v) => {
        const unit = byId.get(v.sourceInstitution.id)?.creditSystem?.unit;
        const bits = [
          severalSources ? v.sourceInstitution.code : null,
          creditsText(t, v.course.credits, unit),
          v.grade ? t('recognition.check.gradeGiven', { grade: v.grade }) : null,
        ].filter(Boolean);
        return <CourseName c={v.course} extra={bits.join(' · ')} />;
      },
    },
    { title: t('recognition.check.col.verdict'), key: 'status', width: 96, render: (_, v) => <VerdictTag status={v.status} /> },
    {
      title: t('recognition.check.col.becomes'),
      key: 'becomes',
      width: 190,
      render: (_, v) => {
        if (!v.target) return <Typography.Text type="secondary">—</Typography.Text>;
        if (v.target.kind === 'elective')
          return (
            <Space direction="vertical" size={0} data-testid="tc-becomes">
              <span>
                <Tag color="blue" bordered={false} style={{ marginInlineEnd: 4 }}>
                  {t('recognition.elective')}
                </Tag>
                {v.target.category}
              </span>
            </Space>
          );
        return (
          <Space direction="vertical" size={2} data-testid="tc-becomes">
            {v.target.courses.map((c) => (
              <CourseName key={c.id} c={c} />
            ))}
          </Space>
        );
      },
    },
    {
      title: t('recognition.check.col.credits'),
      key: 'credits',
      width: 96,
      align: 'right',
      render: (_, v) =>
        // a many-to-one rule counts its credits once, on one of its source courses
        v.credits !== null && v.status === 'match' && Number(v.credits) === 0 && /^together with /.test(v.reason ?? '') ? (
          <Tooltip title={t('recognition.check.countedOnceHelp')}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="tc-credits">
              {t('recognition.check.countedOnce')}
            </Typography.Text>
          </Tooltip>
        ) : v.credits !== null ? (
          <span className="cb-nowrap" data-testid="tc-credits">
            <Typography.Text strong className="cb-num" style={{ fontSize: 16, color: '#237804' }}>
              {formatDecimal(v.credits)}
            </Typography.Text>{' '}
            <Typography.Text type="secondary">{v.unit ? t(`unitLabel.${v.unit}`) : ''}</Typography.Text>
          </span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: t('recognition.check.col.grade'), key: 'grade', width: 72, render: (_, v) => <ConvertedGrade v={v} /> },
    {
      title: t('recognition.check.col.agreement'),
      key: 'agreement',
      width: 124,
      render: (_, v) =>
        v.agreement ? (
          <Tooltip title={localName(lang, v.agreement.titleZh, v.agreement.titleEn)}>
            <Space direction="vertical" size={0}>
              <span className="cb-mono">{v.agreement.code}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', maxWidth: 108 }} ellipsis>
                {localName(lang, v.agreement.titleZh, v.agreement.titleEn)}
              </Typography.Text>
            </Space>
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">{t('recognition.check.noAgreement')}</Typography.Text>
        ),
    },
    {
      // the rest of the width: the reason wraps
      title: t('recognition.check.col.why'),
      key: 'why',
      render: (_, v) => {
        const why = reasonText(t, v) ?? (v.status === 'match' ? t('recognition.reason.matched') : null);
        return (
          <Space direction="vertical" size={4} data-testid="tc-reason" style={{ overflowWrap: 'anywhere', maxWidth: '100%' }}>
            {why && <span>{why}</span>}
            {v.publicNote && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('recognition.check.note', { note: v.publicNote })}
              </Typography.Text>
            )}
            {v.status === 'maybe' && !toEvaluate(v) && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="tc-grade-decided">
                {t('recognition.check.gradeDecided', { institution: result?.target.code ?? '' })}
              </Typography.Text>
            )}
            {toEvaluate(v) &&
              (v.evaluationTaskId ? (
                <Tag color="processing" bordered={false} data-testid="tc-eval-requested">
                  {t('recognition.check.waitingEvaluation', { institution: result?.target.code ?? '' })}
                </Tag>
              ) : signedIn ? (
                <Button
                  size="small"
                  icon={<SendOutlined />}
                  loading={ask.isPending && ask.variables?.course.id === v.course.id}
                  onClick={() => ask.mutate(v)}
                  data-testid="tc-request-eval"
                >
                  {t('recognition.check.askEvaluation')}
                </Button>
              ) : (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  <Link to="/login" state={{ from: '/transfer-check' }}>
                    {t('recognition.check.signInToAsk')}
                  </Link>
                </Typography.Text>
              ))}
          </Space>
        );
      },
    },
  ];

  const pickedRows = courseIds.map((id) => ({ id, course: courses.get(id) }));

  return (
    <>
      <PageHeader title={t('recognition.check.title')} subtitle={t('recognition.check.subtitle')} />
      <Card style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('recognition.check.intro')}
        </Typography.Paragraph>
        <Row gutter={[32, 16]}>
          <Col xs={24} lg={14}>
            <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('recognition.check.fromTitle')}
              </Typography.Title>
              {learner && (
                <Space size={8}>
                  <Switch checked={mine} onChange={setMine} data-testid="tc-mine" />
                  <span>{t('recognition.check.useMine')}</span>
                </Space>
              )}
            </Space>
            {mine ? (
              <Alert type="info" showIcon message={t('recognition.check.mineHelp')} />
            ) : (
              <Form layout="vertical" requiredMark={false}>
                <Form.Item label={t('recognition.check.source')} style={{ marginBottom: 12 }}>
                  <Select
                    aria-label={t('recognition.check.source')}
                    showSearch
                    optionFilterProp="label"
                    placeholder={t('recognition.check.sourcePlaceholder')}
                    loading={institutions.isPending}
                    value={sourceId}
                    onChange={(id: string) => {
                      setSourceId(id);
                      setCourseIds([]);
                      setDetails({});
                      if (id === targetId) setTargetId(undefined);
                    }}
                    options={institutionOptions()}
                    data-testid="tc-source"
                  />
                </Form.Item>
                <Form.Item label={t('recognition.check.courses')} extra={t('recognition.check.coursesHelp')} style={{ marginBottom: 12 }}>
                  <CourseMultiSelect
                    aria-label={t('recognition.check.courses')}
                    key={sourceId ?? 'none'}
                    institutionId={sourceId}
                    value={courseIds}
                    max={200}
                    onChange={setCourseIds}
                    onPicked={(picked) =>
                      setCourses((prev) => {
                        const next = new Map(prev);
                        for (const c of picked) next.set(c.id, c);
                        return next;
                      })
                    }
                    testId="tc-courses"
                  />
                </Form.Item>
                {pickedRows.length > 0 && (
                  <Table
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={pickedRows}
                    data-testid="tc-picked"
                    onRow={(r) => ({ 'data-course': r.course?.code }) as React.HTMLAttributes<HTMLElement>}
                    columns={[
                      { title: t('recognition.check.col.course'), key: 'c', render: (_, r) => (r.course ? courseLabel(lang, r.course) : r.id) },
                      {
                        title: (
                          <Tooltip title={scale ? t('recognition.check.gradeHelp', { scale: scaleHint(t, lang, scale) }) : undefined}>
                            {t('recognition.check.grade')} <InfoCircleOutlined />
                          </Tooltip>
                        ),
                        key: 'g',
                        width: 150,
                        render: (_, r) => (
                          <GradeInput
                            scale={scale}
                            value={details[r.id]?.grade}
                            placeholder={t('recognition.check.gradeOptional')}
                            onChange={(grade) => setDetails((d) => ({ ...d, [r.id]: { ...d[r.id], grade } }))}
                            style={{ width: '100%' }}
                            testId="tc-picked-grade"
                          />
                        ),
                      },
                      {
                        title: t('recognition.check.completedOn'),
                        key: 'd',
                        width: 160,
                        render: (_, r) => (
                          <Input
                            type="date"
                            value={details[r.id]?.completedOn ?? ''}
                            onChange={(e) => setDetails((d) => ({ ...d, [r.id]: { ...d[r.id], completedOn: e.target.value || undefined } }))}
                            data-testid="tc-picked-date"
                          />
                        ),
                      },
                      {
                        key: 'x',
                        width: 40,
                        render: (_, r) => (
                          <Button
                            type="text"
                            icon={<DeleteOutlined />}
                            aria-label={t('recognition.remove')}
                            onClick={() => setCourseIds((ids) => ids.filter((i) => i !== r.id))}
                          />
                        ),
                      },
                    ]}
                  />
                )}
              </Form>
            )}
          </Col>
          <Col xs={24} lg={10}>
            <Typography.Title level={5} style={{ margin: '0 0 8px' }}>
              {t('recognition.check.toTitle')}
            </Typography.Title>
            <Form layout="vertical" requiredMark={false}>
              <Form.Item label={t('recognition.check.target')} style={{ marginBottom: 12 }}>
                <Select
                  aria-label={t('recognition.check.target')}
                  showSearch
                  optionFilterProp="label"
                  placeholder={t('recognition.check.targetPlaceholder')}
                  loading={institutions.isPending}
                  value={targetId}
                  onChange={(id: string) => {
                    setTargetId(id);
                    setProgrammeId(undefined);
                  }}
                  options={institutionOptions(mine ? undefined : sourceId)}
                  data-testid="tc-target"
                />
              </Form.Item>
              <Form.Item label={t('recognition.check.programme')} extra={t('recognition.check.programmeHelp')} style={{ marginBottom: 16 }}>
                <Select
                  aria-label={t('recognition.check.programme')}
                  allowClear
                  disabled={!targetId}
                  placeholder={t('recognition.check.programmePlaceholder')}
                  loading={programmes.isFetching}
                  value={programmeId}
                  onChange={(id?: string) => setProgrammeId(id)}
                  options={(programmes.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${localName(lang, p.titleZh, p.titleEn)}` }))}
                  data-testid="tc-programme"
                />
              </Form.Item>
              <Tooltip title={ready ? undefined : t('recognition.check.notReady')}>
                <Button
                  type="primary"
                  size="large"
                  icon={<SearchOutlined />}
                  disabled={!ready}
                  loading={check.isPending}
                  onClick={() => run()}
                  data-testid="tc-run"
                  block
                >
                  {t('recognition.check.run')}
                </Button>
              </Tooltip>
            </Form>
          </Col>
        </Row>
      </Card>

      {check.isError && <ErrorAlert error={check.error} title={t('recognition.check.failed')} style={{ marginBottom: 16 }} />}
      {result && (
        <Card
          data-testid="tc-results"
          title={
            <Space wrap>
              <span>{t('recognition.check.resultsTitle')}</span>
              <SwapRightOutlined />
              <span>{institutionLabel(lang, result.target)}</span>
            </Space>
          }
          extra={phone ? undefined : <Typography.Text type="secondary">{t('recognition.check.on', { date: result.on })}</Typography.Text>}
        >
          {phone && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
              {t('recognition.check.on', { date: result.on })}
            </Typography.Paragraph>
          )}
          <Space size={[24, 8]} wrap style={{ marginBottom: 16 }} data-testid="tc-summary">
            <span>
              <VerdictTag status="match" /> <Typography.Text strong>{t('recognition.check.countCourses', { count: counts.match })}</Typography.Text>
              {totals.length > 0 && <Typography.Text type="secondary"> · {totals.map((x) => creditsText(t, x.total, x.unit)).join(' + ')}</Typography.Text>}
            </span>
            <span>
              <VerdictTag status="maybe" /> <Typography.Text strong>{t('recognition.check.countCourses', { count: counts.maybe })}</Typography.Text>
            </span>
            <span>
              <VerdictTag status="miss" /> <Typography.Text strong>{t('recognition.check.countCourses', { count: counts.miss })}</Typography.Text>
            </span>
            {signedIn && unasked > 1 && asked && (
              <Button
                icon={<SendOutlined />}
                onClick={() => run({ requestEvaluation: true }, asked)}
                loading={check.isPending}
                data-testid="tc-request-eval-all"
              >
                {t('recognition.check.askAll', { count: unasked })}
              </Button>
            )}
          </Space>
          <Table<Verdict>
            rowKey={(v) => `${v.outcomeId ?? ''}:${v.course.id}:${v.grade ?? ''}`}
            size="middle"
            columns={columns}
            dataSource={items}
            pagination={items.length > 50 ? { defaultPageSize: 50, hideOnSinglePage: true } : false}
            tableLayout="fixed"
            // the whole table fits a laptop beside the menu; narrower, it scrolls sideways with its
            // header and scrollbar kept in view (not 23 rows below)
            scroll={wide ? undefined : { x: 1100 }}
            sticky={wide ? undefined : { offsetHeader: 56 }}
            onRow={(v) => ({ 'data-testid': 'tc-row', 'data-status': v.status, 'data-course': v.course.code }) as React.HTMLAttributes<HTMLElement>}
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(asked?.mine ? 'recognition.check.emptyMine' : 'recognition.check.empty')} />
              ),
            }}
          />
          <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 12 }}>
            {t('recognition.check.disclaimer')}
          </Typography.Paragraph>
        </Card>
      )}
    </>
  );
}
