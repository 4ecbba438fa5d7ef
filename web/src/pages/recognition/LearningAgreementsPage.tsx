import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Divider, Drawer, Empty, Form, Input, Row, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { LearningAgreement, NewLearningAgreement } from '../../api/recognition';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useInstitutions } from '../standards/present';
import { institutionLabel } from './common';
import {
  LA_KEY,
  LaRoute,
  LaStateTag,
  LinesEditor,
  laKey,
  laState,
  useMyLearningAgreements,
  waitingFor,
  waitingText,
  type LineValues,
} from './learningAgreement';

/** "2025-09-01 – 2026-01-31" */
export function periodText(t: (k: string, o?: Record<string, string>) => string, a: Pick<LearningAgreement, 'periodFrom' | 'periodTo'>) {
  return t('recognition.la.period', { from: formatDate(a.periodFrom), to: formatDate(a.periodTo) });
}

/** The learner's learning agreements for exchanges, and the way to propose one. */
export function LearningAgreementsPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const navigate = useNavigate();
  const list = useMyLearningAgreements();
  const [proposing, setProposing] = useState(false);
  const rows = useMemo(() => [...(list.data?.items ?? [])].sort((a, b) => b.periodFrom.localeCompare(a.periodFrom)), [list.data]);
  const open = (a: LearningAgreement) => navigate(`/learning-agreements/${encodeURIComponent(a.id)}`);

  const columns: ColumnsType<LearningAgreement> = [
    {
      title: t('recognition.la.col.exchange'),
      key: 'host',
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <Link to={`/learning-agreements/${encodeURIComponent(a.id)}`} onClick={(e) => e.stopPropagation()} data-testid="la-row-link">
            {localName(lang, a.hostInstitution.nameZh, a.hostInstitution.nameEn)}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <LaRoute a={a} />
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('recognition.la.col.period'), key: 'period', width: 220, render: (_, a) => <span className="cb-num">{periodText(t, a)}</span> },
    {
      title: t('recognition.la.col.lines'),
      key: 'lines',
      width: 160,
      render: (_, a) => t('recognition.la.lineCount', { count: (a.pending ?? a.current)?.lines.length ?? 0 }),
    },
    { title: t('recognition.la.col.state'), key: 'state', width: 170, render: (_, a) => <LaStateTag a={a} /> },
    {
      title: t('recognition.la.col.waiting'),
      key: 'waiting',
      render: (_, a) => {
        const parts = waitingFor(a.pending);
        if (parts.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
        return parts.includes('learner') ? (
          <Typography.Text strong style={{ color: '#d46b08' }} data-testid="la-row-yours">
            {t('recognition.la.waitingYou')}
          </Typography.Text>
        ) : (
          <span>{waitingText(t, a, parts)}</span>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title={t('recognition.la.title')}
        subtitle={t('recognition.la.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setProposing(true)} data-testid="la-propose">
            {t('recognition.la.propose')}
          </Button>
        }
      />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('recognition.la.howTitle')} description={t('recognition.la.how')} />
      <Card>
        {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />}
        <Table<LearningAgreement>
          data-testid="la-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 860 }}
          onRow={(a) =>
            ({
              onClick: () => open(a),
              style: { cursor: 'pointer' },
              'data-testid': 'la-row',
              'data-host': a.hostInstitution.code,
              'data-state': laState(a),
            }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recognition.la.empty')}>
                <Button type="primary" onClick={() => setProposing(true)}>
                  {t('recognition.la.propose')}
                </Button>
              </Empty>
            ),
          }}
        />
      </Card>
      {proposing && <ProposeDrawer onClose={() => setProposing(false)} onSaved={open} />}
    </>
  );
}

interface ProposeValues {
  homeInstitutionId?: string;
  hostInstitutionId?: string;
  periodFrom?: string;
  periodTo?: string;
  lines: LineValues[];
}

/** The form field a server path names: body.lines.0.hostCourseIds.1 → ['lines', 0, 'hostCourseIds']. */
export function lineField(path: string): (string | number)[] | null {
  const parts = path.replace(/^body\.?/, '').split('.');
  if (parts[0] === 'lines' && parts[1] !== undefined && /^\d+$/.test(parts[1]) && (parts[2] === 'hostCourseIds' || parts[2] === 'homeCourseIds'))
    return ['lines', Number(parts[1]), parts[2]];
  if (['homeInstitutionId', 'hostInstitutionId', 'periodFrom', 'periodTo', 'reason'].includes(parts[0] ?? '')) return [parts[0]!];
  return null;
}

/** Propose: home (one of my enrolments), host, period, lines. The learner accepts by proposing. */
function ProposeDrawer({ onClose, onSaved }: { onClose: () => void; onSaved: (a: LearningAgreement) => void }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ProposeValues>();
  const institutions = useInstitutions();
  const account = useQuery({ queryKey: ['account', '/me/account'], queryFn: ({ signal }) => api.get('/me/account', { signal }) });
  const homeId = Form.useWatch('homeInstitutionId', form);
  const hostId = Form.useWatch('hostInstitutionId', form);
  const enrolments = account.data?.enrolments ?? [];
  const home = institutions.data?.items.find((i) => i.id === homeId);
  const host = institutions.data?.items.find((i) => i.id === hostId);

  const save = useMutation({
    mutationFn: (v: ProposeValues) => {
      const body: NewLearningAgreement = {
        homeInstitutionId: v.homeInstitutionId!,
        hostInstitutionId: v.hostInstitutionId!,
        periodFrom: v.periodFrom!,
        periodTo: v.periodTo!,
        lines: v.lines.map((l) => ({ hostCourseIds: l.hostCourseIds, homeCourseIds: l.homeCourseIds })),
      };
      return api.post('/learning-agreements', { body });
    },
    onSuccess: (a) => {
      queryClient.setQueryData(laKey(a.id), a);
      void queryClient.invalidateQueries({ queryKey: LA_KEY });
      void message.success(t('recognition.la.proposed', { host: a.hostInstitution.code }));
      onSaved(a);
    },
    onError: (err) => {
      const errors = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
      const fields = errors
        .map((e) => ({ name: lineField(e.path), errors: [e.message] }))
        .filter((f): f is { name: (string | number)[]; errors: string[] } => f.name !== null);
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
    },
  });

  const required = { required: true, message: t('recognition.form.required') };
  const resetLines = () => form.setFieldValue('lines', [{ hostCourseIds: [], homeCourseIds: [] }]);

  return (
    <Drawer
      open
      onClose={onClose}
      width={860}
      title={t('recognition.la.proposeTitle')}
      rootClassName="cb-la-propose-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="la-submit">
            {t('recognition.la.proposeSubmit')}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('recognition.la.proposeHelp')} />
      {account.isError && <ErrorAlert error={account.error} style={{ marginBottom: 16 }} />}
      {save.isError && <ErrorAlert error={save.error} title={t('recognition.la.proposeFailed')} style={{ marginBottom: 16 }} />}
      <Form<ProposeValues>
        form={form}
        layout="vertical"
        initialValues={{
          homeInstitutionId: enrolments.length === 1 ? enrolments[0]!.institutionId : undefined,
          lines: [{ hostCourseIds: [], homeCourseIds: [] }],
        }}
        onFinish={(v) => save.mutate(v)}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="homeInstitutionId" label={t('recognition.la.field.home')} extra={t('recognition.la.field.homeHelp')} rules={[required]}>
              <Select
                loading={account.isPending}
                placeholder={t('recognition.la.field.homePlaceholder')}
                onChange={resetLines}
                options={enrolments.map((e) => ({
                  value: e.institutionId,
                  label: institutionLabel(lang, { code: e.institutionCode, nameZh: e.institutionNameZh, nameEn: e.institutionNameEn }),
                }))}
                data-testid="la-field-homeInstitutionId"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="hostInstitutionId"
              label={t('recognition.la.field.host')}
              extra={t('recognition.la.field.hostHelp')}
              dependencies={['homeInstitutionId']}
              rules={[
                required,
                ({ getFieldValue }) => ({
                  validator: (_, v?: string) =>
                    !v || v !== getFieldValue('homeInstitutionId') ? Promise.resolve() : Promise.reject(new Error(t('recognition.la.field.hostSame'))),
                }),
              ]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                loading={institutions.isPending}
                placeholder={t('recognition.la.field.hostPlaceholder')}
                onChange={resetLines}
                options={(institutions.data?.items ?? []).filter((i) => i.id !== homeId).map((i) => ({ value: i.id, label: institutionLabel(lang, i) }))}
                data-testid="la-field-hostInstitutionId"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="periodFrom" label={t('recognition.la.field.periodFrom')} rules={[required]}>
              <Input type="date" data-testid="la-field-periodFrom" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="periodTo"
              label={t('recognition.la.field.periodTo')}
              dependencies={['periodFrom']}
              rules={[
                required,
                ({ getFieldValue }) => ({
                  validator: (_, v?: string) =>
                    !v || v > String(getFieldValue('periodFrom') ?? '') ? Promise.resolve() : Promise.reject(new Error(t('recognition.form.toAfterFrom'))),
                }),
              ]}
            >
              <Input type="date" data-testid="la-field-periodTo" />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain>
          {t('recognition.la.linesTitle')}
        </Divider>
        <Typography.Paragraph type="secondary">{t('recognition.la.linesHelp', { host: host?.code ?? '—', home: home?.code ?? '—' })}</Typography.Paragraph>
        <LinesEditor homeId={homeId} hostId={hostId} homeCode={home?.code} hostCode={host?.code} />
      </Form>
    </Drawer>
  );
}
