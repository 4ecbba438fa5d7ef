import { useCallback, useMemo, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Grid, Row, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiUrl } from '../api/client';
import { fetchAccount } from '../api/account';
import type { AccountView as Account, CreditState, CreditUnit, InstitutionBalance, LedgerPosting, Outcome, UnitBalance } from '../api/types';
import type { Language } from '../i18n';
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
  return account.balances.length > 0 ? account.balances : [{ unit: 'credit', available: '0', used: '0' }];
}

/** +/− as the posting moves credits into or out of the available balance (or the account). */
function amountSign(p: LedgerPosting): '+' | '−' {
  if (p.toState === 'available') return '+';
  if (p.fromState === 'available') return '−';
  return p.toState === null ? '−' : '+';
}

/**
 * What a posting came from, by name: the course (its code after it, the institution under it), the
 * certificate, the programme; the kind of cause when there is nothing to name. The cause's id is
 * for the tooltip only.
 */
function LedgerSourceText({ p, lang, t }: { p: LedgerPosting; lang: Language; t: (key: string, o?: Record<string, unknown>) => string }) {
  const kind = t(`ledger.causeType.${p.causeType}`, { defaultValue: t('ledger.causeType.other') });
  const s = p.source;
  const institution = s ? localName(lang, s.institutionNameZh, s.institutionNameEn) : '—';
  // a transfer is a move: from the course's institution to the one that recognised it
  const target = s?.targetInstitutionNameZh || s?.targetInstitutionNameEn ? localName(lang, s.targetInstitutionNameZh, s.targetInstitutionNameEn) : null;
  const where = target ? t('ledger.transferMove', { from: institution, to: target }) : institution;
  return (
    <Tooltip title={s ? `${kind} · ${where}` : undefined}>
      <Space direction="vertical" size={0} data-testid="ledger-source" style={{ minWidth: 0, maxWidth: '100%' }}>
        <span style={{ overflowWrap: 'anywhere' }}>
          {s ? localName(lang, s.titleZh, s.titleEn) : kind}
          {s?.code && (
            <Typography.Text type="secondary" className="cb-mono" style={{ fontSize: 12, marginInlineStart: 6 }}>
              {s.code}
            </Typography.Text>
          )}
        </span>
        {(s || p.reversesSeq !== null) && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[s ? kind : null, target ? where : null, p.reversesSeq !== null ? t('ledger.reverses', { seq: p.reversesSeq }) : null].filter(Boolean).join(' · ')}
          </Typography.Text>
        )}
      </Space>
    </Tooltip>
  );
}

/**
 * A learner's account: who, balances, outcomes and ledger history.
 * `accountPath` is `/me/account` for the learner or `/learners/:id/account` for staff;
 * `own` words the page for the learner themselves; `afterOutcomes` goes under the outcomes table.
 */
export function AccountView({
  accountPath,
  own = false,
  afterOutcomes,
  outcomeAction,
}: {
  accountPath: string;
  own?: boolean;
  afterOutcomes?: ReactNode;
  /** A last column of actions on each outcome (a registrar's correction), when given. */
  outcomeAction?: (o: Outcome) => ReactNode;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const screens = Grid.useBreakpoint();
  // a phone shows the ledger as cards; a laptop the whole table; between them the table scrolls
  const phone = screens.sm === false;
  const wide = Boolean(screens.xl);

  const account = useQuery({
    queryKey: ['account', accountPath],
    queryFn: ({ signal }) => fetchAccount(accountPath, signal),
  });
  const learnerId = account.data?.learner.id;

  const ledger = useInfiniteQuery({
    queryKey: ['ledger', learnerId],
    enabled: Boolean(learnerId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get('/learners/{id}/ledger', { params: { id: learnerId ?? '' }, query: { cursor: pageParam, limit: LEDGER_PAGE }, signal }),
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
        render: (_, o) => <Tooltip title={o.institutionCode}>{localName(lang, o.institutionNameZh, o.institutionNameEn)}</Tooltip>,
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
      {
        title: t('outcomes.grade'),
        dataIndex: 'grade',
        align: 'center',
        render: (grade: string | null, o) => <ResultGrade grade={grade} resultStatus={o.resultStatus} />,
      },
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
          // why a record was superseded or revoked is part of its history: said, not hidden in a tooltip
          return o.reason ? (
            <Space direction="vertical" size={0}>
              {tag}
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="outcome-reason">
                {t('outcomes.reasonLabel', { reason: o.reason })}
              </Typography.Text>
            </Space>
          ) : (
            tag
          );
        },
      },
      ...(outcomeAction ? [{ title: t('outcomes.actions'), key: 'actions', render: (_: unknown, o: Outcome) => outcomeAction(o) }] : []),
    ],
    [t, lang, unitMark, outcomeAction],
  );

  const amountText = useCallback(
    (p: LedgerPosting) => {
      const sign = amountSign(p);
      return (
        <span style={{ whiteSpace: 'nowrap' }}>
          <span className={sign === '+' ? 'cb-amount-plus' : 'cb-amount-minus'}>
            {sign}
            {formatDecimal(p.amount)}
          </span>
          {unitMark(p.unit)}
        </span>
      );
    },
    [unitMark],
  );

  const balanceText = useCallback(
    (p: LedgerPosting) => (
      <span className="cb-num" style={{ whiteSpace: 'nowrap' }}>
        {t('ledger.balanceAfterValue', {
          available: formatDecimal(p.balanceAfter.available),
          used: formatDecimal(p.balanceAfter.used),
        })}
        {unitMark(p.unit)}
      </span>
    ),
    [t, unitMark],
  );

  const kindTags = useCallback(
    (p: LedgerPosting) => (
      <Space size={4} wrap>
        <Tag color={KIND_COLORS[p.kind]} bordered={false} style={{ marginInlineEnd: 0 }}>
          {t(`ledger.kindName.${p.kind}`)}
        </Tag>
        {p.reversedBySeq !== null && (
          <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
            {t('ledger.reversedBy', { seq: p.reversedBySeq })}
          </Tag>
        )}
      </Space>
    ),
    [t],
  );

  // Widths that fit a 1366-pixel laptop beside the menu; the source takes the rest and wraps.
  const ledgerColumns: ColumnsType<LedgerPosting> = useMemo(
    () => [
      { title: t('ledger.seq'), dataIndex: 'seq', width: 56, align: 'right', render: (s: number) => <span className="cb-num">{s}</span> },
      { title: t('ledger.date'), dataIndex: 'createdAt', width: 140, render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span> },
      { title: t('ledger.kind'), dataIndex: 'kind', width: 110, render: (_: LedgerPosting['kind'], p) => kindTags(p) },
      { title: t('ledger.amount'), dataIndex: 'amount', width: 96, align: 'right', render: (_: string, p) => amountText(p) },
      {
        title: t('ledger.movement'),
        key: 'movement',
        width: 120,
        render: (_, p) => `${stateName(p.fromState)} → ${stateName(p.toState)}`,
      },
      { title: t('ledger.cause'), key: 'cause', render: (_, p) => <LedgerSourceText p={p} lang={lang} t={t} /> },
      {
        title: t('ledger.memo'),
        dataIndex: 'memo',
        width: 130,
        ellipsis: { showTitle: false },
        render: (m: string | null) => (m ? <Tooltip title={m}>{m}</Tooltip> : '—'),
      },
      { title: t('ledger.balanceAfter'), key: 'balanceAfter', width: 180, align: 'right', render: (_, p) => balanceText(p) },
    ],
    [t, lang, stateName, kindTags, amountText, balanceText],
  );

  const byInstitutionColumns: ColumnsType<InstitutionBalance> = useMemo(
    () => [
      {
        title: t('account.byInstitution.institution'),
        key: 'institution',
        render: (_, b) => (b.nameZh === null && b.nameEn === null ? t('account.byInstitution.unknown') : localName(lang, b.nameZh, b.nameEn)),
      },
      {
        title: t('account.balance.available'),
        dataIndex: 'available',
        align: 'right',
        render: (v: string, b) => (
          <span className="cb-num" style={{ whiteSpace: 'nowrap' }} data-testid="institution-available">
            {formatDecimal(v)}
            {unitMark(b.unit)}
          </span>
        ),
      },
      {
        title: t('account.balance.used'),
        dataIndex: 'used',
        align: 'right',
        render: (v: string, b) => (
          <span className="cb-num" style={{ whiteSpace: 'nowrap' }} data-testid="institution-used">
            {formatDecimal(v)}
            {unitMark(b.unit)}
          </span>
        ),
      },
    ],
    [t, lang, unitMark],
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
            {learner.fullNameLatin && learner.fullNameLatin !== learner.fullName && <Typography.Text type="secondary">{learner.fullNameLatin}</Typography.Text>}
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
                  <Tag
                    key={`${e.institutionId}:${e.externalId}`}
                    bordered={false}
                    color="geekblue"
                    style={{ whiteSpace: 'normal', maxWidth: '100%', marginInlineEnd: 0 }}
                  >
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
            ['available', 'balance-available', '#237804'],
            ['used', 'balance-used', '#1668dc'],
          ] as const
        ).map(([key, testId, color]) => (
          <Col xs={12} key={key}>
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

      <Card
        title={own ? t('account.byInstitution.title') : t('account.byInstitution.titleStaff')}
        extra={
          <Tooltip title={t('account.byInstitution.help')}>
            <InfoCircleOutlined style={{ color: 'rgba(0,0,0,0.45)' }} />
          </Tooltip>
        }
      >
        <Table<InstitutionBalance>
          data-testid="balances-by-institution"
          rowKey={(b) => `${b.institutionId ?? b.nameEn ?? ''}:${b.unit}`}
          size="small"
          pagination={false}
          dataSource={account.data.byInstitution}
          columns={byInstitutionColumns}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('account.byInstitution.empty')} /> }}
        />
      </Card>

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
        {phone ? (
          <LedgerCards
            postings={postings}
            loading={ledger.isPending && Boolean(learnerId)}
            render={(p) => (
              <>
                <div className="cb-ledger-card-top">
                  <Space size={6} wrap>
                    <span className="cb-num" style={{ color: 'rgba(0,0,0,0.6)' }}>
                      #{p.seq}
                    </span>
                    {kindTags(p)}
                  </Space>
                  {amountText(p)}
                </div>
                <LedgerSourceText p={p} lang={lang} t={t} />
                <div className="cb-ledger-card-foot">
                  <span className="cb-num">{formatDateTime(p.createdAt)}</span>
                  {balanceText(p)}
                </div>
                {p.memo && (
                  <Typography.Text type="secondary" style={{ fontSize: 12, overflowWrap: 'anywhere' }}>
                    {p.memo}
                  </Typography.Text>
                )}
              </>
            )}
            empty={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.empty')} />}
          />
        ) : (
          <Table<LedgerPosting>
            data-testid="ledger-table"
            rowKey="seq"
            size="middle"
            columns={ledgerColumns}
            dataSource={postings}
            loading={ledger.isPending && Boolean(learnerId)}
            rowClassName={(p) => (p.reversedBySeq !== null ? 'cb-row-muted' : '')}
            pagination={false}
            tableLayout="fixed"
            // between a phone and a laptop the table scrolls sideways, its header and scrollbar kept in view
            scroll={wide ? undefined : { x: 1100 }}
            sticky={wide ? undefined : { offsetHeader: 56 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.empty')} /> }}
          />
        )}
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

/** The ledger on a phone: one card per posting, every field of the table's row on it. */
function LedgerCards({
  postings,
  loading,
  render,
  empty,
}: {
  postings: LedgerPosting[];
  loading: boolean;
  render: (p: LedgerPosting) => ReactNode;
  empty: ReactNode;
}) {
  if (loading) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (postings.length === 0) return <>{empty}</>;
  return (
    <ul className="cb-ledger-cards" data-testid="ledger-cards">
      {postings.map((p) => (
        <li key={p.seq} className={p.reversedBySeq !== null ? 'cb-ledger-card cb-ledger-card-muted' : 'cb-ledger-card'} data-testid="ledger-card">
          {render(p)}
        </li>
      ))}
    </ul>
  );
}
