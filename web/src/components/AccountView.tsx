import { useCallback, useMemo, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiUrl } from '../api/client';
import type { AccountView as Account, CreditState, CreditUnit, LedgerPosting, Outcome, Page, UnitBalance } from '../api/types';
import { formatDate, formatDateTime, formatDecimal, localName } from '../format';
import { useLanguage } from '../i18n/useLanguage';
import { ErrorAlert } from './ErrorAlert';
import { EuropeExport } from './EuropeExport';
import { ResultGrade } from './ResultGrade';
import { IdDocumentView } from './IdDocument';

const LEDGER_PAGE = 20;

const KIND_COLORS: Record<LedgerPosting['kind'], string> = {
  deposit: 'green',
  transfer_in: 'cyan',
  use: 'blue',
  reversal: 'orange',
};

const STATUS_COLORS: Record<Account['learner']['accountStatus'], string> = {
  open: 'success',
  frozen: 'warning',
  closed: 'default',
};

/** The server lists one balance per unit; an account with none yet shows zero credits. */
function unitBalances(account: Account): UnitBalance[] {
  const raw: unknown = account.balances;
  if (Array.isArray(raw)) return raw.length > 0 ? (raw as UnitBalance[]) : [{ unit: 'credit', available: '0', used: '0', total: '0' }];
  // Older servers sent a single object in the institution's own credits.
  return [{ unit: 'credit', ...(raw as Omit<UnitBalance, 'unit'>) }];
}

/** +/− as the posting moves credits into or out of the available balance (or the account). */
function amountSign(p: LedgerPosting): '+' | '−' {
  if (p.toState === 'available') return '+';
  if (p.fromState === 'available') return '−';
  return p.toState === null ? '−' : '+';
}

/**
 * A learner's account: who, balances, outcomes and ledger history.
 * `accountPath` is `/me/account` for the learner or `/learners/:id/account` for staff;
 * `own` words the page for the learner themselves; `afterOutcomes` goes under the outcomes table.
 */
export function AccountView({ accountPath, own = false, afterOutcomes }: { accountPath: string; own?: boolean; afterOutcomes?: ReactNode }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();

  const account = useQuery({
    queryKey: ['account', accountPath],
    queryFn: ({ signal }) => api<Account>(accountPath, { signal }),
  });
  const learnerId = account.data?.learner.id;

  const ledger = useInfiniteQuery({
    queryKey: ['ledger', learnerId],
    enabled: Boolean(learnerId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api<Page<LedgerPosting>>(`/learners/${encodeURIComponent(learnerId ?? '')}/ledger`, {
        query: { cursor: pageParam, limit: LEDGER_PAGE },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  /** ECTS amounts carry a marker; the institution's own credits (the default) do not. */
  const unitMark = useCallback(
    (unit: CreditUnit | undefined) =>
      unit && unit !== 'credit' ? (
        <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
          {t(`creditUnit.${unit}`)}
        </Typography.Text>
      ) : null,
    [t],
  );

  const stateName = useCallback((s: CreditState | null) => (s ? t(`ledger.state.${s}`) : t('ledger.state.outside')), [t]);

  const outcomeColumns: ColumnsType<Outcome> = useMemo(
    () => [
      {
        title: t('outcomes.institution'),
        key: 'institution',
        render: (_, o) => (
          <Tooltip title={o.institutionCode}>{localName(lang, o.institutionNameZh, o.institutionNameEn)}</Tooltip>
        ),
      },
      {
        title: t('outcomes.courseCode'),
        dataIndex: 'courseCode',
        render: (code: string) => <span className="cb-mono">{code}</span>,
      },
      {
        title: t('outcomes.courseTitle'),
        key: 'title',
        render: (_, o) => localName(lang, o.courseTitleZh, o.courseTitleEn),
      },
      {
        title: t('outcomes.term'),
        dataIndex: 'term',
        className: 'cb-nowrap',
        sorter: (a, b) => a.term.localeCompare(b.term),
        render: (term: string, o) => (o.attempt > 1 ? `${term} · ${t('outcomes.attempt', { n: o.attempt })}` : term),
      },
      { title: t('outcomes.grade'), dataIndex: 'grade', align: 'center', render: (grade: string | null, o) => <ResultGrade grade={grade} resultStatus={o.resultStatus} /> },
      {
        title: t('outcomes.passed'),
        dataIndex: 'passed',
        align: 'center',
        render: (passed: boolean) =>
          passed ? (
            <Tag icon={<CheckCircleFilled />} color="success" bordered={false}>
              {t('outcomes.pass')}
            </Tag>
          ) : (
            <Tag icon={<CloseCircleFilled />} color="error" bordered={false}>
              {t('outcomes.fail')}
            </Tag>
          ),
      },
      {
        title: t('outcomes.credits'),
        dataIndex: 'credits',
        align: 'right',
        render: (c: string, o) => (
          <span className="cb-num" style={{ whiteSpace: 'nowrap' }}>
            {formatDecimal(c)}
            {unitMark(o.unit)}
          </span>
        ),
      },
      {
        title: t('outcomes.status'),
        dataIndex: 'status',
        render: (status: Outcome['status'], o) => {
          const tag = (
            <Tag color={status === 'recorded' ? 'processing' : status === 'revoked' ? 'error' : 'default'} bordered={false}>
              {t(`outcomes.statusName.${status}`)}
            </Tag>
          );
          return o.reason ? <Tooltip title={o.reason}>{tag}</Tooltip> : tag;
        },
      },
    ],
    [t, lang, unitMark],
  );

  const ledgerColumns: ColumnsType<LedgerPosting> = useMemo(
    () => [
      { title: t('ledger.seq'), dataIndex: 'seq', width: 70, align: 'right', render: (s: number) => <span className="cb-num">{s}</span> },
      { title: t('ledger.date'), dataIndex: 'createdAt', width: 150, render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span> },
      {
        title: t('ledger.kind'),
        dataIndex: 'kind',
        render: (kind: LedgerPosting['kind'], p) => (
          <Space size={4} wrap>
            <Tag color={KIND_COLORS[kind]} bordered={false}>
              {t(`ledger.kindName.${kind}`)}
            </Tag>
            {p.reversedBySeq !== null && (
              <Tag bordered={false}>{t('ledger.reversedBy', { seq: p.reversedBySeq })}</Tag>
            )}
          </Space>
        ),
      },
      {
        title: t('ledger.amount'),
        dataIndex: 'amount',
        align: 'right',
        render: (amount: string, p) => {
          const sign = amountSign(p);
          return (
            <span style={{ whiteSpace: 'nowrap' }}>
              <span className={sign === '+' ? 'cb-amount-plus' : 'cb-amount-minus'}>
                {sign}
                {formatDecimal(amount)}
              </span>
              {unitMark(p.unit)}
            </span>
          );
        },
      },
      {
        title: t('ledger.movement'),
        key: 'movement',
        render: (_, p) => `${stateName(p.fromState)} → ${stateName(p.toState)}`,
      },
      {
        title: t('ledger.cause'),
        key: 'cause',
        render: (_, p) => (
          <Space size={4} wrap>
            <span>{t(`ledger.causeType.${p.causeType}`, { defaultValue: p.causeType })}</span>
            {p.reversesSeq !== null && <Typography.Text type="secondary">{t('ledger.reverses', { seq: p.reversesSeq })}</Typography.Text>}
            <Tooltip title={p.causeId}>
              <Typography.Text type="secondary" className="cb-mono" style={{ fontSize: 12 }}>
                #{p.causeId.length > 8 ? p.causeId.slice(0, 8) : p.causeId}
              </Typography.Text>
            </Tooltip>
          </Space>
        ),
      },
      { title: t('ledger.memo'), dataIndex: 'memo', ellipsis: true, render: (m: string | null) => m ?? '—' },
      {
        title: t('ledger.balanceAfter'),
        key: 'balanceAfter',
        align: 'right',
        render: (_, p) => (
          <span className="cb-num" style={{ whiteSpace: 'nowrap' }}>
            {t('ledger.balanceAfterValue', {
              available: formatDecimal(p.balanceAfter.available),
              used: formatDecimal(p.balanceAfter.used),
            })}
            {unitMark(p.unit)}
          </span>
        ),
      },
    ],
    [t, stateName, unitMark],
  );

  if (account.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  }
  if (account.isError) return <ErrorAlert error={account.error} />;

  const { learner, enrolments } = account.data;
  const balances = unitBalances(account.data);
  // Grouped by term, then course; a correction sits next to the row it replaced.
  const outcomes = [...account.data.outcomes].sort(
    (a, b) => a.term.localeCompare(b.term) || a.courseCode.localeCompare(b.courseCode) || a.createdAt.localeCompare(b.createdAt),
  );
  const postings = ledger.data?.pages.flatMap((p) => p.items) ?? [];
  const exportUrl = (fmt: 'csv' | 'xlsx') => apiUrl(`/learners/${encodeURIComponent(learner.id)}/export.${fmt}`);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
          <Space align="baseline" size={12} wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="learner-name">
              {learner.fullName}
            </Typography.Title>
            {learner.fullNameLatin && learner.fullNameLatin !== learner.fullName && (
              <Typography.Text type="secondary">{learner.fullNameLatin}</Typography.Text>
            )}
            <Tag color={STATUS_COLORS[learner.accountStatus]}>{t(`account.statusName.${learner.accountStatus}`)}</Tag>
          </Space>
          <Space size={6} wrap data-testid="export-record">
            <Typography.Text type="secondary">
              <DownloadOutlined /> {own ? t('account.exportOwn') : t('account.export')}
            </Typography.Text>
            <Button size="small" href={exportUrl('csv')} download data-testid="export-record-csv">
              CSV
            </Button>
            <Button size="small" href={exportUrl('xlsx')} download data-testid="export-record-xlsx">
              Excel
            </Button>
            <EuropeExport learnerId={learner.id} outcomes={account.data.outcomes} />
          </Space>
        </div>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('account.accountNo')}>
            <Typography.Text copyable={{ text: learner.accountNo, tooltips: [t('common.copy'), t('common.copied')] }}>
              <span className="cb-mono" data-testid="account-number">
                {learner.accountNo}
              </span>
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('account.openedAt')}>
            <span data-testid="account-opened">{formatDate(learner.openedAt)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('account.birthDate')}>{formatDate(learner.birthDate)}</Descriptions.Item>
          <Descriptions.Item label={t('account.idDocument')}>
            <IdDocumentView document={learner} testId="learner-id" />
          </Descriptions.Item>
          <Descriptions.Item label={t('account.enrolments')} span="filled">
            {enrolments.length === 0 ? (
              '—'
            ) : (
              <Space size={[8, 4]} wrap>
                {enrolments.map((e) => (
                  <Tag key={`${e.institutionId}:${e.externalId}`} bordered={false} color="geekblue">
                    {localName(lang, e.institutionNameZh, e.institutionNameEn)} · {t('account.studentNo')} {e.externalId}
                  </Tag>
                ))}
              </Space>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Row gutter={[16, 16]}>
        {(
          [
            ['available', 'balance-available', '#389e0d'],
            ['used', 'balance-used', '#1677ff'],
            ['total', 'balance-total', undefined],
          ] as const
        ).map(([key, testId, color]) => (
          <Col xs={24} md={8} key={key}>
            <Card style={{ height: '100%' }}>
              <Statistic
                title={
                  <Space size={4}>
                    {t(`account.balance.${key}`)}
                    <Tooltip title={t(`account.balanceHelp.${key}`)}>
                      <InfoCircleOutlined style={{ color: 'rgba(0,0,0,0.45)' }} />
                    </Tooltip>
                  </Space>
                }
                value={balances[0]?.[key] ?? '0'}
                valueStyle={color ? { color } : undefined}
                formatter={() => (
                  <Space direction="vertical" size={0}>
                    {balances.map((b, i) => {
                      // The first unit (the institution's own credits when held) is balance-<state>;
                      // every unit also has balance-<state>-<unit>.
                      const value = (
                        <span className="cb-num" data-testid={`${testId}-${b.unit}`}>
                          {formatDecimal(b[key])}
                        </span>
                      );
                      return (
                        <span key={b.unit}>
                          {i === 0 ? (
                            <span data-testid={testId} data-unit={b.unit}>
                              {value}
                            </span>
                          ) : (
                            value
                          )}
                          <span style={{ fontSize: 14, marginInlineStart: 6 }}>{t(`unitLabel.${b.unit}`)}</span>
                        </span>
                      );
                    })}
                  </Space>
                )}
              />
            </Card>
          </Col>
        ))}
      </Row>

      <Alert type="info" showIcon message={t('account.help.title')} description={t('account.help.body')} />

      <Card title={t('outcomes.title')} extra={<Typography.Text type="secondary">{t('outcomes.count', { count: outcomes.length })}</Typography.Text>}>
        <Table<Outcome>
          data-testid="outcomes-table"
          rowKey="id"
          size="middle"
          columns={outcomeColumns}
          dataSource={outcomes}
          rowClassName={(o) => (o.status === 'recorded' ? '' : 'cb-row-muted')}
          pagination={{ defaultPageSize: 50, hideOnSinglePage: true, showSizeChanger: true }}
          scroll={{ x: 900 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('outcomes.empty')} /> }}
        />
      </Card>

      {afterOutcomes}

      <Card title={t('ledger.title')}>
        {ledger.isError && <ErrorAlert error={ledger.error} style={{ marginBottom: 16 }} />}
        <Table<LedgerPosting>
          data-testid="ledger-table"
          rowKey="seq"
          size="middle"
          columns={ledgerColumns}
          dataSource={postings}
          loading={ledger.isPending && Boolean(learnerId)}
          rowClassName={(p) => (p.reversedBySeq !== null ? 'cb-row-muted' : '')}
          pagination={false}
          scroll={{ x: 1100 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.empty')} /> }}
        />
        {(ledger.hasNextPage || ledger.isFetchingNextPage) && (
          <div style={{ textAlign: 'center', marginTop: 16 }}>
            <Button onClick={() => void ledger.fetchNextPage()} loading={ledger.isFetchingNextPage} data-testid="ledger-load-more">
              {t('common.loadMore')}
            </Button>
          </div>
        )}
      </Card>
    </Space>
  );
}
