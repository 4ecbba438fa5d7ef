import { useMemo, useState } from 'react';
import { Card, Empty, Segmented, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { TransferApplication } from '../../api/transfers';
import { useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { useInstitutions } from '../standards/present';
import { useInstitutionScope } from '../institution/useInstitutionScope';
import { ProposalCounts, TransferStatusTag, grantedText, lineSummary, totalsText } from './common';
import { TransferPolicyCard } from './TransferPolicyCard';

type Filter = 'submitted' | 'decided' | 'all';

export const queueKey = (institutionId: string, status: Filter) => ['transfers', 'queue', institutionId, status] as const;

/** Whether the user is a registrar of the institution (reviewers only look). */
export function useIsRegistrarOf(institutionId: string | null | undefined): boolean {
  const me = useCurrentUser();
  return Boolean(institutionId) && me.roles.some((r) => r.role === 'registrar' && r.institutionId === institutionId);
}

/** Transfer applications into the registrar's institution: waiting ones first, oldest first. */
export function TransferQueuePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const canDecide = useIsRegistrarOf(institutionId);
  const [filter, setFilter] = useState<Filter>('submitted');
  const institutions = useInstitutions();
  const unit = institutions.data?.items.find((i) => i.id === institutionId)?.creditSystem?.unit;

  const queue = useQuery({
    queryKey: queueKey(institutionId ?? '', filter),
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/transfers', { params: { id: institutionId ?? '' }, query: { status: filter }, signal }),
  });
  const rows = useMemo(
    () =>
      [...(queue.data?.items ?? [])].sort((a, b) =>
        a.status === 'submitted' ? a.createdAt.localeCompare(b.createdAt) : b.createdAt.localeCompare(a.createdAt),
      ),
    [queue.data],
  );
  const path = (a: TransferApplication) => `/institution/transfers/${encodeURIComponent(a.id)}`;

  const columns: ColumnsType<TransferApplication> = [
    {
      title: t('transfer.field.learner'),
      key: 'learner',
      render: (_, a) => (
        <Link to={path(a)} onClick={(e) => e.stopPropagation()} data-testid="transfer-queue-link">
          {a.learnerName}
        </Link>
      ),
    },
    {
      title: t('transfer.field.from'),
      key: 'from',
      render: (_, a) => <span className="cb-mono">{[...new Set(a.lines.map((l) => l.sourceInstitution.code))].join(', ')}</span>,
    },
    { title: t('transfer.field.submittedAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span> },
    {
      title: t('transfer.field.courses'),
      key: 'lines',
      render: (_, a) => (
        <Space direction="vertical" size={2}>
          <span>
            {t('transfer.summary.courses', { count: a.lines.length })}
            {a.status !== 'submitted' && <> · {lineSummary(t, a.lines)}</>}
          </span>
          <ProposalCounts lines={a.lines} />
        </Space>
      ),
    },
    {
      title: t('transfer.field.proposed'),
      key: 'proposed',
      align: 'right',
      render: (_, a) => (
        <span className="cb-num cb-nowrap">
          {totalsText(
            t,
            a.lines.filter((l) => l.proposal.status === 'match').map((l) => l.proposal),
          )}
        </span>
      ),
    },
    {
      title: t('transfer.field.status'),
      dataIndex: 'status',
      width: 110,
      render: (_, a) => <TransferStatusTag status={a.status} testId="transfer-queue-status" />,
    },
    {
      title: t('transfer.field.granted'),
      key: 'granted',
      align: 'right',
      render: (_, a) =>
        a.status === 'submitted' ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <span className="cb-num cb-amount-plus cb-nowrap">{grantedText(t, a)}</span>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('transfer.nav.queue')} subtitle={t('transfer.queue.subtitle')} extra={picker} />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <Segmented<Filter>
            style={{ marginBottom: 16 }}
            value={filter}
            onChange={setFilter}
            data-testid="transfer-queue-filter"
            options={(['submitted', 'decided', 'all'] as const).map((f) => ({ value: f, label: t(`transfer.queue.filter.${f}`) }))}
          />
          {queue.isError && <ErrorAlert error={queue.error} style={{ marginBottom: 16 }} />}
          <Table<TransferApplication>
            data-testid="transfer-queue-table"
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={rows}
            loading={queue.isPending && Boolean(institutionId)}
            pagination={{ defaultPageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 1000 }}
            onRow={(a) =>
              ({
                onClick: () => navigate(path(a)),
                style: { cursor: 'pointer' },
                'data-testid': 'transfer-queue-row',
                'data-status': a.status,
              }) as React.HTMLAttributes<HTMLElement>
            }
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`transfer.queue.empty.${filter}`)} /> }}
          />
        </Card>
        {institutionId && <TransferPolicyCard institutionId={institutionId} unit={unit} canEdit={canDecide} />}
      </Space>
    </>
  );
}
