// The bank administrators' queue of learners' erasure requests: approve (the erasure runs at once, the
// same as on the learner's Personal data tab) or decline with a reason the learner sees.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AdminErasureRequest, ErasureRequestStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';

const STATUSES: ErasureRequestStatus[] = ['open', 'approved', 'declined', 'withdrawn'];
const STATUS_COLORS: Record<ErasureRequestStatus, string> = { open: 'blue', approved: 'red', declined: 'orange', withdrawn: 'default' };
const NOTE_MAX = 2000;

type Deciding = { request: AdminErasureRequest; decision: 'approve' | 'decline' };

export function ErasureRequestsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<ErasureRequestStatus>('open');
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const [note, setNote] = useState('');
  const list = useQuery({
    queryKey: ['erasure-requests', status],
    queryFn: ({ signal }) => api.get('/erasure-requests', { query: { status }, signal }),
  });
  const decide = useMutation({
    mutationFn: (d: Deciding) =>
      api.post('/erasure-requests/{id}/decide', { params: { id: d.request.id }, body: { decision: d.decision, note: note.trim() || null } }),
    onSuccess: (_, d) => {
      setDeciding(null);
      setNote('');
      void message.success(t(d.decision === 'approve' ? 'erasure.admin.approved' : 'erasure.admin.declined'));
      void queryClient.invalidateQueries();
    },
  });
  const open = (request: AdminErasureRequest, decision: Deciding['decision']) => {
    decide.reset();
    setNote('');
    setDeciding({ request, decision });
  };

  const columns: ColumnsType<AdminErasureRequest> = [
    { title: t('erasure.admin.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    {
      title: t('erasure.admin.learner'),
      key: 'learner',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/institution/learners/${encodeURIComponent(r.learnerId)}`}>{r.learnerName}</Link>
          {r.accountNo && (
            <Typography.Text type="secondary" className="cb-mono">
              {r.accountNo}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('erasure.admin.reason'),
      dataIndex: 'reason',
      // an approved request's reason went with the rest of the learner's personal data
      render: (v: string | null, r) =>
        v ?? <Typography.Text type="secondary">{t(r.status === 'approved' ? 'erasure.admin.reasonErased' : 'erasure.admin.noReason')}</Typography.Text>,
    },
    {
      title: t('erasure.admin.status'),
      dataIndex: 'status',
      render: (s: ErasureRequestStatus) => <Tag color={STATUS_COLORS[s]}>{t(`erasure.status.${s}`)}</Tag>,
    },
    ...(status === 'open'
      ? []
      : [
          { title: t('erasure.admin.decidedAt'), dataIndex: 'decidedAt', render: (v: string | null) => formatDateTime(v) },
          { title: t('erasure.admin.note'), dataIndex: 'decisionNote', render: (v: string | null) => v ?? '' },
        ]),
    {
      key: 'actions',
      render: (_, r) =>
        r.status === 'open' ? (
          <Space>
            <Button size="small" danger onClick={() => open(r, 'approve')} data-testid="erasure-approve">
              {t('erasure.admin.approve')}
            </Button>
            <Button size="small" onClick={() => open(r, 'decline')} data-testid="erasure-decline">
              {t('erasure.admin.decline')}
            </Button>
          </Space>
        ) : null,
    },
  ];

  const approving = deciding?.decision === 'approve';
  return (
    <>
      <PageHeader title={t('erasure.admin.title')} subtitle={t('erasure.admin.subtitle')} />
      <Card data-testid="erasure-requests">
        <Segmented<ErasureRequestStatus>
          data-testid="erasure-status"
          value={status}
          onChange={(s) => setStatus(s)}
          options={STATUSES.map((s) => ({ value: s, label: t(`erasure.status.${s}`) }))}
          style={{ marginBottom: 16 }}
        />
        {list.isError && <ErrorAlert error={list.error} />}
        <Table<AdminErasureRequest>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isPending}
          locale={{ emptyText: t(status === 'open' ? 'erasure.admin.emptyOpen' : 'erasure.admin.empty') }}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Modal
        open={deciding !== null}
        width={600}
        title={approving ? t('erasure.admin.approveTitle') : t('erasure.admin.declineTitle')}
        okText={approving ? t('erasure.admin.approveConfirm') : t('erasure.admin.decline')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: approving, loading: decide.isPending, disabled: !approving && note.trim().length === 0 }}
        onOk={() => deciding && decide.mutate(deciding)}
        onCancel={() => setDeciding(null)}
      >
        <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="erasure-deciding">
          {deciding && (
            <Typography.Paragraph style={{ marginBottom: 0 }}>
              {t('erasure.admin.who', {
                name: deciding.request.learnerName,
                accountNo: deciding.request.accountNo ?? '—',
                at: formatDateTime(deciding.request.createdAt),
              })}
              {deciding.request.reason && (
                <>
                  <br />
                  <Typography.Text type="secondary">{t('erasure.yourReason', { reason: deciding.request.reason })}</Typography.Text>
                </>
              )}
            </Typography.Paragraph>
          )}
          {approving ? (
            <Alert type="warning" showIcon message={t('erasure.admin.approveWarning')} />
          ) : (
            <Typography.Text>{t('erasure.admin.declineHelp')}</Typography.Text>
          )}
          <Input.TextArea
            rows={3}
            maxLength={NOTE_MAX}
            placeholder={approving ? t('erasure.admin.notePlaceholder') : t('erasure.admin.declinePlaceholder')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="erasure-note"
          />
          {decide.isError && <ErrorAlert error={decide.error} />}
        </Space>
      </Modal>
    </>
  );
}
