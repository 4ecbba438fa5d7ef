import { useMemo, useState } from 'react';
import { Card, Empty, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckCircleOutlined, CloseCircleOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useCurrentUser } from '../../auth';
import { StatusTag, useCredits, useFormatDuration, useNow, useStandardName } from './common';
import { certificationKey } from './EvidencePanel';
import { OPEN_STATUSES, type Application } from './types';

type Scope = 'reviewer' | 'committee';
type Filter = 'open' | 'decided' | 'all';
const PAGE_SIZE = 50;

function useQueue(scope: Scope, status: Filter) {
  return useInfiniteQuery({
    queryKey: ['certification-queue', scope, status],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => api.get('/certifications', { query: { scope, status, limit: PAGE_SIZE, cursor: pageParam }, signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Shared columns: who, what, in which state, for how long. */
function useBaseColumns(): ColumnsType<Application> {
  const { t } = useTranslation();
  const standardName = useStandardName();
  const formatDuration = useFormatDuration();
  const now = useNow();
  return useMemo(
    () => [
      {
        title: t('certification.queue.learner'),
        key: 'learner',
        render: (_, a) => (
          <Space direction="vertical" size={0}>
            <span data-testid="cert-queue-learner">{a.learnerName}</span>
            <Typography.Text type="secondary" className="cb-mono" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {a.accountNo}
            </Typography.Text>
          </Space>
        ),
      },
      {
        title: t('certification.queue.application'),
        key: 'title',
        render: (_, a) => (
          <Space direction="vertical" size={0}>
            <Link to={`/certifications/${encodeURIComponent(a.id)}`} onClick={(e) => e.stopPropagation()} data-testid="cert-queue-link">
              {a.title}
            </Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {standardName(a)}
              {a.certificateNo && (
                <>
                  {' '}
                  · <span className="cb-mono">{a.certificateNo}</span>
                </>
              )}
            </Typography.Text>
          </Space>
        ),
      },
      { title: t('certification.field.status'), dataIndex: 'status', render: (_, a) => <StatusTag status={a.status} testId="cert-queue-status" /> },
      {
        title: t('certification.queue.waiting'),
        key: 'waiting',
        sorter: (a, b) => a.waitingSince.localeCompare(b.waitingSince),
        render: (_, a) =>
          OPEN_STATUSES.includes(a.status) ? (
            <Space direction="vertical" size={0}>
              <span data-testid="cert-queue-waiting">{formatDuration(now - new Date(a.waitingSince).getTime())}</span>
              <Typography.Text type="secondary" className="cb-num" style={{ fontSize: 12 }}>
                {t('certification.queue.since', { at: formatDateTime(a.waitingSince) })}
              </Typography.Text>
            </Space>
          ) : (
            <Typography.Text type="secondary" className="cb-num">
              {t('certification.queue.decided', { at: formatDateTime(a.decidedAt ?? a.updatedAt) })}
            </Typography.Text>
          ),
      },
      {
        title: t('certification.queue.evidence'),
        dataIndex: 'evidenceCount',
        align: 'center',
        render: (n: number) => (
          <Tooltip title={t('certification.queue.evidenceHelp', { count: n })}>
            <span className="cb-num" data-testid="cert-queue-evidence">
              <PaperClipOutlined /> {n}
            </span>
          </Tooltip>
        ),
      },
    ],
    [t, standardName, formatDuration, now],
  );
}

function QueueTable({
  scope,
  columns,
  filter,
  setFilter,
}: {
  scope: Scope;
  columns: ColumnsType<Application>;
  filter: Filter;
  setFilter: (f: Filter) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queue = useQueue(scope, filter);
  const rows = queue.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card>
      <Segmented<Filter>
        style={{ marginBottom: 16 }}
        value={filter}
        onChange={setFilter}
        data-testid="cert-queue-filter"
        options={(['open', 'decided', 'all'] as const).map((f) => ({ value: f, label: t(`certification.queue.filter.${f}`) }))}
      />
      {queue.isError && <ErrorAlert error={queue.error} style={{ marginBottom: 16 }} />}
      <Table<Application>
        data-testid="cert-queue-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={queue.isPending}
        pagination={false}
        scroll={{ x: 1000 }}
        onRow={(a) => ({ onClick: () => navigate(`/certifications/${encodeURIComponent(a.id)}`), style: { cursor: 'pointer' } })}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`certification.queue.empty.${filter}`)} /> }}
      />
      <LoadMore
        shown={rows.length}
        hasMore={Boolean(queue.hasNextPage)}
        loading={queue.isFetchingNextPage}
        onLoad={() => void queue.fetchNextPage()}
        testId="cert-queue-load-more"
      />
    </Card>
  );
}

/** The institution reviewer's queue: applications under its standards, oldest waiting first. */
export function ReviewQueuePage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  // Reviewers at one institution need not be told which it is on every row.
  const several = me.roles.some((r) => r.role === 'admin') || new Set(me.roles.filter((r) => r.role === 'reviewer').map((r) => r.institutionId)).size > 1;
  const [filter, setFilter] = useState<Filter>('open');
  const base = useBaseColumns();
  const columns: ColumnsType<Application> = useMemo(
    () =>
      several
        ? [
            ...base,
            {
              title: t('certification.field.institution'),
              key: 'institution',
              render: (_, a) =>
                a.institution ? <Tooltip title={a.institution.code}>{localName(lang, a.institution.nameZh, a.institution.nameEn)}</Tooltip> : '—',
            },
          ]
        : base,
    [base, t, lang, several],
  );
  return (
    <>
      <PageHeader title={t('certification.nav.review')} subtitle={t('certification.queue.reviewerSubtitle')} />
      <QueueTable scope="reviewer" columns={columns} filter={filter} setFilter={setFilter} />
    </>
  );
}

/** The expert committee: individual assessments and appeals, with the votes so far. */
export function CommitteePage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('open');
  const base = useBaseColumns();
  const credits = useCredits();
  // The queue lists applications without their votes: read each open one's tally from its detail.
  const queue = useQueue('committee', filter);
  const openIds = (queue.data?.pages.flatMap((p) => p.items) ?? []).filter((a) => a.status === 'committee' || a.status === 'appealed').map((a) => a.id);
  const details = useQueries({
    queries: openIds.map((id) => ({
      queryKey: certificationKey(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get('/certifications/{id}', { params: { id }, signal }),
      staleTime: 10_000,
    })),
  });
  const votesOf = new Map(details.flatMap((d) => (d.data ? [[d.data.id, d.data.votes] as const] : [])));

  const columns: ColumnsType<Application> = [
    ...base.slice(0, 2),
    {
      title: t('certification.queue.stage'),
      key: 'stage',
      render: (_, a) =>
        a.appealed || a.status === 'appealed' ? (
          <Tag color="magenta" bordered={false}>
            {t('certification.queue.stageAppeal')}
          </Tag>
        ) : (
          <Tag color="purple" bordered={false}>
            {t('certification.queue.stageAssessment')}
          </Tag>
        ),
    },
    ...base.slice(2, 4),
    {
      title: t('certification.field.creditsRequested'),
      key: 'requested',
      align: 'right',
      render: (_, a) => <span className="cb-num">{credits(a.creditsRequested ?? a.standard?.credits, a.unit)}</span>,
    },
    {
      title: t('certification.queue.tally'),
      key: 'tally',
      render: (_, a) => {
        const v = votesOf.get(a.id);
        if (!v) return <Typography.Text type="secondary">—</Typography.Text>;
        const needed = Math.max(0, v.quorum - v.approve - v.reject);
        return (
          <Space size={8} data-testid="cert-queue-tally" wrap>
            <span>
              <CheckCircleOutlined style={{ color: '#52c41a' }} /> {v.approve}
            </span>
            <span>
              <CloseCircleOutlined style={{ color: '#ff4d4f' }} /> {v.reject}
            </span>
            <Typography.Text type="secondary">{t('certification.queue.needed', { count: needed })}</Typography.Text>
          </Space>
        );
      },
    },
    {
      title: t('certification.queue.myVote'),
      key: 'mine',
      render: (_, a) => {
        const v = votesOf.get(a.id);
        if (!v) return <Typography.Text type="secondary">—</Typography.Text>;
        return v.mine ? (
          <Tag color={v.mine === 'approve' ? 'success' : 'error'} bordered={false} data-testid="cert-queue-my-vote">
            {t(`certification.votes.mine.${v.mine}`)}
          </Tag>
        ) : (
          <Tag color="warning" bordered={false} data-testid="cert-queue-my-vote">
            {t('certification.queue.notVoted')}
          </Tag>
        );
      },
    },
    base[4]!,
  ];
  return (
    <>
      <PageHeader title={t('certification.nav.committee')} subtitle={t('certification.queue.committeeSubtitle')} />
      <QueueTable scope="committee" columns={columns} filter={filter} setFilter={setFilter} />
    </>
  );
}
