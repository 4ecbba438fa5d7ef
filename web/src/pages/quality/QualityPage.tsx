// Quality indicators (质量指标): the figures of a period for the whole alliance or one institution,
// each with its definition; the monthly trend; the commonest reasons for rejection; transfers by
// institution pair. The period and institution live in the address (?from=YYYY-MM&to=YYYY-MM&
// institution=…) so that a view can be shared. Staff see only their own institutions.
import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from 'react';
import { Button, Card, Col, Empty, Popover, Row, Skeleton, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { AuditOutlined, DownloadOutlined, FileExcelOutlined, FilePdfOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import {
  qualityFileUrl,
  useMonthlyReports,
  useQualityReport,
  type Indicator,
  type InstitutionPair,
  type PairInstitution,
  type FieldCode,
  type QualityQuery,
  type QualityReport,
  type RejectionReason,
} from '../../api/quality';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { FieldFilter, PeriodAndInstitution, useQualityFilters, ViewSwitch } from './filters';
import { BreakdownCard } from './BreakdownCard';
import { FunnelsCard, InstitutionCell, LedgerTable, SpreadCard } from './FlowCards';
import { formatValue, monthsBetween, percent, periodOf, saveText, toCsv, TREND_MONTHS, type Month } from './present';
import type { TrendPoint } from './TrendChart';
import './quality.css';

const TrendChart = lazy(() => import('./TrendChart'));
const PairHeatmap = lazy(() => import('./PairHeatmap'));

const GROUPS = ['certification', 'transfer', 'satisfaction', 'ledger', 'awards'] as const;
type Group = (typeof GROUPS)[number];

/** What an empty (null) figure means, by indicator. */
function emptyHintKey(id: string): string {
  if (id === 'certification.overturn_rate') return 'quality.empty.noAppealDecisions';
  if (id.startsWith('satisfaction.')) return 'quality.empty.noRatings';
  if (id.startsWith('awards.')) return 'quality.empty.noAwards';
  return 'quality.empty.noDecisions';
}

const UNIT_KEYS: Record<string, string> = {
  days: 'quality.unit.days',
  credits: 'quality.unit.credits',
  score: 'quality.unit.score',
  semesters: 'quality.unit.semesters',
};

function Definition({ indicator }: { indicator: Indicator }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const title = lang === 'en' ? indicator.titleEn : indicator.titleZh;
  return (
    <Popover
      trigger={['hover', 'click']}
      title={title}
      content={
        <div style={{ maxWidth: 320 }} data-testid="quality-definition-text">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('quality.definition')}
          </Typography.Text>
          <div>{lang === 'en' ? indicator.formulaEn : indicator.formulaZh}</div>
        </div>
      }
    >
      <Button
        type="text"
        size="small"
        className="cb-quality-info"
        icon={<InfoCircleOutlined />}
        aria-label={t('quality.definitionOf', { title })}
        data-testid={`quality-definition-${indicator.id}`}
      />
    </Popover>
  );
}

function IndicatorTile({ indicator, showDefinitions }: { indicator: Indicator; showDefinitions: boolean }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const unitKey = UNIT_KEYS[indicator.unit];
  return (
    <div className="cb-quality-tile" data-testid={`quality-card-${indicator.id}`} data-value={indicator.value ?? ''}>
      <div className="cb-quality-tile-title">
        <span>{lang === 'en' ? indicator.titleEn : indicator.titleZh}</span>
        <Definition indicator={indicator} />
      </div>
      <div className="cb-quality-tile-value cb-num" data-testid="quality-value">
        {formatValue(indicator.value, indicator.unit, lang)}
        {indicator.value !== null && unitKey && <span className="cb-quality-tile-unit"> {t(unitKey)}</span>}
      </div>
      {indicator.value === null && (
        <Typography.Text type="secondary" className="cb-quality-tile-hint" data-testid="quality-empty-hint">
          {t(emptyHintKey(indicator.id))}
        </Typography.Text>
      )}
      {showDefinitions && (
        <Typography.Paragraph type="secondary" className="cb-quality-tile-formula" data-testid="quality-formula">
          {lang === 'en' ? indicator.formulaEn : indicator.formulaZh}
        </Typography.Paragraph>
      )}
    </div>
  );
}

const chartFallback = <Skeleton active paragraph={{ rows: 6 }} />;

function TrendCard({ from, to, institution, field, title }: { from: Month; to: Month; institution: string | null; field: FieldCode | null; title: ReactNode }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const all = monthsBetween(from, to);
  const monthsKey = all.slice(-TREND_MONTHS).join(',');
  const months = useMemo(() => (monthsKey ? monthsKey.split(',') : []), [monthsKey]);
  const queries = useMemo(() => months.map((m) => ({ ...periodOf(m, m), institution, field })), [months, institution, field]);
  const reports = useMonthlyReports(queries);
  const points: TrendPoint[] | undefined = useMemo(
    () =>
      reports.data?.map((r, i) => {
        const value = (id: string) => r.indicators.find((x) => x.id === id)?.value ?? null;
        return {
          month: months[i] ?? '',
          submitted: value('certification.submitted'),
          decided: value('certification.decided'),
          rate: percent(value('certification.acceptance_rate')),
        };
      }),
    [reports.data, months],
  );
  const labels = useMemo(
    () => ({
      submitted: t('quality.trend.submitted'),
      decided: t('quality.trend.decided'),
      rate: t('quality.trend.rate'),
      count: t('quality.trend.count'),
      none: t('quality.empty.noDecisions'),
    }),
    [t],
  );
  const exportCsv = () => {
    if (!points) return;
    saveText(
      toCsv([
        [
          t('quality.trend.month'),
          `${labels.submitted} (certification.submitted)`,
          `${labels.decided} (certification.decided)`,
          `${labels.rate} % (certification.acceptance_rate)`,
        ],
        ...points.map((p) => [p.month, p.submitted, p.decided, p.rate]),
      ]),
      `quality-trend-${months[0] ?? from}-${months[months.length - 1] ?? to}.csv`,
    );
  };
  return (
    <Card
      title={title}
      data-testid="quality-trend"
      extra={
        <Space>
          <ViewSwitch value={view} onChange={setView} testId="quality-trend-view" />
          <Button size="small" icon={<DownloadOutlined />} disabled={!points} onClick={exportCsv} data-testid="quality-trend-csv">
            {t('quality.exportCsv')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('quality.trend.help')}
        {all.length > months.length && <> {t('quality.trend.truncated', { count: TREND_MONTHS })}</>}
      </Typography.Paragraph>
      {reports.error ? (
        <ErrorAlert error={reports.error} />
      ) : !points ? (
        <div data-testid="quality-trend-loading">
          <Typography.Text type="secondary">{t('quality.trend.loading', { loaded: reports.loaded, total: months.length })}</Typography.Text>
          {chartFallback}
        </div>
      ) : view === 'chart' ? (
        <Suspense fallback={chartFallback}>
          <TrendChart points={points} labels={labels} />
        </Suspense>
      ) : (
        <Table<TrendPoint>
          data-testid="quality-trend-table"
          size="small"
          rowKey="month"
          pagination={false}
          dataSource={points}
          onRow={(p) => ({ 'data-testid': 'quality-trend-row', 'data-month': p.month }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('quality.trend.month'), dataIndex: 'month' },
            { title: labels.submitted, dataIndex: 'submitted', align: 'right', render: (v: number | null) => <span className="cb-num">{v ?? '—'}</span> },
            { title: labels.decided, dataIndex: 'decided', align: 'right', render: (v: number | null) => <span className="cb-num">{v ?? '—'}</span> },
            {
              title: labels.rate,
              dataIndex: 'rate',
              align: 'right',
              render: (v: number | null) =>
                v === null ? (
                  <Tooltip title={labels.none}>
                    <span>—</span>
                  </Tooltip>
                ) : (
                  <span className="cb-num">{v}%</span>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function ReasonsCard({ report, query }: { report: QualityReport | undefined; query: QualityQuery }) {
  const { t } = useTranslation();
  const withheld = t('quality.withheld', { minCell: report?.minCell ?? 5 });
  const columns: ColumnsType<RejectionReason & { rank: number }> = [
    { title: '#', dataIndex: 'rank', width: 40 },
    {
      title: t('quality.reasons.reason'),
      dataIndex: 'reason',
      render: (reason: string | null, r) =>
        r.suppressed ? (
          <Typography.Text type="secondary" italic data-testid="quality-withheld">
            {withheld}
          </Typography.Text>
        ) : (
          reason
        ),
    },
    { title: t('quality.reasons.count'), dataIndex: 'count', align: 'right', width: 90, render: (v: number) => <span className="cb-num">{v}</span> },
    { title: t('quality.reasons.learners'), dataIndex: 'learners', align: 'right', width: 90, render: (v: number) => <span className="cb-num">{v}</span> },
  ];
  return (
    <Card
      title={t('quality.reasons.title')}
      data-testid="quality-reasons"
      style={{ height: '100%' }}
      extra={
        <Button size="small" icon={<DownloadOutlined />} href={qualityFileUrl(query, 'csv', 'reasons')} download data-testid="quality-reasons-csv">
          {t('quality.exportCsv')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('quality.reasons.help')}
      </Typography.Paragraph>
      <Table
        data-testid="quality-reasons-table"
        size="small"
        rowKey="rank"
        pagination={false}
        loading={!report}
        dataSource={(report?.rejectionReasons ?? []).slice(0, 5).map((r, i) => ({ ...r, rank: i + 1 }))}
        columns={columns}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quality.reasons.empty')} /> }}
      />
    </Card>
  );
}

function PairsCard({ report, query }: { report: QualityReport | undefined; query: QualityQuery }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const minCell = report?.minCell ?? 5;
  const pairs = useMemo(() => report?.pairs ?? [], [report]);
  const name = useCallback((i: PairInstitution) => localName(lang, i.nameZh, i.nameEn), [lang]);
  const rateOf = (p: InstitutionPair) => (p.decided ? formatValue((p.accepted ?? 0) / p.decided, 'ratio', lang) : '—');
  const labels = useMemo(
    () => ({
      from: t('quality.pairs.from'),
      to: t('quality.pairs.to'),
      rate: t('quality.pairs.rate'),
      withheldShort: t('quality.withheldShort'),
      withheld: t('quality.withheld', { minCell }),
      tooltip: (p: InstitutionPair) =>
        p.suppressed
          ? `${name(p.source)} → ${name(p.target)}\n${t('quality.withheld', { minCell })}`
          : t('quality.pairs.tooltip', {
              from: name(p.source),
              to: name(p.target),
              decided: p.decided,
              accepted: p.accepted,
              rate: p.decided ? formatValue((p.accepted ?? 0) / p.decided, 'ratio', lang) : '—',
              credits: formatValue(p.credits, 'credits', lang),
              learners: p.learners,
            }),
    }),
    [t, name, minCell, lang],
  );
  const number = (v: number | null) => <span className="cb-num">{v ?? '—'}</span>;
  const columns: ColumnsType<InstitutionPair> = [
    { title: t('quality.pairs.from'), key: 'from', render: (_, p) => <InstitutionCell i={p.source} /> },
    { title: t('quality.pairs.to'), key: 'to', render: (_, p) => <InstitutionCell i={p.target} /> },
    {
      title: t('quality.pairs.decided'),
      dataIndex: 'decided',
      align: 'right',
      onCell: (p) => ({ colSpan: p.suppressed ? 5 : 1 }),
      render: (v: number | null, p) =>
        p.suppressed ? (
          <Typography.Text type="secondary" italic data-testid="quality-withheld">
            {labels.withheld}
          </Typography.Text>
        ) : (
          number(v)
        ),
    },
    { title: t('quality.pairs.accepted'), dataIndex: 'accepted', align: 'right', onCell: (p) => ({ colSpan: p.suppressed ? 0 : 1 }), render: number },
    {
      title: t('quality.pairs.rate'),
      key: 'rate',
      align: 'right',
      onCell: (p) => ({ colSpan: p.suppressed ? 0 : 1 }),
      render: (_, p) => <span className="cb-num">{rateOf(p)}</span>,
    },
    {
      title: t('quality.pairs.credits'),
      dataIndex: 'credits',
      align: 'right',
      onCell: (p) => ({ colSpan: p.suppressed ? 0 : 1 }),
      render: (v: number | null) => <span className="cb-num">{formatValue(v, 'credits', lang)}</span>,
    },
    { title: t('quality.pairs.learners'), dataIndex: 'learners', align: 'right', onCell: (p) => ({ colSpan: p.suppressed ? 0 : 1 }), render: number },
  ];
  return (
    <Card
      title={t('quality.pairs.title')}
      data-testid="quality-pairs"
      style={{ height: '100%' }}
      extra={
        <Space>
          <ViewSwitch value={view} onChange={setView} testId="quality-pairs-view" />
          <Button size="small" icon={<DownloadOutlined />} href={qualityFileUrl(query, 'csv', 'pairs')} download data-testid="quality-pairs-csv">
            {t('quality.exportCsv')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('quality.pairs.help')}
      </Typography.Paragraph>
      {!report ? (
        chartFallback
      ) : pairs.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quality.pairs.empty')} data-testid="quality-pairs-empty" />
      ) : view === 'chart' ? (
        <Suspense fallback={chartFallback}>
          <PairHeatmap pairs={pairs} name={name} labels={labels} />
        </Suspense>
      ) : (
        <Table<InstitutionPair>
          data-testid="quality-pairs-table"
          size="small"
          rowKey={(p) => `${p.source.id}>${p.target.id}`}
          pagination={false}
          dataSource={pairs}
          onRow={(p) =>
            ({
              'data-testid': 'quality-pair-row',
              'data-pair': `${p.source.code}>${p.target.code}`,
              'data-suppressed': String(p.suppressed),
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={columns}
          scroll={{ x: 640 }}
        />
      )}
    </Card>
  );
}

export function QualityPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [showDefinitions, setShowDefinitions] = useState(false);
  const filters = useQualityFilters();
  const { from, to, institution, field, institutions, query, search } = filters;
  const report = useQualityReport(institutions.whole || institution ? query : null);

  const byGroup = (g: Group) => (report.data?.indicators ?? []).filter((i) => i.id.startsWith(`${g}.`));
  // a server without the part-2 figures shows no empty groups for them
  const groups = GROUPS.filter((g) => report.isPending || byGroup(g).length > 0);
  const scopeLabel = filters.scopeLabel ?? t('quality.filters.alliance');
  const groupSpan: Record<Group, { xl: number }> = {
    certification: { xl: 24 },
    transfer: { xl: 14 },
    satisfaction: { xl: 10 },
    ledger: { xl: 12 },
    awards: { xl: 12 },
  };

  return (
    <div data-testid="quality-page">
      <PageHeader
        title={t('quality.title')}
        subtitle={t('quality.subtitle')}
        extra={
          <Space wrap>
            <Link to={`/quality/rules${search}`} data-testid="quality-link-rules">
              <Button icon={<AuditOutlined />}>{t('quality.rules.nav')}</Button>
            </Link>
            <Link to={`/quality/reports${institution ? `?institution=${institution}` : ''}`} data-testid="quality-link-reports">
              <Button icon={<FilePdfOutlined />}>{t('quality.reports.nav')}</Button>
            </Link>
            <Button
              icon={<DownloadOutlined />}
              href={qualityFileUrl(query, 'csv', 'indicators')}
              download
              disabled={!report.data}
              data-testid="quality-indicators-csv"
            >
              {t('quality.download.indicatorsCsv')}
            </Button>
            <Button
              type="primary"
              icon={<FileExcelOutlined />}
              href={qualityFileUrl(query, 'xlsx')}
              download
              disabled={!report.data}
              data-testid="quality-xlsx"
            >
              {t('quality.download.xlsx')}
            </Button>
          </Space>
        }
      />
      <Card size="small" className="cb-quality-filters" style={{ marginBottom: 16 }}>
        <PeriodAndInstitution filters={filters}>
          {institutions.whole && <FieldFilter filters={filters} />}
          <Space>
            <Switch
              size="small"
              checked={showDefinitions}
              onChange={setShowDefinitions}
              aria-label={t('quality.filters.showDefinitions')}
              data-testid="quality-show-definitions"
            />
            <Typography.Text>{t('quality.filters.showDefinitions')}</Typography.Text>
          </Space>
        </PeriodAndInstitution>
        <div className="cb-quality-scope" data-testid="quality-scope">
          <Tag color="blue" bordered={false}>
            {scopeLabel}
          </Tag>
          {report.data?.field && (
            <Tag color="purple" bordered={false} data-testid="quality-field-tag">
              {report.data.field.key} · {lang === 'en' ? report.data.field.labelEn : report.data.field.labelZh}
            </Tag>
          )}
          <Typography.Text type="secondary">
            {t('quality.periodNote', { from, to })}
            {!institutions.whole && report.data && <> {t('quality.suppressionNote', { minCell: report.data.minCell })}</>}
          </Typography.Text>
        </div>
      </Card>

      {institutions.error && <ErrorAlert error={institutions.error} style={{ marginBottom: 16 }} />}
      {report.isError && <ErrorAlert error={report.error} style={{ marginBottom: 16 }} />}

      <Row gutter={[16, 16]}>
        {groups.map((g) => (
          <Col key={g} xs={24} {...groupSpan[g]}>
            <Card title={t(`quality.groups.${g}`)} data-testid={`quality-group-${g}`} style={{ height: '100%' }}>
              {report.isPending ? (
                <Skeleton active paragraph={{ rows: 2 }} />
              ) : (
                <div className="cb-quality-tiles">
                  {byGroup(g).map((i) => (
                    <IndicatorTile key={i.id} indicator={i} showDefinitions={showDefinitions} />
                  ))}
                </div>
              )}
              {g === 'ledger' && report.data?.ledger && <LedgerTable report={report.data} query={query} />}
            </Card>
          </Col>
        ))}
        <Col span={24}>
          <TrendCard from={from} to={to} institution={institution} field={field} title={t('quality.trend.title')} />
        </Col>
        {(report.isPending || report.data?.breakdown) && (
          <Col span={24}>
            <BreakdownCard report={report.data} query={query} />
          </Col>
        )}
        {(report.isPending || report.data?.funnels) && (
          <Col span={24}>
            <FunnelsCard report={report.data} query={query} />
          </Col>
        )}
        <Col xs={24} xl={10}>
          <ReasonsCard report={report.data} query={query} />
        </Col>
        <Col xs={24} xl={14}>
          <PairsCard report={report.data} query={query} />
        </Col>
        {(report.isPending || report.data?.spread) && (
          <Col span={24}>
            <SpreadCard report={report.data} query={query} />
          </Col>
        )}
      </Row>
    </div>
  );
}
