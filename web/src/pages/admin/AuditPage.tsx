import { useMemo } from 'react';
import { Card, Empty, Grid, Table, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ColumnsType } from 'antd/es/table';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AuditEvent } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

const PAGE_SIZE = 50;

/**
 * An action in words: its own phrase when it has one ("Signed in"), else the area and the verb
 * ("成果认定 · 投票", "Certification · voted"); the code itself only in the tooltip.
 */
export function actionText(t: TFunction, action: string): string {
  const own = t(`audit.actionName.${action.replace(/[.:]/g, '_')}`, { defaultValue: '' });
  if (own) return own;
  const [area = '', ...rest] = action.split('.');
  const verb = rest.join('_');
  const areaText = t(`audit.area.${area}`, { defaultValue: '' }) || t(`audit.entityType.${area}`, { defaultValue: '' });
  const verbText = verb ? t(`audit.verb.${verb}`, { defaultValue: '' }) : '';
  if (areaText && verbText) return `${areaText} · ${verbText}`;
  if (!verb) return t(`audit.verb.${area}`, { defaultValue: '' }) || areaText || action.replace(/[._]/g, ' ');
  return [areaText || area.replace(/_/g, ' '), verbText || verb.replace(/_/g, ' ')].join(' · ');
}

/** The audit trail: who did what, when. Newest first. */
export function AuditPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const wide = Boolean(Grid.useBreakpoint().lg);

  const events = useInfiniteQuery({
    queryKey: ['audit-events'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => api.get('/audit-events', { query: { cursor: pageParam, limit: PAGE_SIZE }, signal }),
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
          <Tooltip title={t('audit.actionHelp', { code: a })}>
            <span data-testid="audit-action">{actionText(t, a)}</span>
          </Tooltip>
        ),
      },
      {
        // what the event is about, by name; the id only to copy
        title: t('audit.entity'),
        key: 'entity',
        render: (_, e) => {
          const name = e.entityNameZh || e.entityNameEn ? localName(lang, e.entityNameZh, e.entityNameEn) : null;
          return (
            <span data-testid="audit-entity" style={{ overflowWrap: 'anywhere' }}>
              <Typography.Text type={name ? 'secondary' : undefined} style={name ? { fontSize: 12, marginInlineEnd: 6 } : undefined}>
                {t(`audit.entityType.${e.entityType}`, { defaultValue: e.entityType.replace(/_/g, ' ') })}
              </Typography.Text>
              {name && <span>{name}</span>}
              <Typography.Text type="secondary" copyable={{ text: e.entityId, tooltips: [t('audit.copyId'), t('common.copied')] }} />
            </span>
          );
        },
      },
      {
        title: t('audit.actor'),
        key: 'actor',
        render: (_, e) =>
          e.actorName ?? (e.actorTokenId ? t('audit.tokenActor', { name: e.actorTokenName ?? t('audit.apiToken') }) : e.actorUserId ? '—' : t('audit.system')),
      },
    ],
    [t, lang],
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
          scroll={wide ? undefined : { x: 720 }}
          sticky={wide ? undefined : { offsetHeader: 56 }}
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
