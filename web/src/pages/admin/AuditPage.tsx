import { useMemo } from 'react';
import { Card, Empty, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AuditEvent, Page } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';

const PAGE_SIZE = 50;

/** The audit trail: who did what, when. Newest first. */
export function AuditPage() {
  const { t } = useTranslation();

  const events = useInfiniteQuery({
    queryKey: ['audit-events'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api<Page<AuditEvent>>('/audit-events', { query: { cursor: pageParam, limit: PAGE_SIZE }, signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: ColumnsType<AuditEvent> = useMemo(
    () => [
      { title: t('audit.time'), dataIndex: 'at', width: 160, render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span> },
      {
        title: t('audit.action'),
        dataIndex: 'action',
        render: (a: string) => (
          <Space size={6} wrap>
            <span>{t(`audit.actionName.${a.replace(/[.:]/g, '_')}`, { defaultValue: a })}</span>
            <Typography.Text type="secondary" className="cb-mono" style={{ fontSize: 12 }}>
              {a}
            </Typography.Text>
          </Space>
        ),
      },
      {
        title: t('audit.entity'),
        key: 'entity',
        render: (_, e) => (
          <span>
            {t(`audit.entityType.${e.entityType}`, { defaultValue: e.entityType })}{' '}
            <Typography.Text type="secondary" className="cb-mono" style={{ fontSize: 12 }} copyable={{ text: e.entityId }}>
              {e.entityId.length > 12 ? `${e.entityId.slice(0, 8)}…` : e.entityId}
            </Typography.Text>
          </span>
        ),
      },
      {
        title: t('audit.actor'),
        key: 'actor',
        render: (_, e) =>
          e.actorName ??
          (e.actorUserId ? (
            <span className="cb-mono">{e.actorUserId.slice(0, 8)}…</span>
          ) : e.actorTokenId ? (
            <span>
              {t('audit.apiToken')} <span className="cb-mono">{e.actorTokenId.slice(0, 8)}…</span>
            </span>
          ) : (
            t('audit.system')
          )),
      },
    ],
    [t],
  );

  return (
    <>
      <PageHeader title={t('nav.audit')} subtitle={t('audit.subtitle')} />
      <Card>
        {events.isError && <ErrorAlert error={events.error} style={{ marginBottom: 16 }} />}
        <Table<AuditEvent>
          data-testid="audit-table"
          rowKey={(e) => String(e.id)}
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={events.isPending}
          pagination={false}
          scroll={{ x: 800 }}
          expandable={{
            expandedRowRender: (e) => (
              <pre className="cb-mono" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                {JSON.stringify(e.details, null, 2)}
              </pre>
            ),
            rowExpandable: (e) => Boolean(e.details && Object.keys(e.details).length > 0),
          }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.empty')} /> }}
        />
        <LoadMore
          shown={rows.length}
          hasMore={Boolean(events.hasNextPage)}
          loading={events.isFetchingNextPage}
          onLoad={() => void events.fetchNextPage()}
          testId="audit-load-more"
        />
      </Card>
    </>
  );
}
