// The second part of the quality dashboard: the credits that went through learning accounts (by
// cause and unit, with how far pre-aggregated figures reach), each workflow's funnel, and how
// converted grades sit against the original ones per institution pair.
import { lazy, Suspense, useMemo, useState } from 'react';
import { Button, Card, Col, Empty, Row, Skeleton, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { qualityFileUrl, type Funnel, type GradeSpread, type LedgerRow, type PairInstitution, type QualityQuery, type QualityReport } from '../../api/quality';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { ViewSwitch } from './filters';
import type { FunnelBar } from './FunnelChart';
import { formatValue } from './present';
import { SPREAD_COLORS } from './SpreadChart';

const FunnelChart = lazy(() => import('./FunnelChart'));
const SpreadChart = lazy(() => import('./SpreadChart'));

const chartFallback = <Skeleton active paragraph={{ rows: 4 }} />;

export function InstitutionCell({ i }: { i: PairInstitution }) {
  const [lang] = useLanguage();
  return (
    <Space direction="vertical" size={0}>
      <span className="cb-mono">{i.code}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {localName(lang, i.nameZh, i.nameEn)}
      </Typography.Text>
    </Space>
  );
}

const num = (v: number | null | undefined) => <span className="cb-num">{v ?? '—'}</span>;

// ---- the ledger

/** The credits deposited and used in the period, by cause and unit, under the ledger's indicator cards. */
export function LedgerTable({ report, query }: { report: QualityReport; query: QualityQuery }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const ledger = report.ledger!;
  const credits = (v: number) => <span className="cb-num">{formatValue(v, 'credits', lang)}</span>;
  const columns: ColumnsType<LedgerRow> = [
    { title: t('quality.ledger.cause'), dataIndex: 'cause', render: (c: string) => t(`quality.ledger.causes.${c}`, { defaultValue: c }) },
    { title: t('quality.ledger.unit'), dataIndex: 'unit', render: (u: string) => t(`quality.ledger.units.${u}`, { defaultValue: u }) },
    { title: t('quality.ledger.credited'), dataIndex: 'credited', align: 'right', render: credits },
    { title: t('quality.ledger.used'), dataIndex: 'used', align: 'right', render: credits },
    { title: t('quality.ledger.postings'), dataIndex: 'postings', align: 'right', render: num },
  ];
  return (
    <div data-testid="quality-ledger" style={{ marginTop: 16 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8, marginBottom: 8 }}>
        <Typography.Text strong>{t('quality.ledger.title')}</Typography.Text>
        <Button size="small" icon={<DownloadOutlined />} href={qualityFileUrl(query, 'csv', 'ledger')} download data-testid="quality-ledger-csv">
          {t('quality.exportCsv')}
        </Button>
      </div>
      <Table<LedgerRow>
        data-testid="quality-ledger-table"
        size="small"
        rowKey={(r) => `${r.cause}/${r.unit}`}
        pagination={false}
        dataSource={ledger.rows}
        columns={columns}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ 'data-testid': 'quality-ledger-row', 'data-cause': r.cause, 'data-unit': r.unit }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quality.ledger.empty')} /> }}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }} data-testid="quality-ledger-through">
        {ledger.through ? t('quality.ledger.through', { at: formatDateTime(ledger.through) }) : t('quality.ledger.live')} {t('quality.ledger.help')}
      </Typography.Paragraph>
    </div>
  );
}

// ---- the funnels

const FUNNEL_COLORS: Record<string, string> = { certification: '#1677ff', transfer: '#13a8a8', award: '#722ed1' };

interface FunnelRow {
  key: string;
  workflow: string;
  stage: string;
  count: number | null;
  share: number | null;
}

function barsOf(f: Funnel, lang: string): FunnelBar[] {
  const first = f.stages[0]?.count ?? null;
  return f.stages.map((s) => ({
    label: lang === 'en' ? s.labelEn : s.labelZh,
    count: s.count,
    share: s.count === null || first === null || first === 0 ? null : Math.round((s.count / first) * 1000) / 10,
  }));
}

export function FunnelsCard({ report, query }: { report: QualityReport | undefined; query: QualityQuery }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const funnels = useMemo(() => report?.funnels ?? [], [report]);
  const withheld = t('quality.withheld', { minCell: report?.minCell ?? 5 });
  const labels = useMemo(() => ({ withheld: t('quality.withheldShort'), ofEntered: t('quality.funnels.ofEntered') }), [t]);
  const rows: FunnelRow[] = funnels.flatMap((f) =>
    barsOf(f, lang).map((b, i) => ({ key: `${f.workflow}/${f.stages[i]?.id ?? i}`, workflow: f.workflow, stage: b.label, count: b.count, share: b.share })),
  );
  return (
    <Card
      title={t('quality.funnels.title')}
      data-testid="quality-funnels"
      extra={
        <Space>
          <ViewSwitch value={view} onChange={setView} testId="quality-funnels-view" />
          <Button size="small" icon={<DownloadOutlined />} href={qualityFileUrl(query, 'csv', 'funnels')} download data-testid="quality-funnels-csv">
            {t('quality.exportCsv')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('quality.funnels.help')}
      </Typography.Paragraph>
      {!report ? (
        chartFallback
      ) : funnels.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quality.funnels.empty')} />
      ) : view === 'chart' ? (
        <Row gutter={[24, 16]}>
          {funnels.map((f) => (
            <Col key={f.workflow} xs={24} lg={8} data-testid={`quality-funnel-${f.workflow}`}>
              <Typography.Text strong>{t(`quality.funnels.workflows.${f.workflow}`, { defaultValue: f.workflow })}</Typography.Text>
              <Suspense fallback={chartFallback}>
                <FunnelChart workflow={f.workflow} bars={barsOf(f, lang)} color={FUNNEL_COLORS[f.workflow] ?? '#1677ff'} labels={labels} />
              </Suspense>
            </Col>
          ))}
        </Row>
      ) : (
        <Table<FunnelRow>
          data-testid="quality-funnels-table"
          size="small"
          pagination={false}
          dataSource={rows}
          onRow={(r) => ({ 'data-testid': 'quality-funnel-row', 'data-workflow': r.workflow }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('quality.funnels.workflow'),
              dataIndex: 'workflow',
              // the workflow once, over its stages
              onCell: (r, i) => {
                const prev = i !== undefined && i > 0 ? rows[i - 1] : undefined;
                if (prev?.workflow === r.workflow) return { rowSpan: 0 };
                return { rowSpan: rows.filter((x) => x.workflow === r.workflow).length };
              },
              render: (w: string) => t(`quality.funnels.workflows.${w}`, { defaultValue: w }),
            },
            { title: t('quality.funnels.stage'), dataIndex: 'stage' },
            {
              title: t('quality.funnels.count'),
              dataIndex: 'count',
              align: 'right',
              render: (v: number | null) =>
                v === null ? (
                  <Typography.Text type="secondary" italic data-testid="quality-withheld">
                    {withheld}
                  </Typography.Text>
                ) : (
                  num(v)
                ),
            },
            {
              title: t('quality.funnels.share'),
              dataIndex: 'share',
              align: 'right',
              render: (v: number | null) => <span className="cb-num">{v === null ? '—' : `${v}%`}</span>,
            },
          ]}
        />
      )}
    </Card>
  );
}

// ---- the grade-conversion spread

export function SpreadCard({ report, query }: { report: QualityReport | undefined; query: QualityQuery }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const rows = useMemo(() => report?.spread ?? [], [report]);
  const minCell = report?.minCell ?? 5;
  const decimal = (v: number | null) => (v === null ? '—' : new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 1 }).format(v));
  const points = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${decimal(Math.abs(v))}`);
  const labels = useMemo(
    () => ({
      lower: t('quality.spread.lower'),
      same: t('quality.spread.same'),
      higher: t('quality.spread.higher'),
      withheld: t('quality.withheldShort'),
      pair: (r: GradeSpread) => `${r.source.code} → ${r.target.code}`,
      shift: (r: GradeSpread) => t('quality.spread.shiftShort', { lines: r.lines, mean: points(r.meanShift), sd: decimal(r.sd) }),
      tooltip: (r: GradeSpread) =>
        r.suppressed
          ? `${localName(lang, r.source.nameZh, r.source.nameEn)} → ${localName(lang, r.target.nameZh, r.target.nameEn)}\n${t('quality.withheld', { minCell })}`
          : t('quality.spread.tooltip', {
              from: localName(lang, r.source.nameZh, r.source.nameEn),
              to: localName(lang, r.target.nameZh, r.target.nameEn),
              lines: r.lines,
              mean: points(r.meanShift),
              sd: decimal(r.sd),
              lower: r.lower,
              same: r.same,
              higher: r.higher,
            }),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, lang, minCell],
  );
  const withheldCell = (
    <Typography.Text type="secondary" italic data-testid="quality-withheld">
      {t('quality.withheld', { minCell })}
    </Typography.Text>
  );
  const hide = (r: GradeSpread) => ({ colSpan: r.suppressed ? 0 : 1 });
  const columns: ColumnsType<GradeSpread> = [
    { title: t('quality.pairs.from'), key: 'from', render: (_, r) => <InstitutionCell i={r.source} /> },
    { title: t('quality.pairs.to'), key: 'to', render: (_, r) => <InstitutionCell i={r.target} /> },
    {
      title: t('quality.spread.lines'),
      dataIndex: 'lines',
      align: 'right',
      onCell: (r) => ({ colSpan: r.suppressed ? 6 : 1 }),
      render: (v: number | null, r) => (r.suppressed ? withheldCell : num(v)),
    },
    {
      title: (
        <Tooltip title={t('quality.spread.meanHelp')}>
          <span>{t('quality.spread.mean')}</span>
        </Tooltip>
      ),
      dataIndex: 'meanShift',
      align: 'right',
      onCell: hide,
      render: (v: number | null) => <span className="cb-num">{points(v)}</span>,
    },
    {
      title: t('quality.spread.sd'),
      dataIndex: 'sd',
      align: 'right',
      onCell: hide,
      render: (v: number | null) => <span className="cb-num">{decimal(v)}</span>,
    },
    { title: <span style={{ color: SPREAD_COLORS.lower }}>{t('quality.spread.lower')}</span>, dataIndex: 'lower', align: 'right', onCell: hide, render: num },
    { title: t('quality.spread.same'), dataIndex: 'same', align: 'right', onCell: hide, render: num },
    {
      title: <span style={{ color: SPREAD_COLORS.higher }}>{t('quality.spread.higher')}</span>,
      dataIndex: 'higher',
      align: 'right',
      onCell: hide,
      render: num,
    },
  ];
  return (
    <Card
      title={t('quality.spread.title')}
      data-testid="quality-spread"
      extra={
        <Space>
          <ViewSwitch value={view} onChange={setView} testId="quality-spread-view" />
          <Button size="small" icon={<DownloadOutlined />} href={qualityFileUrl(query, 'csv', 'spread')} download data-testid="quality-spread-csv">
            {t('quality.exportCsv')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('quality.spread.help')}
      </Typography.Paragraph>
      {!report ? (
        chartFallback
      ) : rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quality.spread.empty')} data-testid="quality-spread-empty" />
      ) : view === 'chart' ? (
        <Suspense fallback={chartFallback}>
          <SpreadChart rows={rows} labels={labels} />
        </Suspense>
      ) : (
        <Table<GradeSpread>
          data-testid="quality-spread-table"
          size="small"
          rowKey={(r) => `${r.source.id}>${r.target.id}`}
          pagination={false}
          dataSource={rows}
          onRow={(r) =>
            ({
              'data-testid': 'quality-spread-row',
              'data-pair': `${r.source.code}>${r.target.code}`,
              'data-suppressed': String(r.suppressed),
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={columns}
          scroll={{ x: 720 }}
        />
      )}
    </Card>
  );
}
