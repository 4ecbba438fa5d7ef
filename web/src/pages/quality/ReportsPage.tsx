// Monthly quality reports (质量报告): the server makes last month's report for the alliance and for
// every institution on its own at each month's turn, and keeps them; this page lists the ones the
// viewer may see with their PDF and XLSX, and lets those allowed generate one for an ended month
// now, polling until it is ready. The institution filter lives in the address (?institution=…).
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, DatePicker, Empty, Form, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  ArrowLeftOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  FileExcelOutlined,
  FilePdfOutlined,
  ReloadOutlined,
  SyncOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { monthlyReportFileUrl, REPORTS_KEY, requestMonthlyReport, useMonthlyReportList, type MonthlyReport } from '../../api/quality';
import { holds, may, usePermissions } from '../../api/permissions';
import { hasRole, useCurrentUser } from '../../auth';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { ALLIANCE, useInstitutionOptions } from './filters';
import { addMonths, formatBytes, monthOf } from './present';

function StatusTag({ report }: { report: MonthlyReport }) {
  const { t } = useTranslation();
  if (report.status === 'pending')
    return (
      <Tag icon={<SyncOutlined spin />} color="processing" data-testid="report-status" data-status="pending">
        {t('quality.reports.status.pending')}
      </Tag>
    );
  if (report.status === 'failed')
    return (
      <Tooltip title={report.error ?? undefined}>
        <Tag icon={<CloseCircleFilled />} color="error" data-testid="report-status" data-status="failed">
          {t('quality.reports.status.failed')}
        </Tag>
      </Tooltip>
    );
  return (
    <Tag icon={<CheckCircleFilled />} color="success" data-testid="report-status" data-status="ready">
      {t('quality.reports.status.ready')}
    </Tag>
  );
}

function Downloads({ report, size = 'small' }: { report: MonthlyReport; size?: 'small' | 'middle' }) {
  const ready = report.status === 'ready';
  return (
    <Space size={4}>
      <Button
        size={size}
        icon={<FilePdfOutlined />}
        href={ready ? monthlyReportFileUrl(report.id, 'pdf') : undefined}
        download
        disabled={!ready}
        data-testid="report-pdf"
      >
        PDF
      </Button>
      <Button
        size={size}
        icon={<FileExcelOutlined />}
        href={ready ? monthlyReportFileUrl(report.id, 'xlsx') : undefined}
        download
        disabled={!ready}
        data-testid="report-xlsx"
      >
        XLSX
      </Button>
    </Space>
  );
}

/** Which scopes the user may generate a report for: the alliance and every institution for administrators and the committee; their own as a registrar. */
function useGenerateScopes() {
  const me = useCurrentUser();
  const institutions = useInstitutionOptions();
  const whole = hasRole(me, 'admin', 'committee');
  const registrarOf = new Set(me.roles.filter((r) => r.role === 'registrar' && r.institutionId).map((r) => r.institutionId!));
  const options = whole ? institutions.options : institutions.options.filter((o) => registrarOf.has(o.value));
  return { options, loading: institutions.loading, whole };
}

function GenerateCard({ onRequested }: { onRequested: (r: MonthlyReport) => void }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const scopes = useGenerateScopes();
  const thisMonth = monthOf(new Date());
  const [month, setMonth] = useState<string>(addMonths(thisMonth, -1));
  const [scope, setScope] = useState<string | undefined>(undefined);
  const chosenScope = scope ?? scopes.options[0]?.value;
  const request = useMutation({
    mutationFn: () => requestMonthlyReport({ month, ...(chosenScope && chosenScope !== ALLIANCE ? { institution: chosenScope } : {}) }),
    onSuccess: (r) => {
      void message.success(t('quality.reports.generate.started', { month: r.month }));
      onRequested(r);
      void queryClient.invalidateQueries({ queryKey: REPORTS_KEY });
    },
  });
  const asDayjs = (m: string) => dayjs(`${m}-01`).locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <Card title={t('quality.reports.generate.title')} data-testid="report-generate" style={{ height: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('quality.reports.generate.help')}
      </Typography.Paragraph>
      <Form layout="vertical" onFinish={() => request.mutate()} requiredMark={false}>
        <Row gutter={12}>
          <Col xs={24} sm={9}>
            <Form.Item label={t('quality.reports.generate.month')} extra={t('quality.reports.generate.monthHelp')}>
              <span data-testid="report-month">
                <DatePicker
                  picker="month"
                  format="YYYY-MM"
                  allowClear={false}
                  style={{ width: '100%' }}
                  value={asDayjs(month)}
                  // only months that have ended
                  disabledDate={(d: Dayjs) => d.format('YYYY-MM') >= thisMonth}
                  onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
                />
              </span>
            </Form.Item>
          </Col>
          <Col xs={24} sm={15}>
            <Form.Item label={t('quality.reports.generate.scope')}>
              <Select
                data-testid="report-scope"
                loading={scopes.loading}
                value={chosenScope}
                options={scopes.options.map(({ value, label }) => ({ value, label }))}
                onChange={setScope}
                showSearch
                optionFilterProp="label"
                aria-label={t('quality.reports.generate.scope')}
              />
            </Form.Item>
          </Col>
        </Row>
        {request.isError && <ErrorAlert error={request.error} title={t('quality.reports.generate.failed')} style={{ marginBottom: 12 }} />}
        <Button
          type="primary"
          htmlType="submit"
          icon={<ThunderboltOutlined />}
          loading={request.isPending}
          disabled={!chosenScope}
          data-testid="report-generate-submit"
        >
          {t('quality.reports.generate.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** The report just asked for: being made (with the list polling), then ready to download, or failed. */
function Requested({ report, scopeName }: { report: MonthlyReport; scopeName: string }) {
  const { t } = useTranslation();
  const what = t('quality.reports.what', { month: report.month, scope: scopeName });
  if (report.status === 'pending')
    return (
      <Alert
        type="info"
        showIcon
        icon={<SyncOutlined spin />}
        data-testid="report-requested"
        data-status="pending"
        message={t('quality.reports.requested.pending', { what })}
        description={t('quality.reports.requested.pendingHelp')}
      />
    );
  if (report.status === 'failed')
    return (
      <Alert
        type="error"
        showIcon
        data-testid="report-requested"
        data-status="failed"
        message={t('quality.reports.requested.failed', { what })}
        description={report.error}
      />
    );
  return (
    <Alert
      type="success"
      showIcon
      data-testid="report-requested"
      data-status="ready"
      message={t('quality.reports.requested.ready', { what })}
      action={<Downloads report={report} size="middle" />}
    />
  );
}

export function ReportsPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const institutions = useInstitutionOptions();
  // who may make a report again, as the policy table says: registrars their institution's, the committee and administrators any
  const permissions = usePermissions(me.id).data;
  const canGenerate = holds(permissions, 'quality.requestReport');
  // administrators and the committee may narrow the list to one institution
  const asked = params.get('institution');
  const filter = institutions.whole && asked && asked !== ALLIANCE ? asked : null;
  const list = useMonthlyReportList(filter);
  const [requestedId, setRequestedId] = useState<string | null>(null);
  const [requestedFallback, setRequestedFallback] = useState<MonthlyReport | null>(null);
  const requested = (requestedId && list.data?.items.find((r) => r.id === requestedId)) || requestedFallback;

  // a failed report may be made again by whoever may generate it
  const canRetry = (r: MonthlyReport) => may(permissions, 'quality.requestReport', { institutionId: r.institution?.id ?? null });
  const { message } = AntApp.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: (r: MonthlyReport) => requestMonthlyReport({ month: r.month, ...(r.institution ? { institution: r.institution.id } : {}) }),
    onSuccess: (r) => {
      setRequestedId(r.id);
      setRequestedFallback(r);
      void queryClient.invalidateQueries({ queryKey: REPORTS_KEY });
    },
    onError: (err) => void message.error(errorMessage(err)),
  });
  const scopeName = (r: MonthlyReport) =>
    r.institution ? `${r.institution.code} · ${localName(lang, r.institution.nameZh, r.institution.nameEn)}` : t('quality.filters.alliance');
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  // Versions of one month and scope: the newest ready one is the latest; the ready or failed ones made
  // before it are superseded (a failed attempt made after it still shows, to be tried again).
  const versions = useMemo(() => {
    const scopeMonth = (r: MonthlyReport) => `${r.institution?.id ?? 'alliance'} ${r.month}`;
    const count = new Map<string, number>();
    const latestAt = new Map<string, string>();
    for (const r of items) {
      count.set(scopeMonth(r), (count.get(scopeMonth(r)) ?? 0) + 1);
      if (r.latest) latestAt.set(scopeMonth(r), r.createdAt);
    }
    return {
      several: (r: MonthlyReport) => (count.get(scopeMonth(r)) ?? 0) > 1,
      superseded: (r: MonthlyReport) => {
        const at = latestAt.get(scopeMonth(r));
        return !r.latest && r.status !== 'pending' && at !== undefined && r.createdAt <= at;
      },
    };
  }, [items]);

  const columns: ColumnsType<MonthlyReport> = [
    {
      title: t('quality.reports.month'),
      dataIndex: 'month',
      width: 120,
      render: (m: string, r) => (
        <Space direction="vertical" size={2}>
          <span className="cb-num">{m}</span>
          {/* only where the month and scope has several versions: a lone report needs no marker */}
          {r.latest && versions.several(r) && (
            <Tooltip title={t('quality.reports.latestHelp')}>
              <Tag color="blue" className="cb-reports-version" data-testid="report-latest">
                {t('quality.reports.latest')}
              </Tag>
            </Tooltip>
          )}
          {versions.superseded(r) && (
            <Tooltip title={t('quality.reports.supersededHelp')}>
              <Tag className="cb-reports-version" data-testid="report-superseded">
                {t('quality.reports.superseded')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('quality.reports.scope'),
      key: 'scope',
      render: (_, r) =>
        r.institution ? (
          <Space direction="vertical" size={0}>
            <span className="cb-mono">{r.institution.code}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {localName(lang, r.institution.nameZh, r.institution.nameEn)}
            </Typography.Text>
          </Space>
        ) : (
          <Tag color="blue" bordered={false}>
            {t('quality.reports.alliance')}
          </Tag>
        ),
    },
    {
      title: t('quality.reports.statusTitle'),
      key: 'status',
      width: 150,
      render: (_, r) => (
        <Space direction="vertical" size={2}>
          <StatusTag report={r} />
          {r.status === 'failed' && r.error && (
            <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="report-error">
              {r.error}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('quality.reports.generatedAt'),
      key: 'at',
      width: 170,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <span className="cb-num">{r.finishedAt ? formatDateTime(r.finishedAt) : '—'}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('quality.reports.requestedAt', { at: formatDateTime(r.createdAt) })}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('quality.reports.by'),
      dataIndex: 'requestedBy',
      width: 150,
      render: (by: string | null) =>
        by ? (
          <span className="cb-mono">{by}</span>
        ) : (
          <Tooltip title={t('quality.reports.schedulerHelp')}>
            <Tag bordered={false}>{t('quality.reports.scheduler')}</Tag>
          </Tooltip>
        ),
    },
    {
      title: t('quality.reports.sizes'),
      key: 'sizes',
      width: 130,
      render: (_, r) => (
        <Space direction="vertical" size={0} className="cb-num" style={{ fontSize: 12 }}>
          <span>PDF {formatBytes(r.pdfBytes, lang)}</span>
          <span>XLSX {formatBytes(r.xlsxBytes, lang)}</span>
        </Space>
      ),
    },
    {
      title: t('quality.reports.download'),
      key: 'download',
      width: 170,
      render: (_, r) =>
        r.status === 'failed' && canRetry(r) && !versions.superseded(r) ? (
          <Button
            size="small"
            icon={<ReloadOutlined />}
            loading={retry.isPending && retry.variables?.id === r.id}
            onClick={() => retry.mutate(r)}
            data-testid="report-retry"
          >
            {t('quality.reports.retry')}
          </Button>
        ) : (
          <Downloads report={r} />
        ),
    },
  ];

  const setFilter = (v: string) => {
    const next = new URLSearchParams(params);
    if (v === ALLIANCE) next.delete('institution');
    else next.set('institution', v);
    setParams(next, { replace: true });
  };

  return (
    <div data-testid="reports-page">
      <PageHeader
        title={t('quality.reports.title')}
        subtitle={canGenerate ? t('quality.reports.subtitle') : t('quality.reports.subtitleView')}
        extra={
          <Link to="/quality" data-testid="reports-back">
            <Button icon={<ArrowLeftOutlined />}>{t('quality.rules.back')}</Button>
          </Link>
        }
      />
      <Row gutter={[16, 16]}>
        {canGenerate ? (
          <Col xs={24} xl={12}>
            <GenerateCard
              onRequested={(r) => {
                // the whole history, so that the new report shows whatever the filter was
                if (filter) setFilter(ALLIANCE);
                setRequestedId(r.id);
                setRequestedFallback(r);
              }}
            />
          </Col>
        ) : null}
        <Col xs={24} xl={canGenerate ? 12 : 24}>
          <Card title={t('quality.reports.about.title')} style={{ height: '100%' }}>
            <ul className="cb-rules-howto" data-testid="reports-about">
              <li>{t('quality.reports.about.schedule')}</li>
              <li>{t('quality.reports.about.contents')}</li>
              <li>{t('quality.reports.about.versions')}</li>
              <li>{institutions.whole ? t('quality.reports.about.scopeAll') : t('quality.reports.about.scopeOwn')}</li>
              {!canGenerate && <li>{t('quality.reports.about.reviewer')}</li>}
            </ul>
          </Card>
        </Col>
        {requested && (
          <Col span={24}>
            <Requested report={requested} scopeName={scopeName(requested)} />
          </Col>
        )}
        <Col span={24}>
          <Card
            title={t('quality.reports.history')}
            data-testid="reports-history"
            extra={
              institutions.whole && (
                <Space>
                  <Typography.Text>{t('quality.filters.institution')}</Typography.Text>
                  <Select
                    data-testid="reports-institution"
                    size="small"
                    style={{ minWidth: 280 }}
                    value={filter ?? ALLIANCE}
                    options={[
                      { value: ALLIANCE, label: t('quality.reports.allReports') },
                      ...institutions.options.filter((o) => o.value !== ALLIANCE).map(({ value, label }) => ({ value, label })),
                    ]}
                    onChange={setFilter}
                    showSearch
                    optionFilterProp="label"
                    aria-label={t('quality.filters.institution')}
                  />
                </Space>
              )
            }
          >
            {list.isError ? (
              <ErrorAlert error={list.error} />
            ) : (
              <Table<MonthlyReport>
                data-testid="reports-table"
                size="middle"
                rowKey="id"
                loading={list.isPending}
                dataSource={items}
                columns={columns}
                pagination={{ pageSize: 24, hideOnSinglePage: true, showSizeChanger: false }}
                scroll={{ x: 960 }}
                rowClassName={(r) =>
                  [r.id === requestedId ? 'cb-reports-row-requested' : '', versions.superseded(r) ? 'cb-reports-row-superseded' : ''].filter(Boolean).join(' ')
                }
                onRow={(r) =>
                  ({
                    'data-testid': 'report-row',
                    'data-id': r.id,
                    'data-month': r.month,
                    'data-scope': r.institution?.code ?? 'alliance',
                    'data-status': r.status,
                    'data-latest': String(r.latest),
                    'data-superseded': String(versions.superseded(r)),
                  }) as React.HTMLAttributes<HTMLElement>
                }
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quality.reports.empty')} /> }}
              />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
