// Quality indicators (质量指标): the figures of a period for the whole alliance or one institution,
// each with its definition; the monthly trend; the commonest reasons for rejection; transfers by
// institution pair. The period and institution live in the address (?from=YYYY-MM&to=YYYY-MM&
// institution=…) so that a view can be shared. Staff see only their own institutions.
import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from 'react';
import { Button, Card, Col, DatePicker, Empty, Popover, Row, Segmented, Select, Skeleton, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, FileExcelOutlined, InfoCircleOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { qualityFileUrl, useMonthlyReports, useQualityReport, type Indicator, type InstitutionPair, type PairInstitution, type QualityQuery, type QualityReport, type RejectionReason } from '../../api/quality';
import type { Institution } from '../../api/types';
import { hasRole, institutionGrants, useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { addMonths, defaultMonths, formatValue, monthOf, monthsBetween, parseMonth, percent, periodOf, saveText, toCsv, TREND_MONTHS, type Month } from './present';
import type { TrendPoint } from './TrendChart';
import './quality.css';

const TrendChart = lazy(() => import('./TrendChart'));
const PairHeatmap = lazy(() => import('./PairHeatmap'));

const GROUPS = ['certification', 'transfer', 'satisfaction'] as const;
type Group = (typeof GROUPS)[number];
const ALLIANCE = 'alliance';

/** What an empty (null) figure means, by indicator. */
function emptyHintKey(id: string): string {
  if (id === 'certification.overturn_rate') return 'quality.empty.noAppealDecisions';
  if (id.startsWith('satisfaction.')) return 'quality.empty.noRatings';
  return 'quality.empty.noDecisions';
}

const UNIT_KEYS: Record<string, string> = { days: 'quality.unit.days', credits: 'quality.unit.credits', score: 'quality.unit.score' };

/** The institutions the user may choose: every one for administrators and the committee, else their own. */
function useInstitutionOptions() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  const whole = hasRole(me, 'admin', 'committee');
  const all = useQuery({
    queryKey: ['institutions'],
    queryFn: ({ signal }) => api<{ items: Institution[] }>('/institutions', { signal }),
    enabled: whole,
  });
  const options = useMemo(() => {
    if (whole) {
      const items = [...(all.data?.items ?? [])].sort((a, b) => a.code.localeCompare(b.code));
      return [
        { value: ALLIANCE, label: t('quality.filters.alliance'), code: '' },
        ...items.map((i) => ({ value: i.id, label: `${i.code} · ${localName(lang, i.nameZh, i.nameEn)}`, code: i.code })),
      ];
    }
    return institutionGrants(me).map((g) => ({ value: g.institutionId ?? '', label: `${g.institutionCode ?? ''} · ${localName(lang, g.institutionNameZh, g.institutionNameEn)}`, code: g.institutionCode ?? '' }));
  }, [whole, all.data, me, lang, t]);
  return { whole, options, loading: whole && all.isPending, error: all.error };
}

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
      <Button type="text" size="small" className="cb-quality-info" icon={<InfoCircleOutlined />} aria-label={t('quality.definitionOf', { title })} data-testid={`quality-definition-${indicator.id}`} />
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

/** A card's switch between the chart and a table of the same numbers. */
function ViewSwitch({ value, onChange, testId }: { value: 'chart' | 'table'; onChange: (v: 'chart' | 'table') => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Segmented<'chart' | 'table'>
      size="small"
      data-testid={testId}
      value={value}
      onChange={onChange}
      options={[
        { value: 'chart', label: <span data-testid={`${testId}-chart`}>{t('quality.view.chart')}</span> },
        { value: 'table', label: <span data-testid={`${testId}-table`}>{t('quality.view.table')}</span> },
      ]}
    />
  );
}

const chartFallback = <Skeleton active paragraph={{ rows: 6 }} />;

function TrendCard({ from, to, institution, title }: { from: Month; to: Month; institution: string | null; title: ReactNode }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const all = monthsBetween(from, to);
  const monthsKey = all.slice(-TREND_MONTHS).join(',');
  const months = useMemo(() => (monthsKey ? monthsKey.split(',') : []), [monthsKey]);
  const queries = useMemo(() => months.map((m) => ({ ...periodOf(m, m), institution })), [months, institution]);
  const reports = useMonthlyReports(queries);
  const points: TrendPoint[] | undefined = useMemo(
    () =>
      reports.data?.map((r, i) => {
        const value = (id: string) => r.indicators.find((x) => x.id === id)?.value ?? null;
        return { month: months[i] ?? '', submitted: value('certification.submitted'), decided: value('certification.decided'), rate: percent(value('certification.acceptance_rate')) };
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
        [t('quality.trend.month'), `${labels.submitted} (certification.submitted)`, `${labels.decided} (certification.decided)`, `${labels.rate} % (certification.acceptance_rate)`],
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
    { title: t('quality.pairs.rate'), key: 'rate', align: 'right', onCell: (p) => ({ colSpan: p.suppressed ? 0 : 1 }), render: (_, p) => <span className="cb-num">{rateOf(p)}</span> },
    { title: t('quality.pairs.credits'), dataIndex: 'credits', align: 'right', onCell: (p) => ({ colSpan: p.suppressed ? 0 : 1 }), render: (v: number | null) => <span className="cb-num">{formatValue(v, 'credits', lang)}</span> },
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
          onRow={(p) => ({ 'data-testid': 'quality-pair-row', 'data-pair': `${p.source.code}>${p.target.code}`, 'data-suppressed': String(p.suppressed) }) as React.HTMLAttributes<HTMLElement>}
          columns={columns}
          scroll={{ x: 640 }}
        />
      )}
    </Card>
  );
}

function InstitutionCell({ i }: { i: PairInstitution }) {
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

export function QualityPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [params, setParams] = useSearchParams();
  const [showDefinitions, setShowDefinitions] = useState(false);
  const institutions = useInstitutionOptions();

  // the period: months from the address, else the last 12 months
  const fallback = defaultMonths();
  let from = parseMonth(params.get('from')) ? params.get('from')! : fallback.from;
  let to = parseMonth(params.get('to')) ? params.get('to')! : fallback.to;
  if (to < from) [from, to] = [to, from];
  // the institution: administrators and the committee may look at the alliance; staff at their own
  const asked = params.get('institution');
  const institution = institutions.whole
    ? asked && asked !== ALLIANCE
      ? asked
      : null
    : (institutions.options.find((o) => o.value === asked) ?? institutions.options[0])?.value ?? null;
  const query: QualityQuery = useMemo(() => ({ ...periodOf(from, to), institution }), [from, to, institution]);
  const report = useQualityReport(institutions.whole || institution ? query : null);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const dayjsLocale = lang === 'en' ? 'en' : 'zh-cn';
  const asDayjs = (m: Month) => dayjs(`${m}-01`).locale(dayjsLocale);
  const today = monthOf(new Date());
  const presets: { label: string; value: [Dayjs, Dayjs] }[] = [
    { label: t('quality.filters.last12'), value: [asDayjs(addMonths(today, -11)), asDayjs(today)] },
    { label: t('quality.filters.last3'), value: [asDayjs(addMonths(today, -2)), asDayjs(today)] },
    { label: t('quality.filters.thisYear'), value: [asDayjs(`${today.slice(0, 4)}-01`), asDayjs(today)] },
    { label: t('quality.filters.lastYear'), value: [asDayjs(`${Number(today.slice(0, 4)) - 1}-01`), asDayjs(`${Number(today.slice(0, 4)) - 1}-12`)] },
  ];

  const byGroup = (g: Group) => (report.data?.indicators ?? []).filter((i) => i.id.startsWith(`${g}.`));
  const scopeLabel = institution ? (institutions.options.find((o) => o.value === institution)?.label ?? '') : t('quality.filters.alliance');
  const groupSpan: Record<Group, { xl: number }> = { certification: { xl: 24 }, transfer: { xl: 14 }, satisfaction: { xl: 10 } };

  return (
    <div data-testid="quality-page">
      <PageHeader
        title={t('quality.title')}
        subtitle={t('quality.subtitle')}
        extra={
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={qualityFileUrl(query, 'csv', 'indicators')} download disabled={!report.data} data-testid="quality-indicators-csv">
              {t('quality.download.indicatorsCsv')}
            </Button>
            <Button type="primary" icon={<FileExcelOutlined />} href={qualityFileUrl(query, 'xlsx')} download disabled={!report.data} data-testid="quality-xlsx">
              {t('quality.download.xlsx')}
            </Button>
          </Space>
        }
      />
      <Card size="small" className="cb-quality-filters" style={{ marginBottom: 16 }}>
        <Space wrap size={[24, 12]} align="center">
          <Space>
            <Typography.Text>{t('quality.filters.period')}</Typography.Text>
            <span data-testid="quality-period">
              <DatePicker.RangePicker
                picker="month"
                format="YYYY-MM"
                allowClear={false}
                value={[asDayjs(from), asDayjs(to)]}
                presets={presets}
                disabledDate={(d) => d.format('YYYY-MM') > today}
                onChange={(range) => {
                  const [a, b] = range ?? [];
                  if (a && b) update({ from: a.format('YYYY-MM'), to: b.format('YYYY-MM') });
                }}
              />
            </span>
          </Space>
          <Space>
            <Typography.Text>{t('quality.filters.institution')}</Typography.Text>
            <Select
              data-testid="quality-institution"
              style={{ minWidth: 300 }}
              loading={institutions.loading}
              value={institutions.whole ? (institution ?? ALLIANCE) : (institution ?? undefined)}
              options={institutions.options.map(({ value, label }) => ({ value, label }))}
              onChange={(v: string) => update({ institution: v === ALLIANCE ? null : v })}
              showSearch
              optionFilterProp="label"
              aria-label={t('quality.filters.institution')}
            />
          </Space>
          <Space>
            <Switch size="small" checked={showDefinitions} onChange={setShowDefinitions} data-testid="quality-show-definitions" />
            <Typography.Text>{t('quality.filters.showDefinitions')}</Typography.Text>
          </Space>
        </Space>
        <div className="cb-quality-scope" data-testid="quality-scope">
          <Tag color="blue" bordered={false}>
            {scopeLabel}
          </Tag>
          <Typography.Text type="secondary">
            {t('quality.periodNote', { from, to })}
            {!institutions.whole && report.data && <> {t('quality.suppressionNote', { minCell: report.data.minCell })}</>}
          </Typography.Text>
        </div>
      </Card>

      {institutions.error && <ErrorAlert error={institutions.error} style={{ marginBottom: 16 }} />}
      {report.isError && <ErrorAlert error={report.error} style={{ marginBottom: 16 }} />}

      <Row gutter={[16, 16]}>
        {GROUPS.map((g) => (
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
            </Card>
          </Col>
        ))}
        <Col span={24}>
          <TrendCard from={from} to={to} institution={institution} title={t('quality.trend.title')} />
        </Col>
        <Col xs={24} xl={10}>
          <ReasonsCard report={report.data} query={query} />
        </Col>
        <Col xs={24} xl={14}>
          <PairsCard report={report.data} query={query} />
        </Col>
      </Row>
    </div>
  );
}
