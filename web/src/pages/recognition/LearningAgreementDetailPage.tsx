import { useMemo, useState } from 'react';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
  type ButtonProps,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowLeftOutlined, CheckCircleFilled, CheckOutlined, ClockCircleOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { LA_PARTS, type LearningAgreement, type LearningAgreementChange, type LearningAgreementVersion } from '../../api/recognition';
import { useCurrentUser } from '../../auth';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { institutionLabel } from './common';
import { lineField, periodText } from './LearningAgreementsPage';
import {
  Acceptances,
  LA_KEY,
  LaStateTag,
  LinesEditor,
  VersionLines,
  knownCourses,
  laKey,
  laState,
  lineKey,
  myParts,
  partName,
  useLearningAgreement,
  waitingFor,
  waitingText,
  type LineValues,
} from './learningAgreement';

/**
 * One learning agreement: the version that binds beside the change waiting for acceptance, who
 * accepted each and when; the learner and the two registrars accept, or propose a change.
 */
export function LearningAgreementDetailPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { id } = useParams<{ id: string }>();
  const q = useLearningAgreement(id);
  const [changing, setChanging] = useState(false);

  const updated = (a: LearningAgreement) => {
    queryClient.setQueryData(laKey(a.id), a);
    void queryClient.invalidateQueries({ queryKey: LA_KEY, predicate: (query) => query.queryKey[1] !== 'one' });
  };

  const accept = useMutation({
    mutationFn: (version: number) => api.post('/learning-agreements/{id}/accept', { params: { id: id ?? '' }, body: { version } }),
    onSuccess: (a) => {
      updated(a);
      const waiting = waitingFor(a.pending);
      void message.success(
        a.pending
          ? t('recognition.la.acceptedWaiting', { who: waitingText(t, a, waiting, myParts(me, a)) })
          : t('recognition.la.nowBinding', { version: a.current?.version ?? 0 }),
      );
    },
    onError: (err) => void message.error(errorMessage(err)),
  });

  if (q.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const a = q.data;
  const parts = myParts(me, a);
  const isLearner = parts.includes('learner');
  const pending = a.pending;
  const current = a.current;
  const toAccept = pending ? parts.filter((p) => !pending.accepted[p]) : [];
  const waiting = waitingFor(pending);
  const state = laState(a);
  const canChange = a.status === 'active' && parts.length > 0 && !pending && Boolean(current);
  const host = localName(lang, a.hostInstitution.nameZh, a.hostInstitution.nameEn);
  const backTo = isLearner || parts.length === 0 ? '/learning-agreements' : '/institution/learning-agreements';
  const asWhom = toAccept.map((p) => t(`recognition.la.part.${p}`)).join(t('recognition.la.listSeparator'));

  const acceptButton = pending && toAccept.length > 0 && (
    <Popconfirm
      title={t('recognition.la.acceptTitle', { version: pending.version })}
      description={<div style={{ maxWidth: 360 }}>{t('recognition.la.acceptHelp', { as: asWhom })}</div>}
      okText={t('recognition.la.accept')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'la-accept-confirm' } as ButtonProps}
      onConfirm={() => accept.mutate(pending.version)}
    >
      <Button type="primary" icon={<CheckOutlined />} loading={accept.isPending} data-testid="la-accept">
        {t('recognition.la.acceptAs', { version: pending.version, as: asWhom })}
      </Button>
    </Popconfirm>
  );
  const changeButton = canChange && (
    <Button icon={<EditOutlined />} onClick={() => setChanging(true)} data-testid="la-change">
      {t('recognition.la.change')}
    </Button>
  );

  // What the situation is, in one sentence, and what (if anything) the reader is to do.
  let situation: React.ReactNode = null;
  if (state === 'proposed' && pending) {
    situation = (
      <Alert
        type="warning"
        showIcon
        data-testid="la-situation"
        message={t('recognition.la.situation.proposed', { who: waitingText(t, a, waiting, parts) })}
        action={acceptButton}
        description={toAccept.length > 0 ? t('recognition.la.situation.yourTurn') : t('recognition.la.situation.proposedHelp')}
      />
    );
  } else if (state === 'changing' && pending && current) {
    situation = (
      <Alert
        type="info"
        showIcon
        data-testid="la-situation"
        message={t('recognition.la.situation.changing', { pending: pending.version, current: current.version, who: waitingText(t, a, waiting, parts) })}
        action={acceptButton}
        description={toAccept.length > 0 ? t('recognition.la.situation.yourTurn') : t('recognition.la.situation.changingHelp', { current: current.version })}
      />
    );
  } else if (state === 'binding' && current) {
    situation = (
      <Alert
        type="success"
        showIcon
        data-testid="la-situation"
        message={t('recognition.la.situation.binding', { version: current.version })}
        description={t('recognition.la.situation.bindingHelp', { home: a.homeInstitution.code })}
      />
    );
  }

  const currentKeys = new Set((current?.lines ?? []).map(lineKey));
  const pendingKeys = new Set((pending?.lines ?? []).map(lineKey));
  const both = Boolean(current && pending);

  return (
    <>
      <PageHeader
        title={t('recognition.la.detailTitle', { host })}
        subtitle={`${a.learnerName} · ${periodText(t, a)}`}
        extra={
          <Link to={backTo} data-testid="la-back">
            <ArrowLeftOutlined /> {t('recognition.la.back')}
          </Link>
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="la-summary">
            <Descriptions.Item label={t('recognition.la.part.learner')}>{a.learnerName}</Descriptions.Item>
            <Descriptions.Item label={t('recognition.la.part.home')}>{institutionLabel(lang, a.homeInstitution)}</Descriptions.Item>
            <Descriptions.Item label={t('recognition.la.part.host')}>{institutionLabel(lang, a.hostInstitution)}</Descriptions.Item>
            <Descriptions.Item label={t('recognition.la.col.period')}>
              <span className="cb-num">{periodText(t, a)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('recognition.la.col.state')}>
              <LaStateTag a={a} />
            </Descriptions.Item>
            {parts.length > 0 && !isLearner && (
              <Descriptions.Item label={t('recognition.la.youAre')}>
                {parts.map((p) => partName(t, a, p)).join(t('recognition.la.listSeparator'))}
              </Descriptions.Item>
            )}
          </Descriptions>
          {situation && <div style={{ marginTop: 12 }}>{situation}</div>}
        </Card>

        <Row gutter={16} align="stretch">
          {current && (
            <Col xs={24} xl={both ? 12 : 24}>
              <VersionCard
                a={a}
                v={current}
                testId="la-current"
                title={t('recognition.la.currentTitle', { version: current.version })}
                tag={
                  <Tag color="success" bordered={false}>
                    {t('recognition.la.bindingTag')}
                  </Tag>
                }
                mark={pending ? { others: pendingKeys, tag: 'dropped' } : undefined}
                extra={!pending ? changeButton : null}
              />
            </Col>
          )}
          {pending && (
            <Col xs={24} xl={both ? 12 : 24}>
              <VersionCard
                a={a}
                v={pending}
                testId="la-pending"
                title={
                  current ? t('recognition.la.pendingTitle', { version: pending.version }) : t('recognition.la.proposalTitle', { version: pending.version })
                }
                tag={
                  <Tag color="gold" bordered={false}>
                    {t('recognition.la.notBindingTag')}
                  </Tag>
                }
                mark={current ? { others: currentKeys, tag: 'added' } : undefined}
              />
            </Col>
          )}
        </Row>

        {a.versions.length > 1 && <HistoryCard a={a} />}
      </Space>
      {changing && current && <ChangeDrawer a={a} from={current} onClose={() => setChanging(false)} onSaved={updated} />}
    </>
  );
}

function VersionCard({
  a,
  v,
  title,
  tag,
  mark,
  extra,
  testId,
}: {
  a: LearningAgreement;
  v: LearningAgreementVersion;
  title: string;
  tag: React.ReactNode;
  mark?: { others: Set<string>; tag: 'added' | 'dropped' };
  extra?: React.ReactNode;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Card
      data-testid={testId}
      data-version={v.version}
      style={{ height: '100%' }}
      title={
        <Space size={8}>
          <span>{title}</span>
          {tag}
        </Space>
      }
      extra={extra}
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        {v.reason && (
          <div data-testid={`${testId}-reason`}>
            <Typography.Text type="secondary">{t('recognition.la.reason')}</Typography.Text>
            <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{v.reason}</Typography.Paragraph>
          </div>
        )}
        <div>
          <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 4 }}>
            {t('recognition.la.acceptances')}
          </Typography.Text>
          <Acceptances a={a} version={v} />
        </div>
        <VersionLines a={a} version={v} mark={mark} testId={`${testId}-lines`} />
      </Space>
    </Card>
  );
}

/** Every version: what changed and why, who accepted, which one binds. */
function HistoryCard({ a }: { a: LearningAgreement }) {
  const { t } = useTranslation();
  const rows = [...a.versions].reverse();
  const columns: ColumnsType<LearningAgreementVersion> = [
    { title: t('recognition.la.col.version'), dataIndex: 'version', width: 80, render: (n: number) => <span className="cb-num">v{n}</span> },
    {
      title: t('recognition.la.col.status'),
      key: 'status',
      width: 140,
      render: (_, v) =>
        v.version === a.current?.version ? (
          <Tag color="success" bordered={false}>
            {t('recognition.la.bindingTag')}
          </Tag>
        ) : v.version === a.pending?.version ? (
          <Tag color="gold" bordered={false}>
            {t('recognition.la.notBindingTag')}
          </Tag>
        ) : (
          <Tag bordered={false}>{t('recognition.la.supersededTag')}</Tag>
        ),
    },
    { title: t('recognition.la.col.lines'), key: 'lines', width: 120, render: (_, v) => t('recognition.la.lineCount', { count: v.lines.length }) },
    {
      title: t('recognition.la.reason'),
      dataIndex: 'reason',
      render: (r: string | null) => r ?? <Typography.Text type="secondary">{t('recognition.la.firstVersion')}</Typography.Text>,
    },
    {
      title: t('recognition.la.acceptances'),
      key: 'accepted',
      width: 300,
      render: (_, v) => (
        <Space size={12} wrap>
          {LA_PARTS.map((p) => (
            <span key={p} title={v.accepted[p] ? formatDateTime(v.accepted[p]) : undefined}>
              {v.accepted[p] ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <ClockCircleOutlined style={{ color: '#faad14' }} />} {partName(t, a, p)}
            </span>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <Card title={t('recognition.la.historyTitle')} size="small">
      <Table<LearningAgreementVersion> data-testid="la-history" rowKey="version" size="small" columns={columns} dataSource={rows} pagination={false} />
    </Card>
  );
}

interface ChangeValues {
  lines: LineValues[];
  reason: string;
}

/** A change: the lines as they would be, and why. It binds once all three accept. */
function ChangeDrawer({
  a,
  from,
  onClose,
  onSaved,
}: {
  a: LearningAgreement;
  from: LearningAgreementVersion;
  onClose: () => void;
  onSaved: (a: LearningAgreement) => void;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ChangeValues>();
  const known = useMemo(() => knownCourses(lang, a), [lang, a]);
  const save = useMutation({
    mutationFn: (v: ChangeValues) => {
      const body: LearningAgreementChange = {
        lines: v.lines.map((l) => ({ hostCourseIds: l.hostCourseIds, homeCourseIds: l.homeCourseIds })),
        reason: v.reason.trim(),
      };
      return api.post('/learning-agreements/{id}/changes', { params: { id: a.id }, body });
    },
    onSuccess: (next) => {
      onSaved(next);
      void message.success(t('recognition.la.changeProposed', { version: next.pending?.version ?? 0 }));
      onClose();
    },
    onError: (err) => {
      const errors = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
      const fields = errors
        .map((e) => ({ name: lineField(e.path), errors: [e.message] }))
        .filter((f): f is { name: (string | number)[]; errors: string[] } => f.name !== null);
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
    },
  });
  return (
    <Drawer
      open
      onClose={onClose}
      width={860}
      title={t('recognition.la.changeTitle', { version: from.version })}
      rootClassName="cb-la-change-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="la-submit">
            {t('recognition.la.changeSubmit')}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('recognition.la.changeHelp', { version: from.version })} />
      {save.isError && <ErrorAlert error={save.error} title={t('recognition.la.changeFailed')} style={{ marginBottom: 16 }} />}
      <Form<ChangeValues>
        form={form}
        layout="vertical"
        initialValues={{
          lines: from.lines.map((l) => ({ hostCourseIds: l.hostCourses.map((c) => c.id), homeCourseIds: l.homeCourses.map((c) => c.id) })),
          reason: '',
        }}
        onFinish={(v) => save.mutate(v)}
        scrollToFirstError
      >
        <LinesEditor
          homeId={a.homeInstitution.id}
          hostId={a.hostInstitution.id}
          homeCode={a.homeInstitution.code}
          hostCode={a.hostInstitution.code}
          known={known}
        />
        <Form.Item
          name="reason"
          label={t('recognition.la.reason')}
          extra={t('recognition.la.reasonHelp')}
          style={{ marginTop: 16 }}
          rules={[
            { required: true, whitespace: true, message: t('recognition.reasonRequired') },
            { min: 3, message: t('recognition.reasonShort') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid="la-change-reason" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
