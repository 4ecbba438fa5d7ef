// The registrar's award queue (学位授予): learners' applications for a degree, diploma or
// certificate of the institution, checked against the degree audit, approved (the credits are then
// marked used in the ledger) or rejected with a reason; an award granted in error is withdrawn
// with a reason (the ledger postings are reversed).
import { useState } from 'react';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Drawer,
  Empty,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Skeleton,
  Space,
  Table,
  Typography,
  type ButtonProps,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, CloseOutlined, DownloadOutlined, EyeOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AwardStatus, AwardView } from '../../api/qualifications';
import { useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, formatDecimal } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useInstitutionScope } from '../institution/useInstitutionScope';
import { AuditPanel } from './AuditPanel';
import { AwardStatusTag, awardQueueKey, programmeLabel, ProgrammeName, useProgrammes } from './common';

type Filter = AwardStatus | 'all';
type Action = 'approve' | 'reject' | 'withdraw';

const FILTERS: Filter[] = ['applied', 'approved', 'rejected', 'withdrawn', 'all'];

/** Asks for confirmation (approve) or a reason (reject, withdraw), then takes the action. */
function ActionModal({ award, action, onClose }: { award: AwardView; action: Action; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason?: string }>();
  const act = useMutation({
    mutationFn: ({ reason }: { reason?: string }) =>
      action === 'approve'
        ? api.post('/awards/{id}/approve', { params: { id: award.id } })
        : api.post(`/awards/{id}/${action}`, { params: { id: award.id }, body: { reason: reason ?? '' } }),
    onSuccess: () => {
      void message.success(t(`qualification.queue.done.${action}`));
      void queryClient.invalidateQueries({ queryKey: ['qualifications'] });
      for (const key of ['account', 'ledger']) void queryClient.invalidateQueries({ queryKey: [key] });
      onClose();
    },
  });
  const needsReason = action !== 'approve';
  const submit = async () => {
    if (!needsReason) return act.mutate({});
    // an empty reason: the form shows what is wrong; nothing is sent
    const v = await form.validateFields().catch(() => null);
    if (v) act.mutate({ reason: v.reason?.trim() });
  };
  return (
    <Modal
      open
      title={t(`qualification.queue.actionTitle.${action}`)}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t(`qualification.queue.action.${action}`)}
      cancelText={t('common.cancel')}
      confirmLoading={act.isPending}
      okButtonProps={{ danger: action !== 'approve', 'data-testid': 'award-confirm' } as ButtonProps}
      destroyOnHidden
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <div>
          <Typography.Text strong>{award.learner.fullName}</Typography.Text>{' '}
          <Typography.Text type="secondary" className="cb-mono">
            {award.learner.accountNo}
          </Typography.Text>
        </div>
        <ProgrammeName p={award.programme} />
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t(`qualification.queue.actionHelp.${action}`, { credits: formatDecimal(award.credits), unit: t(`unitLabel.${award.unit}`) })}
        </Typography.Paragraph>
        {needsReason && (
          <Form form={form} layout="vertical" requiredMark="optional">
            <Form.Item
              name="reason"
              label={t('qualification.queue.reason')}
              rules={[
                { required: true, whitespace: true, message: t('qualification.queue.reasonRequired') },
                { min: 3, message: t('qualification.queue.reasonShort') },
              ]}
            >
              <Input.TextArea
                rows={4}
                maxLength={2000}
                showCount
                placeholder={t(`qualification.queue.reasonPlaceholder.${action}`)}
                data-testid="award-reason"
              />
            </Form.Item>
          </Form>
        )}
        {act.isError && <ErrorAlert error={act.error} title={t('qualification.queue.actionFailed')} />}
      </Space>
    </Modal>
  );
}

/** The learner's audit for the programme applied for, as the registrar sees it. */
function AuditDrawer({ award, onClose }: { award: AwardView; onClose: () => void }) {
  const { t } = useTranslation();
  const audit = useQuery({
    queryKey: ['qualifications', 'learner-audit', award.learner.id, award.programme.id],
    queryFn: ({ signal }) => api.get('/learners/{id}/audits', { params: { id: award.learner.id }, query: { programmes: award.programme.id }, signal }),
  });
  const a = audit.data?.audits[0];
  return (
    <Drawer open width={1000} onClose={onClose} title={t('qualification.queue.auditOf', { name: award.learner.fullName })} data-testid="award-audit-drawer">
      {audit.isPending && <Skeleton active paragraph={{ rows: 10 }} />}
      {audit.isError && <ErrorAlert error={audit.error} />}
      {a && <AuditPanel audit={a} countedTwice={[]} />}
    </Drawer>
  );
}

export function AwardQueuePage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const canDecide = Boolean(institutionId) && me.roles.some((r) => r.role === 'registrar' && r.institutionId === institutionId);
  const [filter, setFilter] = useState<Filter>('applied');
  const [acting, setActing] = useState<{ award: AwardView; action: Action } | null>(null);
  const [viewing, setViewing] = useState<AwardView | null>(null);

  const queue = useQuery({
    queryKey: awardQueueKey(institutionId ?? '', filter),
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/awards', { params: { id: institutionId ?? '' }, query: { status: filter }, signal }),
  });

  const columns: ColumnsType<AwardView> = [
    {
      title: t('qualification.queue.learner'),
      key: 'learner',
      width: 150,
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong data-testid="award-learner">
            {a.learner.fullName}
          </Typography.Text>
          <Typography.Text type="secondary" className="cb-mono cb-nowrap" style={{ fontSize: 12 }}>
            {a.learner.accountNo}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('qualification.programme'),
      key: 'programme',
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <ProgrammeName p={a.programme} showInstitution={false} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('qualification.audit.catalogueYear', { year: a.catalogueYear })}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('qualification.award.credits'),
      key: 'credits',
      align: 'right',
      width: 110,
      render: (_, a) => (
        <span className="cb-num cb-nowrap">
          {formatDecimal(a.credits)} <Typography.Text type="secondary">{t(`unitLabel.${a.unit}`)}</Typography.Text>
        </span>
      ),
    },
    {
      title: t('qualification.award.appliedAt'),
      dataIndex: 'appliedAt',
      width: 140,
      render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span>,
    },
    {
      title: t('qualification.award.status'),
      key: 'status',
      width: 170,
      render: (_, a) => (
        <Space direction="vertical" size={2}>
          <AwardStatusTag status={a.status} testId="award-row-status" />
          {a.decidedAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} className="cb-num">
              {formatDateTime(a.decidedAt)}
              {a.decidedBy ? ` · ${a.decidedBy}` : ''}
            </Typography.Text>
          )}
          {a.reason && (
            <Typography.Text style={{ fontSize: 12 }} data-testid="award-row-reason">
              {t('qualification.queue.reasonGiven', { reason: a.reason })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 250,
      render: (_, a) => (
        <Space wrap size={6}>
          <Button size="small" icon={<EyeOutlined />} onClick={() => setViewing(a)} data-testid="award-view-audit">
            {t('qualification.queue.viewAudit')}
          </Button>
          {canDecide && a.status === 'applied' && (
            <>
              <Button
                size="small"
                type="primary"
                icon={<CheckOutlined />}
                onClick={() => setActing({ award: a, action: 'approve' })}
                data-testid="award-approve"
              >
                {t('qualification.queue.action.approve')}
              </Button>
              <Button size="small" danger icon={<CloseOutlined />} onClick={() => setActing({ award: a, action: 'reject' })} data-testid="award-reject">
                {t('qualification.queue.action.reject')}
              </Button>
            </>
          )}
          {canDecide && a.status === 'approved' && (
            <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setActing({ award: a, action: 'withdraw' })} data-testid="award-withdraw">
              {t('qualification.queue.action.withdraw')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('qualification.nav.awards')} subtitle={t('qualification.queue.subtitle')} extra={picker} />
      <Card>
        <Segmented<Filter>
          style={{ marginBottom: 16 }}
          value={filter}
          onChange={setFilter}
          data-testid="award-filter"
          options={FILTERS.map((f) => ({ value: f, label: t(`qualification.queue.filter.${f}`) }))}
        />
        {!canDecide && institutionId && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('qualification.queue.readOnly')} />}
        {queue.isError && <ErrorAlert error={queue.error} style={{ marginBottom: 16 }} />}
        <Table<AwardView>
          data-testid="award-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={queue.data?.items ?? []}
          loading={queue.isPending && Boolean(institutionId)}
          pagination={{ defaultPageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          onRow={(a) => ({ 'data-testid': 'award-row', 'data-status': a.status, 'data-programme': a.programme.code }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`qualification.queue.empty.${filter}`)} /> }}
        />
      </Card>
      {institutionId && <CohortAuditCard institutionId={institutionId} />}
      {acting && <ActionModal award={acting.award} action={acting.action} onClose={() => setActing(null)} />}
      {viewing && <AuditDrawer award={viewing} onClose={() => setViewing(null)} />}
    </>
  );
}

/** Every learner of one of the institution's programmes audited, as a file for a graduation review. */
function CohortAuditCard({ institutionId }: { institutionId: string }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const programmes = (useProgrammes().data?.items ?? []).filter((p) => p.institution.id === institutionId && p.catalogueYears.length > 0);
  const [chosen, setChosen] = useState<string | null>(null);
  const programmeId = chosen ?? programmes[0]?.id ?? null;
  const url = (format: 'csv' | 'xlsx') => `/api/v1/programmes/${programmeId}/cohort-audit.${format}`;
  return (
    <Card title={t('qualification.queue.cohort.title')} style={{ marginTop: 16 }} data-testid="cohort-audit">
      <Typography.Paragraph type="secondary">{t('qualification.queue.cohort.help')}</Typography.Paragraph>
      <Space wrap>
        <Select
          style={{ width: 360, maxWidth: '100%' }}
          value={programmeId ?? undefined}
          onChange={setChosen}
          options={programmes.map((p) => ({ value: p.id, label: programmeLabel(lang, p) }))}
          aria-label={t('qualification.queue.cohort.programme')}
          data-testid="cohort-programme"
        />
        {(['csv', 'xlsx'] as const).map((f) => (
          <Button key={f} icon={<DownloadOutlined />} href={programmeId ? url(f) : undefined} disabled={!programmeId} download data-testid={`cohort-${f}`}>
            {t(`qualification.queue.cohort.${f}`)}
          </Button>
        ))}
      </Space>
    </Card>
  );
}
