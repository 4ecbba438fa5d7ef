// The dashboard's figures group by group: certification by kind of outcome (vocational certificate,
// MOOC, work experience …), and certification and transfer by ISCED-F broad field. Groups about
// too few learners come back withheld for institution staff, as in the other tables.
import { useMemo } from 'react';
import { Button, Card, Col, Empty, Row, Skeleton, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { qualityFileUrl, type BreakdownRow, type QualityQuery, type QualityReport } from '../../api/quality';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { formatValue } from './present';

/** Withheld groups last; kinds by applications submitted (most first), fields by their ISCED-F code. */
function ordered(rows: BreakdownRow[], dimension: BreakdownRow['dimension']): BreakdownRow[] {
  return rows
    .filter((r) => r.dimension === dimension)
    .sort(
      (a, b) =>
        Number(a.suppressed) - Number(b.suppressed) ||
        (dimension === 'kind' ? (b.certification?.submitted ?? 0) - (a.certification?.submitted ?? 0) : 0) ||
        a.key.localeCompare(b.key),
    );
}

export function BreakdownCard({ report, query }: { report: QualityReport | undefined; query: QualityQuery }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const rows = useMemo(() => report?.breakdown ?? [], [report]);
  const kinds = useMemo(() => ordered(rows, 'kind'), [rows]);
  const fields = useMemo(() => ordered(rows, 'field'), [rows]);
  const minCell = report?.minCell ?? 5;

  const num = (v: number | undefined) => <span className="cb-num">{v ?? '—'}</span>;
  const credits = (v: number | undefined) => <span className="cb-num">{formatValue(v, 'credits', lang)}</span>;
  const rate = (v: number | null | undefined) =>
    v === null || v === undefined ? (
      <Tooltip title={t('quality.empty.noDecisions')}>
        <span className="cb-num">—</span>
      </Tooltip>
    ) : (
      <span className="cb-num">{formatValue(v, 'ratio', lang)}</span>
    );
  const withheld = (
    <Typography.Text type="secondary" italic data-testid="quality-withheld">
      {t('quality.withheld', { minCell })}
    </Typography.Text>
  );
  /** The first figure's cell spans the row's figures when the group is withheld; the others give way. */
  const first = (span: number) => (r: BreakdownRow) => ({ colSpan: r.suppressed ? span : 1 });
  const hide = (r: BreakdownRow) => ({ colSpan: r.suppressed ? 0 : 1 });

  const kindName = (key: string) => (key === 'unknown' ? t('quality.breakdown.unknownKind') : t(`certification.kind.${key}`, { defaultValue: key }));
  const certificationColumns = (span: number): ColumnsType<BreakdownRow> => [
    {
      title: t('quality.breakdown.submitted'),
      key: 'submitted',
      align: 'right',
      onCell: first(span),
      render: (_, r) => (r.suppressed ? withheld : num(r.certification?.submitted)),
    },
    { title: t('quality.breakdown.decided'), key: 'decided', align: 'right', onCell: hide, render: (_, r) => num(r.certification?.decided) },
    { title: t('quality.breakdown.acceptance'), key: 'acceptance', align: 'right', onCell: hide, render: (_, r) => rate(r.certification?.acceptanceRate) },
    { title: t('quality.breakdown.credits'), key: 'credits', align: 'right', onCell: hide, render: (_, r) => credits(r.certification?.credits) },
  ];

  const kindColumns: ColumnsType<BreakdownRow> = [
    { title: t('quality.breakdown.kind'), key: 'kind', render: (_, r) => kindName(r.key) },
    // under the same heading as in the table by field: these are certification applications
    { title: t('quality.breakdown.certification'), key: 'certification', children: certificationColumns(4) },
  ];
  const fieldColumns: ColumnsType<BreakdownRow> = [
    {
      title: t('quality.breakdown.field'),
      key: 'field',
      render: (_, r) => (
        <span>
          <span className="cb-mono cb-quality-field-code">{r.key}</span> {localName(lang, r.labelZh, r.labelEn)}
        </span>
      ),
    },
    { title: t('quality.breakdown.certification'), key: 'certification', children: certificationColumns(7) },
    {
      title: t('quality.breakdown.transfer'),
      key: 'transfer',
      children: [
        { title: t('quality.breakdown.transferDecided'), key: 'transferDecided', align: 'right', onCell: hide, render: (_, r) => num(r.transfer?.decided) },
        {
          title: t('quality.breakdown.acceptance'),
          key: 'transferAcceptance',
          align: 'right',
          onCell: hide,
          render: (_, r) => rate(r.transfer?.acceptanceRate),
        },
        { title: t('quality.breakdown.transferCredits'), key: 'transferCredits', align: 'right', onCell: hide, render: (_, r) => credits(r.transfer?.credits) },
      ],
    },
  ];

  const table = (dimension: BreakdownRow['dimension'], data: BreakdownRow[], columns: ColumnsType<BreakdownRow>, empty: string) => (
    <Table<BreakdownRow>
      data-testid={`quality-breakdown-${dimension}-table`}
      size="small"
      bordered
      rowKey="key"
      pagination={false}
      dataSource={data}
      columns={columns}
      scroll={{ x: 'max-content' }}
      onRow={(r) =>
        ({
          'data-testid': 'quality-breakdown-row',
          'data-dimension': r.dimension,
          'data-key': r.key,
          'data-suppressed': String(r.suppressed),
        }) as React.HTMLAttributes<HTMLElement>
      }
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
    />
  );

  return (
    <Card
      title={t('quality.breakdown.title')}
      data-testid="quality-breakdown"
      extra={
        <Button size="small" icon={<DownloadOutlined />} href={qualityFileUrl(query, 'csv', 'breakdown')} download data-testid="quality-breakdown-csv">
          {t('quality.exportCsv')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('quality.breakdown.help')}
      </Typography.Paragraph>
      {!report ? (
        <Skeleton active paragraph={{ rows: 5 }} />
      ) : (
        <Row gutter={[24, 16]}>
          <Col xs={24} xxl={9} data-testid="quality-breakdown-kind">
            <Typography.Title level={5} className="cb-quality-subtitle">
              {t('quality.breakdown.byKind')}
            </Typography.Title>
            {table('kind', kinds, kindColumns, t('quality.breakdown.emptyKind'))}
          </Col>
          <Col xs={24} xxl={15} data-testid="quality-breakdown-field">
            <Typography.Title level={5} className="cb-quality-subtitle">
              {t('quality.breakdown.byField')}
            </Typography.Title>
            {table('field', fields, fieldColumns, t('quality.breakdown.emptyField'))}
          </Col>
        </Row>
      )}
    </Card>
  );
}
