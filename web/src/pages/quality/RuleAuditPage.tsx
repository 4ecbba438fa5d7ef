// The rule audit (规则审计): every conversion standard and course equivalence of the scope with how
// often it was applied in the period, how often that gave credit, how its reviewers differed, and
// how it was changed (who, when, why), stamped with the transparency-log checkpoint it was computed
// at, and downloadable for a third-party auditor. The period and institution live in the address
// like on /quality; so do the table's own filters (show, kind, q).
import { useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Row,
  Segmented,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowLeftOutlined, DownloadOutlined, ExclamationCircleFilled, FileExcelOutlined, HistoryOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ruleAuditFileUrl, useRuleAudit, type AuditedRule, type RuleAudit } from '../../api/quality';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { PeriodAndInstitution, useQualityFilters } from './filters';
import { formatValue } from './present';
import './quality.css';

/** The disagreement flag's thresholds, as the server reports them with the audit. */
type Thresholds = RuleAudit['thresholds'];

const SHOWS = ['all', 'flagged', 'unused', 'changed'] as const;
type Show = (typeof SHOWS)[number];
const KINDS = ['all', 'standard', 'equivalence'] as const;
type Kind = (typeof KINDS)[number];

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag bordered={false} color={status === 'retired' ? 'default' : 'green'} style={{ marginInlineEnd: 0 }}>
      {t(`quality.rules.statuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** A rule as the audit names it: a standard's code, version and name; an equivalence's courses from one institution to the other; with the institution that owns it. */
function RuleName({ rule }: { rule: AuditedRule }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const owner = (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="rules-owner">
      {rule.institution.code} · {localName(lang, rule.institution.nameZh, rule.institution.nameEn)}
    </Typography.Text>
  );
  if (rule.kind === 'standard')
    return (
      <Space direction="vertical" size={0}>
        <Space size={6} wrap>
          <span className="cb-mono">
            {rule.code} v{rule.version}
          </span>
          <StatusTag status={rule.status} />
        </Space>
        <span>{localName(lang, rule.nameZh, rule.nameEn)}</span>
        {owner}
      </Space>
    );
  const { source, target } = rule;
  if (source && target)
    return (
      <Space direction="vertical" size={0}>
        <span>
          <span className="cb-mono">
            {source.institution} {source.courses}
          </span>{' '}
          → {/* the receiving institution owns the equivalence: its name on hover */}
          <Tooltip title={localName(lang, rule.institution.nameZh, rule.institution.nameEn)}>
            <span className="cb-mono">
              {target.institution} {target.courses ?? ''}
            </span>
          </Tooltip>
          {target.courses === null && t('quality.rules.elective', { category: target.elective ?? '' })}
        </span>
        <Space size={6}>
          <Typography.Text type="secondary" className="cb-mono" style={{ fontSize: 12 }}>
            v{rule.version}
          </Typography.Text>
          <StatusTag status={rule.status} />
        </Space>
      </Space>
    );
  return (
    <Space direction="vertical" size={0}>
      <span>{rule.label}</span>
      <StatusTag status={rule.status} />
      {owner}
    </Space>
  );
}

function ReviewerRates({ rule, thresholds }: { rule: AuditedRule; thresholds: Thresholds }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  if (rule.reviewers.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  const [low, high] = rule.disagreement === null ? [null, null] : [Math.min(...compared(rule, thresholds)), Math.max(...compared(rule, thresholds))];
  return (
    <Space direction="vertical" size={0} data-testid="rules-reviewers">
      {rule.reviewers.slice(0, 3).map((r) => {
        const extreme = rule.disagreement !== null && r.uses >= thresholds.minDecisionsPerReviewer && (r.acceptanceRate === low || r.acceptanceRate === high);
        return (
          <span key={r.reviewer} className="cb-rules-reviewer">
            <span className="cb-mono">{r.reviewer}</span>{' '}
            <Typography.Text type={extreme ? 'danger' : 'secondary'} className="cb-num">
              {t('quality.rules.reviewerRate', { uses: r.uses, rate: formatValue(r.acceptanceRate, 'ratio', lang) })}
            </Typography.Text>
          </span>
        );
      })}
      {rule.reviewers.length > 3 && (
        <Typography.Text type="secondary">{t('quality.rules.moreReviewers', { count: rule.reviewers.length - 3 })}</Typography.Text>
      )}
    </Space>
  );
}

const compared = (rule: AuditedRule, thresholds: Thresholds) =>
  rule.reviewers.filter((r) => r.uses >= thresholds.minDecisionsPerReviewer).map((r) => r.acceptanceRate);

function Flags({ rule, thresholds }: { rule: AuditedRule; thresholds: Thresholds }) {
  const { t } = useTranslation();
  return (
    <Space size={[4, 4]} wrap>
      {rule.disagreement !== null && (
        <Tooltip title={t('quality.rules.flagHelp', { min: thresholds.minDecisionsPerReviewer, points: thresholds.gapPoints })}>
          <Tag color="error" icon={<ExclamationCircleFilled />} data-testid="rules-flag-disagreement" className="cb-rules-tag">
            {t('quality.rules.disagreementTag', { points: pct(rule.disagreement) })}
          </Tag>
        </Tooltip>
      )}
      {rule.uses === 0 && (
        <Tooltip title={t('quality.rules.unusedHelp')}>
          <Tag color="warning" data-testid="rules-flag-unused" className="cb-rules-tag">
            {t('quality.rules.unusedTag')}
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}

/** What a rule's row opens to: the reviewers one by one and the changes of the period. */
function RuleDetail({ rule, thresholds }: { rule: AuditedRule; thresholds: Thresholds }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  return (
    <Row gutter={[32, 16]} data-testid="rules-detail" className="cb-rules-detail">
      <Col xs={24} lg={10}>
        <Typography.Text strong>{t('quality.rules.detail.reviewers')}</Typography.Text>
        {rule.reviewers.length === 0 ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('quality.rules.detail.noUses')}
          </Typography.Paragraph>
        ) : (
          <Table
            size="small"
            style={{ marginTop: 8 }}
            rowKey="reviewer"
            pagination={false}
            dataSource={rule.reviewers}
            columns={[
              { title: t('quality.rules.detail.reviewer'), dataIndex: 'reviewer', render: (v: string) => <span className="cb-mono">{v}</span> },
              { title: t('quality.rules.uses'), dataIndex: 'uses', align: 'right', render: (v: number) => <span className="cb-num">{v}</span> },
              {
                title: t('quality.rules.acceptance'),
                dataIndex: 'acceptanceRate',
                align: 'right',
                render: (v: number) => <span className="cb-num">{formatValue(v, 'ratio', lang)}</span>,
              },
              {
                title: t('quality.rules.detail.compared'),
                key: 'compared',
                align: 'center',
                render: (_, r) =>
                  r.uses >= thresholds.minDecisionsPerReviewer ? (
                    t('quality.rules.detail.yes')
                  ) : (
                    <Typography.Text type="secondary">{t('quality.rules.detail.tooFew', { min: thresholds.minDecisionsPerReviewer })}</Typography.Text>
                  ),
              },
            ]}
          />
        )}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
          {t('quality.rules.detail.ruleId')}{' '}
          <Typography.Text copyable className="cb-mono" style={{ fontSize: 12 }}>
            {rule.id}
          </Typography.Text>
        </Typography.Paragraph>
      </Col>
      <Col xs={24} lg={14}>
        <Typography.Text strong>{t('quality.rules.detail.changes')}</Typography.Text>
        {rule.changes.length === 0 ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="rules-no-changes">
            {t('quality.rules.detail.noChanges')}
          </Typography.Paragraph>
        ) : (
          <Timeline
            style={{ marginTop: 16 }}
            data-testid="rules-changes"
            items={rule.changes.map((c) => ({
              key: `${c.at}/${c.action}`,
              color:
                c.action.endsWith('retire') || c.action.endsWith('discard')
                  ? 'red'
                  : c.action.endsWith('approve') || c.action.endsWith('create')
                    ? 'green'
                    : 'blue',
              children: (
                <div data-testid="rules-change" data-action={c.action}>
                  <Space size={8} wrap>
                    <Typography.Text strong>{t(`quality.rules.actions.${c.action.replace(/\./g, '_')}`, { defaultValue: c.action })}</Typography.Text>
                    <Typography.Text type="secondary" className="cb-num">
                      {formatDateTime(c.at)}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {t('quality.rules.detail.by')} <span className="cb-mono">{c.actor ?? t('quality.rules.detail.system')}</span>
                    </Typography.Text>
                  </Space>
                  {c.why ? (
                    <div>
                      <Typography.Text>
                        {t('quality.rules.detail.why')}
                        {c.why}
                      </Typography.Text>
                    </div>
                  ) : (
                    // only retiring and discarding ask for a reason
                    /(retire|discard)$/.test(c.action) && (
                      <div>
                        <Typography.Text type="secondary" italic>
                          {t('quality.rules.detail.noWhy')}
                        </Typography.Text>
                      </div>
                    )
                  )}
                </div>
              ),
            }))}
          />
        )}
      </Col>
    </Row>
  );
}

/** When and against what the report was computed: the period, the time, the transparency log's checkpoint. */
function Stamp({ audit, from, to }: { audit: RuleAudit; from: string; to: string }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('quality.rules.stamp.title')} data-testid="rules-stamp" style={{ height: '100%' }}>
      <Descriptions size="small" column={1} colon={false} labelStyle={{ width: 150 }}>
        <Descriptions.Item label={t('quality.rules.stamp.period')}>
          {t('quality.rules.stamp.periodValue', { from, to, start: audit.period.from, end: audit.period.to })}
        </Descriptions.Item>
        <Descriptions.Item label={t('quality.rules.stamp.computedAt')}>
          <span className="cb-num">{formatDateTime(audit.computedAt)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('quality.rules.stamp.log')}>
          <span className="cb-mono">{audit.checkpoint.origin}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('quality.rules.stamp.size')}>
          <span className="cb-num" data-testid="rules-checkpoint-size">
            {audit.checkpoint.size}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('quality.rules.stamp.root')}>
          <Typography.Text copyable className="cb-mono cb-rules-root" data-testid="rules-checkpoint-root">
            {audit.checkpoint.root}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
        {t('quality.rules.stamp.help', { size: audit.checkpoint.size })}
      </Typography.Paragraph>
    </Card>
  );
}

export function RuleAuditPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const filters = useQualityFilters();
  const { from, to, institution, institutions, query, params, update, search } = filters;
  const audit = useRuleAudit(institutions.whole || institution ? query : null);
  const thresholds: Thresholds | undefined = audit.data?.thresholds;
  const [expanded, setExpanded] = useState<readonly React.Key[]>([]);

  const show: Show = (SHOWS as readonly string[]).includes(params.get('show') ?? '') ? (params.get('show') as Show) : 'all';
  const kind: Kind = (KINDS as readonly string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as Kind) : 'all';
  const q = params.get('q') ?? '';

  const rules = useMemo(() => audit.data?.rules ?? [], [audit.data]);
  const counts = useMemo(
    () => ({
      all: rules.length,
      flagged: rules.filter((r) => r.disagreement !== null).length,
      unused: rules.filter((r) => r.uses === 0).length,
      changed: rules.filter((r) => r.changes.length > 0).length,
      used: rules.filter((r) => r.uses > 0).length,
    }),
    [rules],
  );
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return rules.filter((r) => {
      if (show === 'flagged' && r.disagreement === null) return false;
      if (show === 'unused' && r.uses > 0) return false;
      if (show === 'changed' && r.changes.length === 0) return false;
      if (kind !== 'all' && r.kind !== kind) return false;
      if (!needle) return true;
      return [r.label, r.nameZh, r.nameEn, r.institution.code, r.institution.nameZh, r.institution.nameEn, ...r.reviewers.map((v) => v.reviewer)].some((x) =>
        x?.toLowerCase().includes(needle),
      );
    });
  }, [rules, show, kind, q]);

  const toggle = (id: string) => setExpanded((keys) => (keys.includes(id) ? keys.filter((k) => k !== id) : [...keys, id]));

  const columns: ColumnsType<AuditedRule> = [
    {
      title: t('quality.rules.kind'),
      dataIndex: 'kind',
      width: 96,
      render: (k: AuditedRule['kind']) => <Tag color={k === 'standard' ? 'blue' : 'cyan'}>{t(`quality.rules.kinds.${k}`)}</Tag>,
    },
    { title: t('quality.rules.rule'), key: 'rule', render: (_, r) => <RuleName rule={r} /> },
    {
      title: <Tooltip title={t('quality.rules.usesHelp')}>{t('quality.rules.uses')}</Tooltip>,
      dataIndex: 'uses',
      align: 'right',
      width: 90,
      sorter: (a, b) => a.uses - b.uses,
      render: (v: number) => <span className="cb-num">{v}</span>,
    },
    {
      title: <Tooltip title={t('quality.rules.acceptanceHelp')}>{t('quality.rules.acceptance')}</Tooltip>,
      dataIndex: 'acceptanceRate',
      align: 'right',
      width: 110,
      sorter: (a, b) => (a.acceptanceRate ?? -1) - (b.acceptanceRate ?? -1),
      render: (v: number | null, r) => (
        <Space direction="vertical" size={0} style={{ alignItems: 'flex-end' }}>
          <span className="cb-num">{formatValue(v, 'ratio', lang)}</span>
          {r.uses > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} className="cb-num">
              {t('quality.rules.approvedOf', { approved: r.approved, uses: r.uses })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: <Tooltip title={t('quality.rules.reviewersHelp')}>{t('quality.rules.reviewers')}</Tooltip>,
      key: 'reviewers',
      width: 200,
      render: (_, r) => thresholds && <ReviewerRates rule={r} thresholds={thresholds} />,
    },
    {
      title: t('quality.rules.flags'),
      key: 'flags',
      width: 190,
      sorter: (a, b) => (a.disagreement ?? (a.uses === 0 ? -1 : -2)) - (b.disagreement ?? (b.uses === 0 ? -1 : -2)),
      render: (_, r) => thresholds && <Flags rule={r} thresholds={thresholds} />,
    },
    {
      title: t('quality.rules.changes'),
      key: 'changes',
      width: 124,
      render: (_, r) => (
        <Button
          size="small"
          type={r.changes.length ? 'link' : 'text'}
          icon={<HistoryOutlined />}
          onClick={() => toggle(r.id)}
          data-testid="rules-changes-toggle"
          style={{ paddingInline: 0 }}
        >
          {r.changes.length ? t('quality.rules.changeCount', { count: r.changes.length }) : t('quality.rules.noChange')}
        </Button>
      ),
    },
  ];

  const statistic = (key: Show | 'used', value: number, tone?: 'danger' | 'warning') => {
    const clickable = key !== 'used';
    const active = show === key;
    return (
      <Col flex="1 1 160px" key={key}>
        <Card
          size="small"
          hoverable={clickable}
          className={`cb-rules-stat${active ? ' cb-rules-stat-active' : ''}`}
          data-testid={`rules-stat-${key}`}
          data-value={value}
          onClick={clickable ? () => update({ show: key === 'all' || active ? null : key }) : undefined}
        >
          <Statistic
            title={t(`quality.rules.stats.${key}`)}
            value={value}
            valueStyle={tone === 'danger' && value > 0 ? { color: '#cf1322' } : tone === 'warning' && value > 0 ? { color: '#d46b08' } : undefined}
          />
        </Card>
      </Col>
    );
  };

  return (
    <div data-testid="rules-page">
      <PageHeader
        title={t('quality.rules.title')}
        subtitle={t('quality.rules.subtitle')}
        extra={
          <Space wrap>
            <Link to={`/quality${search}`} data-testid="rules-back">
              <Button icon={<ArrowLeftOutlined />}>{t('quality.rules.back')}</Button>
            </Link>
            <Button icon={<DownloadOutlined />} href={ruleAuditFileUrl(query, 'csv')} download disabled={!audit.data} data-testid="rules-csv">
              {t('quality.rules.downloadCsv')}
            </Button>
            <Button type="primary" icon={<FileExcelOutlined />} href={ruleAuditFileUrl(query, 'xlsx')} download disabled={!audit.data} data-testid="rules-xlsx">
              {t('quality.rules.downloadXlsx')}
            </Button>
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <PeriodAndInstitution filters={filters} testIdPrefix="rules" />
        <div className="cb-quality-scope" data-testid="rules-scope">
          <Tag color="blue" bordered={false}>
            {filters.scopeLabel ?? t('quality.rules.allRules')}
          </Tag>
          <Typography.Text type="secondary">{t('quality.periodNote', { from, to })}</Typography.Text>
        </div>
      </Card>

      {institutions.error && <ErrorAlert error={institutions.error} style={{ marginBottom: 16 }} />}
      {audit.isError && <ErrorAlert error={audit.error} style={{ marginBottom: 16 }} />}

      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={14}>
          <Alert
            type="info"
            showIcon
            style={{ height: '100%' }}
            message={t('quality.rules.howTo.title')}
            description={
              <ul className="cb-rules-howto" data-testid="rules-howto">
                <li>{t('quality.rules.howTo.uses')}</li>
                <li>{t('quality.rules.howTo.acceptance')}</li>
                <li>{t('quality.rules.howTo.disagreement', { min: thresholds?.minDecisionsPerReviewer ?? '…', points: thresholds?.gapPoints ?? '…' })}</li>
                <li>{t('quality.rules.howTo.unused')}</li>
                <li>{t('quality.rules.howTo.changes')}</li>
              </ul>
            }
          />
        </Col>
        <Col xs={24} xl={10}>
          {audit.data ? (
            <Stamp audit={audit.data} from={from} to={to} />
          ) : (
            <Card size="small">
              <Skeleton active paragraph={{ rows: 5 }} />
            </Card>
          )}
        </Col>
      </Row>

      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        {statistic('all', counts.all)}
        {statistic('used', counts.used)}
        {statistic('unused', counts.unused, 'warning')}
        {statistic('flagged', counts.flagged, 'danger')}
        {statistic('changed', counts.changed)}
      </Row>

      <Card
        title={t('quality.rules.tableTitle')}
        extra={
          <Space wrap>
            <Segmented<Show>
              size="small"
              data-testid="rules-show"
              value={show}
              onChange={(v) => update({ show: v === 'all' ? null : v })}
              options={SHOWS.map((s) => ({ value: s, label: <span data-testid={`rules-show-${s}`}>{`${t(`quality.rules.show.${s}`)} (${counts[s]})`}</span> }))}
            />
            <Segmented<Kind>
              size="small"
              data-testid="rules-kind"
              value={kind}
              onChange={(v) => update({ kind: v === 'all' ? null : v })}
              options={KINDS.map((k) => ({ value: k, label: <span data-testid={`rules-kind-${k}`}>{t(`quality.rules.kindFilter.${k}`)}</span> }))}
            />
            <Input.Search
              allowClear
              size="small"
              style={{ width: 220 }}
              defaultValue={q}
              placeholder={t('quality.rules.search')}
              onSearch={(v) => update({ q: v.trim() || null })}
              data-testid="rules-search"
            />
          </Space>
        }
      >
        {audit.isPending ? (
          <Skeleton active paragraph={{ rows: 8 }} />
        ) : (
          <Table<AuditedRule>
            data-testid="rules-table"
            size="middle"
            rowKey="id"
            dataSource={shown}
            columns={columns}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            tableLayout="fixed"
            rowClassName={(r) => (r.disagreement !== null ? 'cb-rules-row-flagged' : r.uses === 0 ? 'cb-rules-row-unused' : '')}
            onRow={(r) =>
              ({
                'data-testid': 'rules-row',
                'data-kind': r.kind,
                'data-uses': r.uses,
                'data-flagged': String(r.disagreement !== null),
                'data-label': r.label,
              }) as React.HTMLAttributes<HTMLElement>
            }
            expandable={{
              expandedRowKeys: expanded,
              onExpandedRowsChange: setExpanded,
              expandedRowRender: (r) => thresholds && <RuleDetail rule={r} thresholds={thresholds} />,
            }}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={rules.length ? t('quality.rules.noneMatch') : t('quality.rules.empty')} />,
            }}
          />
        )}
      </Card>
    </div>
  );
}
