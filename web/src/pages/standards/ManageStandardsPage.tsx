import { useMemo, useState, type ReactNode } from 'react';
import { App as AntApp, Button, Card, Empty, Form, Input, Modal, Popconfirm, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { BranchesOutlined, CheckCircleOutlined, DeleteOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Standard, StandardStatus } from '../../api/standards';
import { may, usePermissions } from '../../api/permissions';
import { useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { StandardDrawer, standardKey } from './StandardDrawer';
import { StandardFormDrawer, type FormMode } from './StandardFormDrawer';
import { StandardName, StatusTag, effectiveText } from './present';

/** `inForce`: the approved versions in force today (the public catalogue's query); `approved` also lists superseded and upcoming ones. */
type StatusFilter = StandardStatus | 'all' | 'inForce';

const STATUS_FILTERS: StatusFilter[] = ['all', 'inForce', 'draft', 'approved', 'retired'];

interface ActionFailure {
  title: string;
  error: unknown;
}

/** The committee's and administrators' work on the catalogue: draft, revise, approve, discard and retire standards. */
export function ManageStandardsPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  // approving a draft is the committee's (never the drafter's: the button stays, disabled, with why)
  const canApprove = may(usePermissions(me.id).data, 'standard.approve', { state: 'draft' });
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();

  const [status, setStatus] = useState<StatusFilter>('all');
  const [q, setQ] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const [form, setForm] = useState<{ mode: FormMode; key: number } | null>(null);
  const [retiring, setRetiring] = useState<Standard | null>(null);
  const [discarding, setDiscarding] = useState<Standard | null>(null);
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const [retireForm] = Form.useForm<{ reason: string }>();
  const [discardForm] = Form.useForm<{ reason: string }>();

  const standards = useQuery({
    queryKey: ['standards', 'manage', status, q],
    queryFn: ({ signal }) => api.get('/standards', { query: { status: status === 'inForce' ? undefined : status, q: q.trim() }, signal }),
  });
  const rows = useMemo(() => [...(standards.data?.items ?? [])].sort((a, b) => a.code.localeCompare(b.code) || b.version - a.version), [standards.data]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['standards'] });
  const openForm = (mode: FormMode) => {
    setFailure(null);
    setForm({ mode, key: Date.now() });
  };

  const approve = useMutation({
    mutationFn: (s: Standard) => api.post('/standards/{id}/approve', { params: { id: s.id } }),
    onMutate: () => setFailure(null),
    onSuccess: (s) => {
      void message.success(t('standards.manage.approved', { code: s.code, version: s.version, from: s.effectiveFrom.slice(0, 10) }));
      void refresh();
    },
    onError: (error) => setFailure({ title: t('standards.manage.approveFailed'), error }),
  });

  const retire = useMutation({
    mutationFn: ({ s, reason }: { s: Standard; reason: string }) => api.post('/standards/{id}/retire', { params: { id: s.id }, body: { reason } }),
    onSuccess: (s) => {
      setRetiring(null);
      void message.success(t('standards.manage.retired', { code: s.code, version: s.version }));
      void refresh();
    },
  });

  const discard = useMutation({
    mutationFn: ({ s, reason }: { s: Standard; reason: string }) => api.delete('/standards/{id}', { params: { id: s.id }, body: { reason } }),
    onSuccess: (_, { s }) => {
      setDiscarding(null);
      // The draft is gone: close the drawer that may show it and forget it.
      setOpenId(null);
      queryClient.removeQueries({ queryKey: standardKey(s.id) });
      void message.success(t('standards.manage.discarded', { code: s.code, version: s.version }));
      void refresh();
    },
  });

  const failureBox = failure && (
    <div data-testid="standards-action-error" style={{ marginBottom: 16 }}>
      <ErrorAlert error={failure.error} title={failure.title} />
    </div>
  );

  /** The buttons for one version, as its status allows. */
  const actionsFor = (s: Standard, size: 'small' | 'middle' = 'small'): ReactNode => (
    <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
      {s.status === 'draft' && (
        <Button size={size} icon={<EditOutlined />} onClick={() => openForm({ kind: 'edit', source: s })} data-testid="standard-edit">
          {t('standards.manage.edit')}
        </Button>
      )}
      {s.status === 'draft' &&
        (canApprove && s.draftedBy === me.id ? (
          // four eyes: whoever drafted or last edited a version does not approve it
          <Tooltip title={t('standards.manage.approveOwnDraft')}>
            <Button size={size} icon={<CheckCircleOutlined />} disabled data-testid="standard-approve">
              {t('standards.manage.approve')}
            </Button>
          </Tooltip>
        ) : canApprove ? (
          <Popconfirm
            title={t('standards.manage.approveConfirm', { code: s.code, version: s.version })}
            description={t('standards.manage.approveConfirmBody', { from: s.effectiveFrom.slice(0, 10) })}
            okText={t('standards.manage.approve')}
            cancelText={t('common.cancel')}
            okButtonProps={{ 'data-testid': 'standard-approve-confirm' }}
            onConfirm={() => approve.mutateAsync(s).catch(() => undefined)}
          >
            <Button
              size={size}
              type="primary"
              icon={<CheckCircleOutlined />}
              loading={approve.isPending && approve.variables?.id === s.id}
              data-testid="standard-approve"
            >
              {t('standards.manage.approve')}
            </Button>
          </Popconfirm>
        ) : (
          <Tooltip title={t('standards.manage.approveCommitteeOnly')}>
            <Button size={size} icon={<CheckCircleOutlined />} disabled data-testid="standard-approve">
              {t('standards.manage.approve')}
            </Button>
          </Tooltip>
        ))}
      {s.status === 'draft' && (
        <Button
          size={size}
          danger
          icon={<DeleteOutlined />}
          onClick={() => {
            setFailure(null);
            discard.reset();
            setDiscarding(s);
          }}
          data-testid="standard-discard"
        >
          {t('standards.manage.discard')}
        </Button>
      )}
      {s.status === 'approved' && (
        <Button size={size} icon={<BranchesOutlined />} onClick={() => openForm({ kind: 'version', source: s })} data-testid="standard-new-version">
          {t('standards.manage.newVersion')}
        </Button>
      )}
      {s.status === 'approved' && (
        <Button
          size={size}
          danger
          icon={<StopOutlined />}
          onClick={() => {
            setFailure(null);
            retire.reset();
            setRetiring(s);
          }}
          data-testid="standard-retire"
        >
          {t('standards.manage.retire')}
        </Button>
      )}
    </Space>
  );

  const columns: ColumnsType<Standard> = [
    { title: t('standards.col.name'), key: 'name', width: 280, render: (_, s) => <StandardName s={s} lang={lang} onOpen={() => setOpenId(s.id)} /> },
    { title: t('standards.col.status'), dataIndex: 'status', width: 110, render: (_: StandardStatus, s) => <StatusTag t={t} s={s} /> },
    { title: t('standards.col.kind'), dataIndex: 'outcomeKind', width: 140, render: (k: Standard['outcomeKind']) => t(`standards.kind.${k}`) },
    {
      title: t('standards.col.credits'),
      key: 'credits',
      width: 110,
      align: 'right',
      render: (_, s) => (
        <span className="cb-num cb-nowrap" data-testid="standard-credits">
          {formatDecimal(s.credits)} {t(`standards.unit.${s.unit}`)}
        </span>
      ),
    },
    {
      title: t('standards.col.institution'),
      key: 'institution',
      width: 90,
      render: (_, s) => (
        <Tooltip title={localName(lang, s.institution.nameZh, s.institution.nameEn)}>
          <span className="cb-mono">{s.institution.code}</span>
        </Tooltip>
      ),
    },
    { title: t('standards.col.effective'), key: 'effective', width: 180, render: (_, s) => effectiveText(t, s) },
    { title: t('common.actions'), key: 'actions', width: 230, render: (_, s) => actionsFor(s) },
  ];

  return (
    <>
      <PageHeader
        title={t('standards.manage.title')}
        subtitle={t('standards.manage.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => openForm({ kind: 'create' })} data-testid="standard-create">
            {t('standards.manage.create')}
          </Button>
        }
      />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          <Select<StatusFilter>
            style={{ width: 160 }}
            value={status}
            onChange={setStatus}
            aria-label={t('standards.col.status')}
            options={STATUS_FILTERS.map((s) => ({
              value: s,
              label: s === 'all' ? t('standards.manage.allStatuses') : s === 'inForce' ? t('standards.manage.inForce') : t(`standards.status.${s}`),
            }))}
            data-testid="standards-status-filter"
          />
          <Input.Search
            allowClear
            enterButton
            placeholder={t('standards.searchPlaceholder')}
            aria-label={t('standards.searchLabel')}
            style={{ width: 380, maxWidth: '100%' }}
            onSearch={(v) => setQ(v)}
            data-testid="standards-manage-search"
          />
          {!standards.isPending && <Typography.Text type="secondary">{t('standards.count', { count: rows.length })}</Typography.Text>}
        </Space>
        {!openId && !form && failureBox}
        {standards.isError && <ErrorAlert error={standards.error} style={{ marginBottom: 16 }} />}
        <Table<Standard>
          data-testid="standards-manage-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={standards.isPending}
          rowClassName={(s) => `cb-row-clickable${s.status === 'retired' ? ' cb-row-muted' : ''}`}
          onRow={(s) => ({ onClick: () => setOpenId(s.id) })}
          pagination={{ defaultPageSize: 50, hideOnSinglePage: true, showSizeChanger: true }}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('standards.manage.empty')} /> }}
        />
      </Card>

      <StandardDrawer id={openId} onClose={() => setOpenId(null)} canApply={false} actions={(s) => actionsFor(s, 'middle')} banner={form ? null : failureBox} />

      {form && (
        <StandardFormDrawer
          key={form.key}
          mode={form.mode}
          onClose={() => setForm(null)}
          onSaved={(s) => {
            setForm(null);
            void message.success(t('standards.manage.saved', { code: s.code, version: s.version }));
            void refresh();
            setOpenId(s.id);
          }}
        />
      )}

      <Modal
        open={Boolean(retiring)}
        title={retiring ? t('standards.manage.retireTitle', { code: retiring.code, version: retiring.version }) : ''}
        okText={t('standards.manage.retire')}
        okButtonProps={{ danger: true, loading: retire.isPending, 'data-testid': 'standard-retire-confirm' }}
        cancelText={t('common.cancel')}
        onCancel={() => setRetiring(null)}
        onOk={() => retireForm.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('standards.manage.retireHelp')}</Typography.Paragraph>
        {retire.isError && retiring && <ErrorAlert error={retire.error} title={t('standards.manage.retireFailed')} style={{ marginBottom: 16 }} />}
        <Form form={retireForm} layout="vertical" onFinish={({ reason }) => retiring && retire.mutate({ s: retiring, reason: reason.trim() })}>
          <Form.Item
            name="reason"
            label={t('standards.manage.retireReason')}
            rules={[{ required: true, whitespace: true, min: 3, message: t('standards.manage.retireReasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="standard-retire-reason" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={Boolean(discarding)}
        title={discarding ? t('standards.manage.discardTitle', { code: discarding.code, version: discarding.version }) : ''}
        okText={t('standards.manage.discard')}
        okButtonProps={{ danger: true, loading: discard.isPending, 'data-testid': 'standard-discard-confirm' }}
        cancelText={t('common.cancel')}
        onCancel={() => setDiscarding(null)}
        onOk={() => discardForm.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('standards.manage.discardHelp')}</Typography.Paragraph>
        {discard.isError && discarding && <ErrorAlert error={discard.error} title={t('standards.manage.discardFailed')} style={{ marginBottom: 16 }} />}
        <Form form={discardForm} layout="vertical" onFinish={({ reason }) => discarding && discard.mutate({ s: discarding, reason: reason.trim() })}>
          <Form.Item
            name="reason"
            label={t('standards.manage.discardReason')}
            rules={[{ required: true, whitespace: true, min: 3, message: t('standards.manage.retireReasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="standard-discard-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
