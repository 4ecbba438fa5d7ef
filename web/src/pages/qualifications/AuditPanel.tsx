// One programme's degree audit: the summary and chart, the requirement tree with what each
// requirement still lacks, the items used, the free electives and the credits that did not count.
import { createContext, lazy, Suspense, useContext, useMemo } from 'react';
import { Alert, Card, Col, Empty, Row, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, MinusCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditItem, AuditNode, AuditView, ExclusionReason } from '../../api/qualifications';
import type { CreditUnit } from '../../api/types';
import { formatDate, formatDecimal, localName } from '../../format';
import type { Language } from '../../i18n';
import { useLanguage } from '../../i18n/useLanguage';
import { amountText, itemName, missingText, ProgrammeName, shortfall } from './common';
import type { ProgressBar } from './ProgressChart';

const ProgressChart = lazy(() => import('./ProgressChart'));

/** Items a registrar let count as another course (item id → course code), flagged where the item is shown. */
const NONE: ReadonlyMap<string, string> = new Map();
const Substituted = createContext(NONE);

/** The unit an audit counts in: that of the items it counted (credits when none). */
export function auditUnit(audit: AuditView): CreditUnit {
  const counted = new Set(audit.counted);
  return audit.items.find((i) => counted.has(i.id))?.unit ?? 'credit';
}

/** Complete / not yet, the one word a learner looks for first. */
export function AuditStatusTag({ audit }: { audit: AuditView }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={audit.complete ? 'success' : 'warning'}
      icon={audit.complete ? <CheckCircleFilled /> : <ExclamationCircleFilled />}
      bordered={false}
      style={{ marginInlineEnd: 0, fontWeight: 500, fontSize: 14, padding: '2px 10px' }}
      data-testid="audit-status"
      data-complete={audit.complete ? 'true' : 'false'}
    >
      {t(audit.complete ? 'qualification.audit.complete' : 'qualification.audit.incomplete')}
    </Tag>
  );
}

function NodeTag({ node }: { node: AuditNode }) {
  const { t } = useTranslation();
  if (node.waived)
    return (
      <Tag color="purple" bordered={false} icon={<MinusCircleFilled />} style={{ marginInlineEnd: 0 }}>
        {t('qualification.node.waived')}
      </Tag>
    );
  return node.satisfied ? (
    <Tag color="success" bordered={false} icon={<CheckCircleFilled />} style={{ marginInlineEnd: 0 }}>
      {t('qualification.node.satisfied')}
    </Tag>
  ) : (
    <Tag color="error" bordered={false} icon={<CloseCircleFilled />} style={{ marginInlineEnd: 0 }}>
      {t('qualification.node.missing')}
    </Tag>
  );
}

function ItemTitle({ item, lang }: { item: AuditItem; lang: Language }) {
  const { t } = useTranslation();
  const { code, title, countsAs } = itemName(lang, item);
  const substitute = useContext(Substituted).get(item.id);
  return (
    <>
      <span>
        {code && <span className="cb-mono">{code} </span>}
        {title}
      </span>
      {substitute && (
        <Tag bordered={false} color="purple" style={{ marginInlineEnd: 0 }} data-testid="audit-item-substituted">
          {t('qualification.exceptions.substitutedTag', { code: substitute })}
        </Tag>
      )}
      {countsAs && !substitute && (
        <Tag bordered={false} color="cyan" style={{ marginInlineEnd: 0 }} data-testid="audit-item-counts-as">
          {t('qualification.plan.countsAs', { code: countsAs })}
        </Tag>
      )}
    </>
  );
}

/** The items an audit shows in a table: course, where from, when, credits; flagged when counted in two programmes. */
function ItemsTable({
  items,
  countedTwice,
  testId,
  extra,
}: {
  items: AuditItem[];
  countedTwice: Set<string>;
  testId?: string;
  extra?: ColumnsType<AuditItem>;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const columns: ColumnsType<AuditItem> = [
    {
      title: t('qualification.item.course'),
      key: 'course',
      render: (_, i) => (
        <Space size={6} wrap>
          <ItemTitle item={i} lang={lang} />
          {i.origin !== 'home' && (
            <Tooltip title={t(`qualification.originHelp.${i.origin}`)}>
              <Tag bordered={false} color="geekblue" style={{ marginInlineEnd: 0 }}>
                {t(`qualification.origin.${i.origin}`)}
              </Tag>
            </Tooltip>
          )}
          {countedTwice.has(i.id) && (
            <Tooltip title={t('qualification.countedTwiceHelp')}>
              <Tag bordered={false} color="orange" style={{ marginInlineEnd: 0 }} data-testid="audit-counted-twice">
                {t('qualification.countedTwice')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    { title: t('qualification.item.source'), dataIndex: 'source', width: 150, render: (s: string) => <span className="cb-mono">{s}</span> },
    {
      title: t('qualification.item.completedOn'),
      dataIndex: 'completedOn',
      width: 120,
      render: (d: string) => <span className="cb-num">{formatDate(d)}</span>,
    },
    {
      title: t('qualification.item.credits'),
      key: 'credits',
      width: 110,
      align: 'right',
      render: (_, i) => <span className="cb-num cb-nowrap">{amountText(t, i.credits, i.unit)}</span>,
    },
    ...(extra ?? []),
  ];
  return (
    <Table<AuditItem>
      size="small"
      rowKey="id"
      pagination={false}
      columns={columns}
      dataSource={items}
      data-testid={testId}
      onRow={(i) => ({ 'data-testid': 'audit-item', 'data-course': i.courseCode ?? '' }) as React.HTMLAttributes<HTMLElement>}
    />
  );
}

/** A requirement, its state and what it lacks in words, the items it used, then its parts. */
function NodeView({
  node,
  depth,
  items,
  countedTwice,
  unit,
}: {
  node: AuditNode;
  depth: number;
  items: Map<string, AuditItem>;
  countedTwice: Set<string>;
  unit: CreditUnit;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const used = node.items.map((id) => items.get(id)).filter((i): i is AuditItem => Boolean(i));
  const lacks = node.satisfied || node.waived ? '' : missingText(t, lang, node.missing, unit);
  return (
    <div
      data-testid={`audit-node-${node.id}`}
      data-satisfied={node.satisfied ? 'true' : 'false'}
      data-waived={node.waived ? 'true' : 'false'}
      style={{
        borderInlineStart: `3px solid ${node.waived ? '#d3adf7' : node.satisfied ? '#b7eb8f' : '#ffa39e'}`,
        paddingInlineStart: 12,
        paddingBlock: 6,
        marginBlock: 8,
        marginInlineStart: depth > 0 ? 8 : 0,
      }}
    >
      <Space size={[10, 4]} wrap align="center">
        <Typography.Text strong={depth === 0} style={{ fontSize: depth === 0 ? 15 : 14 }}>
          {localName(lang, node.titleZh, node.titleEn)}
        </Typography.Text>
        <NodeTag node={node} />
        <Typography.Text type="secondary" className="cb-num" data-testid="audit-node-credits">
          {node.required !== null
            ? t('qualification.node.creditsOf', { credits: formatDecimal(node.credits), required: formatDecimal(node.required), unit: t(`unitLabel.${unit}`) })
            : t('qualification.node.creditsCounted', { credits: formatDecimal(node.credits), unit: t(`unitLabel.${unit}`) })}
        </Typography.Text>
      </Space>
      {lacks && (
        <div>
          <Typography.Text type="danger" data-testid="audit-node-missing">
            {lacks}
          </Typography.Text>
        </div>
      )}
      {used.length > 0 && (
        <div style={{ marginTop: 6, maxWidth: 1000 }}>
          <ItemsTable items={used} countedTwice={countedTwice} />
        </div>
      )}
      {node.children?.map((c) => (
        <NodeView key={c.id} node={c} depth={depth + 1} items={items} countedTwice={countedTwice} unit={unit} />
      ))}
    </div>
  );
}

/** The chart's bars: each top-level requirement with a credit minimum, then the total. */
function useBars(audit: AuditView): ProgressBar[] {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  return useMemo(
    () => [
      ...audit.nodes
        .filter((n) => n.required !== null && Number(n.required) > 0)
        .map((n) => ({
          label: localName(lang, n.titleZh, n.titleEn),
          credits: Number(n.credits),
          required: Number(n.required),
          satisfied: n.satisfied || n.waived,
        })),
      { label: t('qualification.audit.total'), credits: Number(audit.total.credits), required: Number(audit.total.required), satisfied: audit.total.satisfied },
    ],
    [audit, lang, t],
  );
}

export function ProgressChartCard({ audit }: { audit: AuditView }) {
  const { t } = useTranslation();
  const bars = useBars(audit);
  const unit = auditUnit(audit);
  const labels = useMemo(
    () => ({
      countedMet: t('qualification.chart.countedMet'),
      countedOpen: t('qualification.chart.countedOpen'),
      needed: t('qualification.chart.needed'),
      extra: t('qualification.chart.extra'),
      unit: t(`unitLabel.${unit}`),
      tooltip: (b: ProgressBar) =>
        `${b.label}<br/>${t('qualification.node.creditsOf', { credits: b.credits, required: b.required, unit: t(`unitLabel.${unit}`) })}` +
        (b.satisfied
          ? ''
          : `<br/>${t('qualification.missing.credits', { credits: Math.max(0, Math.round((b.required - b.credits) * 100) / 100), unit: t(`unitLabel.${unit}`) })}`),
    }),
    [t, unit],
  );
  return (
    <Suspense fallback={<Skeleton active paragraph={{ rows: 4 }} />}>
      <ProgressChart bars={bars} labels={labels} />
    </Suspense>
  );
}

/** Total, residency and status at a glance. */
function Summary({ audit }: { audit: AuditView }) {
  const { t } = useTranslation();
  const unit = auditUnit(audit);
  const check = (c: { credits: string; required: string; satisfied: boolean }, testId: string) => (
    <span data-testid={testId} data-satisfied={c.satisfied ? 'true' : 'false'}>
      <span className="cb-num" style={{ color: c.satisfied ? '#237804' : undefined }}>
        {formatDecimal(c.credits)}
      </span>
      <span style={{ fontSize: 14, color: 'rgba(0,0,0,0.6)' }}>
        {' '}
        / {formatDecimal(c.required)} {t(`unitLabel.${unit}`)}
      </span>
    </span>
  );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={8}>
        <Statistic title={t('qualification.audit.total')} valueRender={() => check(audit.total, 'audit-total')} />
      </Col>
      <Col xs={24} md={8}>
        <Statistic
          title={
            <Tooltip title={t('qualification.audit.residencyHelp')}>
              <span style={{ borderBottom: '1px dotted' }}>{t('qualification.audit.residency')}</span>
            </Tooltip>
          }
          valueRender={() =>
            audit.residency ? (
              check(audit.residency, 'audit-residency')
            ) : (
              <Typography.Text type="secondary">{t('qualification.audit.noResidency')}</Typography.Text>
            )
          }
        />
      </Col>
      <Col xs={24} md={8}>
        <Statistic title={t('qualification.audit.status')} valueRender={() => <AuditStatusTag audit={audit} />} />
      </Col>
    </Row>
  );
}

/**
 * One programme's audit. `actions` (the expected-to-graduate and award cards) sit under the summary;
 * `countedTwice` flags items counted in another audit on the page too.
 */
export function AuditPanel({
  substituted,
  ...props
}: AuditPanelProps & { /** Items a registrar let count as another course: id → course code. */ substituted?: ReadonlyMap<string, string> }) {
  return (
    <Substituted.Provider value={substituted ?? NONE}>
      <AuditPanelBody {...props} />
    </Substituted.Provider>
  );
}

type AuditPanelProps = { audit: AuditView; countedTwice: string[]; actions?: React.ReactNode; title?: React.ReactNode };

function AuditPanelBody({ audit, countedTwice, actions, title }: AuditPanelProps) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const unit = auditUnit(audit);
  const items = useMemo(() => new Map(audit.items.map((i) => [i.id, i])), [audit.items]);
  const twice = useMemo(() => new Set(countedTwice), [countedTwice]);
  const free = audit.unassigned.map((id) => items.get(id)).filter((i): i is AuditItem => Boolean(i));
  const excluded = audit.excluded.flatMap((x) => {
    const item = items.get(x.id);
    return item ? [{ ...item, reason: x.reason, of: x.of ?? [] }] : [];
  });
  const titleOf = (id: string) => {
    const i = items.get(id);
    return i ? `${lang === 'en' ? i.titleEn : i.titleZh} (${i.completedOn})` : id;
  };
  const reasonColumn: ColumnsType<AuditItem & { reason: ExclusionReason; of: string[] }> = [
    {
      title: t('qualification.item.reason'),
      dataIndex: 'reason',
      render: (r: ExclusionReason, row) => (
        <Typography.Text type="warning" data-testid="audit-excluded-reason" data-reason={r}>
          {t(`qualification.exclusion.${r}`, { defaultValue: r, of: row.of.map(titleOf).join(lang === 'en' ? ' + ' : '＋') })}
        </Typography.Text>
      ),
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="audit-panel" data-programme={audit.programme.code}>
      <Card
        title={title ?? <ProgrammeName p={audit.programme} />}
        extra={<Typography.Text type="secondary">{t('qualification.audit.catalogueYear', { year: audit.catalogueYear })}</Typography.Text>}
      >
        {audit.catalogueChoice && (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }} data-testid="audit-catalogue-why">
            {t(`qualification.audit.catalogueWhy.${audit.catalogueChoice.rule}`, {
              year: audit.catalogueYear,
              entry: `${audit.catalogueChoice.entryYear}–${audit.catalogueChoice.entryYear + 1}`,
              versions: audit.catalogueChoice.versions.join(lang === 'en' ? ', ' : '、'),
            })}{' '}
            {t(`qualification.audit.catalogueWhy.from_${audit.catalogueChoice.from}`)}
          </Typography.Paragraph>
        )}
        <Summary audit={audit} />
        {!audit.exhaustive && <Alert type="warning" showIcon style={{ marginTop: 16 }} message={t('qualification.audit.notExhaustive')} />}
        {!audit.complete && (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 16 }}
            message={t('qualification.audit.stillMissing')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="audit-missing-summary">
                {!audit.total.satisfied && (
                  <li>{t('qualification.audit.totalShort', { text: missingText(t, lang, { credits: shortfall(audit.total) }, unit) })}</li>
                )}
                {audit.residency && !audit.residency.satisfied && (
                  <li>{t('qualification.audit.residencyShort', { text: missingText(t, lang, { credits: shortfall(audit.residency) }, unit) })}</li>
                )}
                {leavesMissing(audit.nodes).map((n) => (
                  <li key={n.id}>
                    {t('qualification.audit.nodeShort', {
                      title: localName(lang, n.titleZh, n.titleEn),
                      text: missingText(t, lang, n.missing, unit) || t('qualification.node.missing'),
                    })}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        <Typography.Title level={5} style={{ marginTop: 20 }}>
          {t('qualification.chart.title')}
        </Typography.Title>
        <ProgressChartCard audit={audit} />
      </Card>

      {actions}

      <Card title={t('qualification.audit.requirements')} data-testid="audit-tree">
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('qualification.audit.requirementsHelp')}
        </Typography.Paragraph>
        {audit.nodes.map((n) => (
          <NodeView key={n.id} node={n} depth={0} items={items} countedTwice={twice} unit={unit} />
        ))}
      </Card>

      <Card title={t('qualification.audit.freeElectives')} data-testid="audit-free">
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('qualification.audit.freeElectivesHelp')}
        </Typography.Paragraph>
        {free.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('qualification.audit.noFreeElectives')} />
        ) : (
          <ItemsTable items={free} countedTwice={twice} />
        )}
      </Card>

      <Card title={t('qualification.audit.excluded')} data-testid="audit-excluded" data-count={excluded.length}>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('qualification.audit.excludedHelp')}
        </Typography.Paragraph>
        {excluded.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('qualification.audit.noneExcluded')} />
        ) : (
          <ItemsTable items={excluded} countedTwice={twice} extra={reasonColumn as ColumnsType<AuditItem>} />
        )}
      </Card>
    </Space>
  );
}

/**
 * The unmet requirements to name, depth first: the innermost ones; a block only when all its parts
 * are met (its own minimum is then what is short; otherwise meeting its parts comes first).
 */
function leavesMissing(nodes: AuditNode[]): AuditNode[] {
  const out: AuditNode[] = [];
  const walk = (n: AuditNode) => {
    if (n.satisfied || n.waived) return;
    const unmetChildren = (n.children ?? []).filter((c) => !c.satisfied && !c.waived);
    if (unmetChildren.length > 0) unmetChildren.forEach(walk);
    else out.push(n);
  };
  nodes.forEach(walk);
  return out;
}
