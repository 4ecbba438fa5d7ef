import { useMemo } from 'react';
import { Alert, Button, Card, Col, Collapse, Empty, Progress, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CloudUploadOutlined, DownloadOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, apiUrl } from '../../api/client';
import type { ImportIssue, ImportJob } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, readerHalf } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { describeChange } from './changes';

const ISSUES_PAGE = 200;

export function isFinished(job: ImportJob | undefined): boolean {
  return job?.status === 'done' || job?.status === 'failed';
}

/** The tag colour of a job's status. */
export const STATUS_COLORS: Record<ImportJob['status'], string> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
};

type Outcome = 'failed' | 'dryRunClean' | 'dryRunIssues' | 'committed' | 'partial' | 'refused' | 'nothing';

/** What happened, in the reader's terms: decides the alert's colour, headline and next step. */
function outcomeOf(job: ImportJob): Outcome {
  if (job.status === 'failed') return 'failed';
  if (job.mode === 'dry_run') return job.rejected > 0 ? 'dryRunIssues' : 'dryRunClean';
  if (job.committed) return job.rejected > 0 ? 'partial' : 'committed';
  return job.rejected > 0 ? 'refused' : 'nothing';
}

const ALERT_TYPES: Record<Outcome, 'success' | 'info' | 'warning' | 'error'> = {
  failed: 'error',
  dryRunClean: 'info',
  dryRunIssues: 'warning',
  committed: 'success',
  partial: 'warning',
  refused: 'warning',
  nothing: 'info',
};

/** "courses.csv · 课程 · 试运行" under the report's title. */
export function jobSource(t: TFunction, job: ImportJob): string {
  return job.filename ?? t(`imports.source.${job.source}`);
}

/** A stable key for an issue, so that overlapping pages are not shown twice. */
type IssueRow = ImportIssue & { key: string };

const issueKey = (i: ImportIssue) => `${i.rowNumber}\u0000${i.column ?? ''}\u0000${i.value ?? ''}\u0000${i.reason}`;

/**
 * `error`: the refused rows; `change`: the rows that update stored records, and what they change;
 * `note`: what the rows with a result status (缺考, 免修, 补考 …) record.
 */
type IssueLevel = 'error' | 'change' | 'note';

/** One level of a finished job's issues, page by page in row order, without duplicates. */
function useIssueRows(jobId: string, level: IssueLevel, enabled: boolean) {
  const query = useInfiniteQuery({
    queryKey: ['import-issues', jobId, level],
    enabled,
    initialPageParam: -1,
    staleTime: Infinity,
    queryFn: ({ pageParam, signal }) =>
      api.get('/imports/{id}/issues', {
        params: { id: jobId }, // Without a level the server lists the refused rows, as it always has.
        query: { level: level === 'error' ? undefined : level, afterRow: pageParam, limit: ISSUES_PAGE },
        signal,
      }),
    getNextPageParam: (last) => {
      if (last.items.length < ISSUES_PAGE) return undefined;
      const lastRow = last.items[last.items.length - 1]?.rowNumber ?? -1;
      // A row can have several issues and the page may end inside it: ask again from that row and
      // drop what was shown already (unless the whole page was that one row).
      return last.items.every((i) => i.rowNumber === lastRow) ? lastRow : lastRow - 1;
    },
  });
  const rows = useMemo(() => {
    const seen = new Set<string>();
    const out: IssueRow[] = [];
    for (const page of query.data?.pages ?? []) {
      for (const i of page.items) {
        const key = issueKey(i);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ ...i, key });
      }
    }
    return out;
  }, [query.data]);
  return { query, rows };
}

/** The row number's column header, with how rows are numbered. */
function RowHeader() {
  const { t } = useTranslation();
  return (
    <Space size={4}>
      {t('imports.issues.row')}
      <Tooltip title={t('imports.issues.rowHelp')}>
        <InfoCircleOutlined style={{ color: 'rgba(0,0,0,0.45)' }} />
      </Tooltip>
    </Space>
  );
}

/**
 * The rows that update stored records (or would, in a dry run), and what each changes.
 * Mounted when its section is first opened, so the list is only fetched when someone looks.
 */
function ChangedRecords({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const { query: changes, rows } = useIssueRows(job.id, 'change', true);
  const columns: ColumnsType<IssueRow> = useMemo(
    () => [
      {
        title: <RowHeader />,
        dataIndex: 'rowNumber',
        width: 110,
        align: 'right',
        render: (n: number) => <span className="cb-num">{n}</span>,
      },
      { title: t('imports.changes.change'), dataIndex: 'reason', render: (r: string) => describeChange(t, r) },
    ],
    [t],
  );
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {job.committed ? t('imports.changes.help') : t('imports.changes.helpWouldBe')}
      </Typography.Paragraph>
      <PagedRows testId="changes" columns={columns} rows={rows} query={changes} scrollX={600} empty={t('imports.changes.empty')} />
    </>
  );
}

/**
 * The rows of a results import that carry a status (缺考, 缓考, 免修, 免考, 补考, 重修 …), each with
 * what it records (no grade and no credits, credits under the exemption rule …), dry run or not.
 * Shown once the first page says there are any.
 */
function StatusNotes({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { query, rows } = useIssueRows(job.id, 'note', true);
  const columns: ColumnsType<IssueRow> = useMemo(
    () => [
      {
        title: <RowHeader />,
        dataIndex: 'rowNumber',
        width: 110,
        align: 'right',
        render: (n: number) => <span className="cb-num">{n}</span>,
      },
      { title: t('imports.issues.column'), dataIndex: 'column', width: 200, render: (c: string | null) => c ?? '—' },
      { title: t('imports.issues.value'), dataIndex: 'value', width: 140, render: (v: string | null) => (v ? <span className="cb-mono">{v}</span> : '—') },
      { title: t('imports.notes.records'), dataIndex: 'reason', render: (r: string) => readerHalf(lang, r) },
    ],
    [t, lang],
  );
  if (query.isPending || (rows.length === 0 && !query.isError)) return null;
  return (
    <Collapse
      key={job.id}
      data-testid="notes-section"
      items={[
        {
          key: 'notes',
          label: (
            <Space size={8} data-testid="notes-toggle">
              <Typography.Text strong>{t('imports.notes.title')}</Typography.Text>
              <Tag bordered={false} color="gold" className="cb-num">
                {rows.length.toLocaleString()}
                {query.hasNextPage ? '+' : ''}
              </Tag>
            </Space>
          ),
          children: (
            <>
              <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
                {job.committed ? t('imports.notes.help') : t('imports.notes.helpWouldBe')}
              </Typography.Paragraph>
              <PagedRows testId="notes" columns={columns} rows={rows} query={query} scrollX={800} empty={t('imports.notes.empty')} />
            </>
          ),
        },
      ]}
    />
  );
}

/**
 * The report of one import: what happened, counts, the refused rows, the changed records and downloads.
 * `onCommitSame` is given when the file that produced this dry run is still at hand.
 */
export function ImportReport({ job, onCommitSame, committing }: { job: ImportJob; onCommitSame?: () => void; committing?: boolean }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const finished = isFinished(job);

  const { query: issues, rows: issueRows } = useIssueRows(job.id, 'error', finished);

  const columns: ColumnsType<IssueRow> = useMemo(
    () => [
      {
        title: <RowHeader />,
        dataIndex: 'rowNumber',
        width: 110,
        align: 'right',
        render: (n: number) => (n === 0 ? <Tag bordered={false}>{t('imports.issues.wholeFile')}</Tag> : <span className="cb-num">{n}</span>),
      },
      { title: t('imports.issues.column'), dataIndex: 'column', width: 220, render: (c: string | null) => c ?? '—' },
      {
        title: t('imports.issues.value'),
        dataIndex: 'value',
        width: 200,
        ellipsis: true,
        render: (v: string | null, i) =>
          v !== null && v !== '' ? (
            <span className="cb-mono">{v}</span>
          ) : i.rowNumber === 0 || i.column === null ? (
            '—'
          ) : (
            <Typography.Text type="secondary">{t('imports.issues.blank')}</Typography.Text>
          ),
      },
      { title: t('imports.issues.reason'), dataIndex: 'reason', render: (r: string) => readerHalf(lang, r) },
    ],
    [t, lang],
  );

  if (!finished) {
    // A job someone else started (or still running from before): follow it here.
    return (
      <Card title={t('imports.report.title')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {jobSource(t, job)} · {t(`imports.kindName.${job.kind}`)} · {t(`imports.modeName.${job.mode}`)}
          </Typography.Text>
          <Typography.Text type="secondary">{t(`imports.phase.${job.phase}`)}</Typography.Text>
          <Progress percent={Math.round(job.progress * 100)} status="active" />
        </Space>
      </Card>
    );
  }

  const outcome = outcomeOf(job);
  const wouldBe = !job.committed;
  const stats: { key: string; testId: string; label: string; value: number; help?: string; color?: string }[] = [
    { key: 'read', testId: 'report-read', label: t('imports.stat.read'), value: job.rowsRead },
    { key: 'accepted', testId: 'report-accepted', label: t('imports.stat.accepted'), value: job.accepted, help: t('imports.stat.acceptedHelp') },
    {
      key: 'created',
      testId: 'report-created',
      label: wouldBe ? t('imports.stat.wouldCreate') : t('imports.stat.created'),
      value: job.created,
      color: job.created > 0 && !wouldBe ? '#237804' : undefined,
    },
    {
      key: 'updated',
      testId: 'report-updated',
      label: wouldBe ? t('imports.stat.wouldUpdate') : t('imports.stat.updated'),
      value: job.updated,
      color: job.updated > 0 && !wouldBe ? '#1677ff' : undefined,
    },
    { key: 'skipped', testId: 'report-skipped', label: t('imports.stat.skipped'), value: job.skipped, help: t('imports.stat.skippedHelp') },
    {
      key: 'rejected',
      testId: 'report-rejected',
      label: t('imports.stat.rejected'),
      value: job.rejected,
      help: t('imports.stat.rejectedHelp'),
      color: job.rejected > 0 ? '#cf1322' : undefined,
    },
  ];
  const canCommitSame = Boolean(onCommitSame) && outcome === 'dryRunClean' && job.rowsRead > 0;
  const nextStep =
    outcome === 'dryRunClean'
      ? canCommitSame
        ? t('imports.report.next.dryRunCleanHere')
        : t('imports.report.next.dryRunClean')
      : t(`imports.report.next.${outcome}`);
  const reportUrl = (fmt: 'csv' | 'xlsx') => apiUrl(`/imports/${encodeURIComponent(job.id)}/report.${fmt}`);

  return (
    <Card
      data-testid="import-report"
      data-status={job.status}
      data-job={job.id}
      title={
        <Space direction="vertical" size={0} style={{ padding: '12px 0' }}>
          <span>{t('imports.report.title')}</span>
          <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 400 }}>
            {jobSource(t, job)} · {t(`imports.kindName.${job.kind}`)} · {t(`imports.modeName.${job.mode}`)} · {formatDateTime(job.createdAt)}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space size={4} wrap>
          <Typography.Text type="secondary">{t('imports.report.download')}</Typography.Text>
          <Button size="small" icon={<DownloadOutlined />} href={reportUrl('csv')} download data-testid="report-csv">
            CSV
          </Button>
          <Button size="small" icon={<DownloadOutlined />} href={reportUrl('xlsx')} download data-testid="report-xlsx">
            Excel
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Alert
          type={ALERT_TYPES[outcome]}
          showIcon
          data-testid="report-alert"
          data-outcome={outcome}
          data-message={job.message ?? undefined}
          message={
            <Typography.Text strong data-testid="report-headline">
              {t(`imports.report.headline.${outcome}`, { count: job.rowsRead, accepted: job.accepted, rejected: job.rejected })}
            </Typography.Text>
          }
          description={
            <Space direction="vertical" size={4}>
              {/* The server's words say why a file failed; for a finished import the headline says it all. */}
              {job.message && job.status === 'failed' && <Typography.Text data-testid="report-message">{readerHalf(lang, job.message)}</Typography.Text>}
              <Typography.Text type="secondary">{nextStep}</Typography.Text>
            </Space>
          }
          action={
            canCommitSame ? (
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={onCommitSame} loading={committing} data-testid="import-commit-same">
                {t('imports.report.commitSame')}
              </Button>
            ) : undefined
          }
        />

        <Row gutter={[12, 12]}>
          {stats.map((s) => (
            <Col xs={12} sm={8} lg={4} key={s.key}>
              <Card size="small" style={{ height: '100%' }}>
                <Statistic
                  title={
                    s.help ? (
                      <Space size={4}>
                        {s.label}
                        <Tooltip title={s.help}>
                          <InfoCircleOutlined style={{ color: 'rgba(0,0,0,0.45)' }} />
                        </Tooltip>
                      </Space>
                    ) : (
                      s.label
                    )
                  }
                  value={s.value}
                  valueStyle={s.color ? { color: s.color } : undefined}
                  formatter={(v) => (
                    <span className="cb-num" data-testid={s.testId}>
                      {Number(v).toLocaleString()}
                    </span>
                  )}
                />
              </Card>
            </Col>
          ))}
        </Row>

        <div>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('imports.issues.title')}
          </Typography.Title>
          <PagedRows testId="issues" columns={columns} rows={issueRows} query={issues} scrollX={800} empty={t('imports.issues.empty')} />
        </div>

        {job.updated > 0 && (
          <Collapse
            // A fresh section for each report: closed, and fetched only when opened.
            key={job.id}
            data-testid="changes-section"
            items={[
              {
                key: 'changes',
                label: (
                  <Space size={8} data-testid="changes-toggle">
                    <Typography.Text strong>{t('imports.changes.title')}</Typography.Text>
                    <Tag bordered={false} color="blue" className="cb-num">
                      {job.updated.toLocaleString()}
                    </Tag>
                  </Space>
                ),
                children: <ChangedRecords job={job} />,
              },
            ]}
          />
        )}

        {job.kind === 'results' && <StatusNotes job={job} />}
      </Space>
    </Card>
  );
}

/** A table of report rows fetched page by page, with its error and "load more" (testids `<testId>-table`, `<testId>-load-more`). */
function PagedRows({
  testId,
  columns,
  rows,
  query,
  scrollX,
  empty,
}: {
  testId: string;
  columns: ColumnsType<IssueRow>;
  rows: IssueRow[];
  query: { isError: boolean; error: unknown; isPending: boolean; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  scrollX: number;
  empty: string;
}) {
  return (
    <>
      {query.isError && <ErrorAlert error={query.error} style={{ marginBottom: 16 }} />}
      <Table<IssueRow>
        data-testid={`${testId}-table`}
        data-loaded={query.isPending ? undefined : 'true'}
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={query.isPending}
        pagination={false}
        scroll={{ x: scrollX }}
        // While the first page loads the table says nothing, rather than that there is nothing.
        locale={{ emptyText: query.isPending ? ' ' : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      />
      <LoadMore
        shown={rows.length}
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onLoad={() => void query.fetchNextPage()}
        testId={`${testId}-load-more`}
      />
    </>
  );
}
