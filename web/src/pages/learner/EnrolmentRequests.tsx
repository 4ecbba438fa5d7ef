// Enrolments held back by an identity match: the learner answers an institution's request in their
// account; the registrar sees what they submitted and how it was answered.
import { App as AntApp, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ConflictStatus, EnrolmentRequest, HeldEnrolment } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate, formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

const STATUS_COLOR: Record<ConflictStatus, string> = { open: 'warning', same_person: 'success', different: 'default', declined: 'default' };

/** The learner's side: shown only while an institution is waiting on their answer. */
export function MyEnrolmentRequestsCard() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message, modal } = AntApp.useApp();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['my-enrolment-requests'], queryFn: ({ signal }) => api.get('/me/enrolment-requests', { signal }) });
  const answer = useMutation({
    mutationFn: (a: { id: string; decision: 'accept' | 'decline' }) =>
      api.post('/me/enrolment-requests/{id}', { params: { id: a.id }, body: { decision: a.decision } }),
    onSuccess: (r) => {
      void message.success(t(r.status === 'same_person' ? 'enrolmentRequests.accepted' : 'enrolmentRequests.declined'));
      void queryClient.invalidateQueries({ queryKey: ['my-enrolment-requests'] });
      void queryClient.invalidateQueries({ queryKey: ['account'] });
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: ['my-enrolment-requests'] }),
  });
  const items = list.data?.items ?? [];
  if (!list.isError && items.length === 0) return null;

  const confirm = (r: EnrolmentRequest, decision: 'accept' | 'decline') => {
    const institution = localName(lang, r.institution.nameZh, r.institution.nameEn);
    modal.confirm({
      title: t(`enrolmentRequests.confirm.${decision}Title`, { institution }),
      content: t(`enrolmentRequests.confirm.${decision}`, { institution, externalId: r.externalId }),
      okText: t(`enrolmentRequests.${decision}`),
      okButtonProps: { danger: decision === 'decline', 'data-testid': 'enrolment-request-confirm' } as ButtonProps,
      cancelText: t('common.cancel'),
      onOk: () => answer.mutateAsync({ id: r.id, decision }).catch(() => undefined),
    });
  };
  const columns: ColumnsType<EnrolmentRequest> = [
    { title: t('enrolmentRequests.institution'), key: 'institution', render: (_, r) => localName(lang, r.institution.nameZh, r.institution.nameEn) },
    { title: t('learners.studentNo'), dataIndex: 'externalId', render: (v: string) => <span className="cb-mono">{v}</span> },
    { title: t('enrolmentRequests.nameGiven'), dataIndex: 'fullName', render: (v: string | null) => v ?? '—' },
    { title: t('enrolmentRequests.asked'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space>
          <Button size="small" type="primary" onClick={() => confirm(r, 'accept')} data-testid="enrolment-request-accept">
            {t('enrolmentRequests.accept')}
          </Button>
          <Button size="small" danger onClick={() => confirm(r, 'decline')} data-testid="enrolment-request-decline">
            {t('enrolmentRequests.decline')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <Card title={t('enrolmentRequests.title')} data-testid="my-enrolment-requests">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('enrolmentRequests.help')}
        </Typography.Paragraph>
        {list.isError && <ErrorAlert error={list.error} />}
        {answer.isError && <ErrorAlert error={answer.error} />}
        <Table<EnrolmentRequest> rowKey="id" size="small" columns={columns} dataSource={items} pagination={false} scroll={{ x: 640 }} />
      </Space>
    </Card>
  );
}

/** The registrar's side: enrolments held because the document is on record under another name or birth date. */
export function HeldEnrolmentsCard({ institutionId }: { institutionId: string }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['held-enrolments', institutionId],
    queryFn: ({ signal }) => api.get('/institutions/{id}/held-enrolments', { params: { id: institutionId }, signal }),
  });
  const items = list.data?.items ?? [];
  if (!list.isError && items.length === 0) return null;
  const columns: ColumnsType<HeldEnrolment> = [
    { title: t('learners.studentNo'), dataIndex: 'externalId', render: (v: string) => <span className="cb-mono">{v}</span> },
    { title: t('learners.name'), dataIndex: 'fullName', render: (v: string | null) => v ?? '—' },
    { title: t('enrolmentRequests.submitted'), dataIndex: 'createdAt', render: (v: string) => formatDate(v) },
    {
      title: t('enrolmentRequests.state'),
      key: 'status',
      render: (_, h) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLOR[h.status]} bordered={false}>
            {t(`enrolmentRequests.status.${h.status}`)}
          </Tag>
          {h.resolvedAt && <Typography.Text type="secondary">{formatDate(h.resolvedAt)}</Typography.Text>}
        </Space>
      ),
    },
  ];
  return (
    <Card title={t('enrolmentRequests.heldTitle')} data-testid="held-enrolments">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('enrolmentRequests.heldHelp')}
        </Typography.Paragraph>
        {list.isError ? (
          <ErrorAlert error={list.error} />
        ) : (
          <Table<HeldEnrolment>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={items}
            pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
          />
        )}
      </Space>
    </Card>
  );
}
