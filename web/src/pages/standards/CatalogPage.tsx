import { useMemo, useState } from 'react';
import { Card, Empty, Grid, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { OUTCOME_KINDS, type Standard } from '../../api/standards';
import { hasRole, useMe } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { StandardDrawer } from './StandardDrawer';
import {
  EvidenceTags,
  ISCED_BROAD,
  Lines,
  StandardName,
  capLines,
  frameworkLevelText,
  iscedText,
  substituteLines,
  useInstitutions,
  validityText,
} from './present';

const FILTERS = ['q', 'kind', 'isced', 'institution'] as const;

/**
 * The public catalogue of conversion standards in force: "what can my certificate earn?". Filters
 * live in the address so a search can be shared; a row opens the standard with every version.
 */
export function CatalogPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const wide = Boolean(Grid.useBreakpoint().xl);
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [openId, setOpenId] = useState<string | null>(null);
  const filter = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;

  const setFilter = (key: (typeof FILTERS)[number], value: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const institutions = useInstitutions();
  const standards = useQuery({
    queryKey: ['standards', 'catalogue', filter],
    queryFn: ({ signal }) =>
      api.get('/standards', {
        query: { q: filter.q.trim(), kind: OUTCOME_KINDS.find((k) => k === filter.kind), isced: filter.isced, institutionId: filter.institution },
        signal,
      }),
  });
  const rows = standards.data?.items ?? [];
  // Anyone signed out may apply (they are asked to sign in first); signed in, only learners apply.
  const canApply = !me.data || hasRole(me.data, 'learner') || Boolean(me.data.learnerId);

  const columns: ColumnsType<Standard> = useMemo(
    () => [
      {
        title: t('standards.col.name'),
        key: 'name',
        fixed: wide ? undefined : 'left',
        width: 200,
        render: (_, s) => (
          <Space direction="vertical" size={2}>
            <StandardName s={s} lang={lang} onOpen={() => setOpenId(s.id)} />
            <Tag bordered={false} color="blue" style={{ marginInlineEnd: 0 }}>
              {t(`standards.kind.${s.outcomeKind}`)}
            </Tag>
          </Space>
        ),
      },
      {
        title: t('standards.col.issuingBody'),
        dataIndex: 'issuingBody',
        width: 120,
        render: (v: string) => <span style={{ overflowWrap: 'anywhere' }}>{v}</span>,
      },
      {
        title: t('standards.col.levels'),
        key: 'levels',
        width: 140,
        render: (_, s) => (
          <Space direction="vertical" size={0}>
            <span>{s.certificateLevel || '—'}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {frameworkLevelText(s, lang)}
            </Typography.Text>
          </Space>
        ),
      },
      { title: t('standards.col.isced'), dataIndex: 'iscedCode', width: 140, render: (v: string) => iscedText(t, v, lang) },
      {
        title: t('standards.col.credits'),
        key: 'credits',
        width: 84,
        align: 'right',
        render: (_, s) => (
          <span className="cb-nowrap">
            <Typography.Text strong className="cb-num" style={{ fontSize: 16, color: '#237804' }} data-testid="standard-credits">
              {formatDecimal(s.credits)}
            </Typography.Text>{' '}
            <Typography.Text type="secondary">{t(`standards.unit.${s.unit}`)}</Typography.Text>
          </span>
        ),
      },
      {
        title: t('standards.col.substitutes'),
        // the rest of the width
        key: 'substitutes',
        render: (_, s) => <Lines lines={substituteLines(t, s, lang)} empty={t('standards.substitutesNone')} />,
      },
      {
        title: t('standards.col.conditions'),
        key: 'conditions',
        width: 170,
        render: (_, s) => (
          <Lines
            lines={[
              validityText(t, s),
              ...capLines(t, s).map((line) => (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {line}
                </Typography.Text>
              )),
            ]}
          />
        ),
      },
      {
        title: t('standards.col.evidence'),
        key: 'evidence',
        width: 130,
        render: (_, s) => <EvidenceTags evidence={s.evidence} empty={t('standards.evidenceNone')} />,
      },
    ],
    [t, lang, wide],
  );

  const filtered = FILTERS.some((k) => filter[k]);

  return (
    <>
      <PageHeader title={t('standards.title')} subtitle={t('standards.question')} />
      <Card>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('standards.intro')}
        </Typography.Paragraph>
        <Space style={{ marginBottom: 16 }} wrap className="cb-filter-bar">
          <Input.Search
            key={filter.q /* reset the box when the address changes */}
            allowClear
            enterButton
            defaultValue={filter.q}
            placeholder={t('standards.searchPlaceholder')}
            aria-label={t('standards.searchLabel')}
            style={{ width: 380, maxWidth: '100%' }}
            onSearch={(value) => setFilter('q', value.trim())}
            data-testid="standards-search"
          />
          <Select
            allowClear
            placeholder={t('standards.filter.kind')}
            aria-label={t('standards.filter.kind')}
            style={{ width: 200 }}
            value={filter.kind || undefined}
            onChange={(v?: string) => setFilter('kind', v)}
            options={OUTCOME_KINDS.map((k) => ({ value: k, label: t(`standards.kind.${k}`) }))}
            data-testid="standards-filter-kind"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('standards.filter.isced')}
            aria-label={t('standards.filter.isced')}
            style={{ width: 240 }}
            value={filter.isced || undefined}
            onChange={(v?: string) => setFilter('isced', v)}
            options={ISCED_BROAD.map((c) => ({ value: c, label: iscedText(t, c) }))}
            data-testid="standards-filter-isced"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('standards.filter.institution')}
            aria-label={t('standards.filter.institution')}
            style={{ width: 240 }}
            loading={institutions.isPending}
            value={filter.institution || undefined}
            onChange={(v?: string) => setFilter('institution', v)}
            options={(institutions.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.code} · ${localName(lang, i.nameZh, i.nameEn)}` }))}
            data-testid="standards-filter-institution"
          />
          {!standards.isPending && (
            <Typography.Text type="secondary" data-testid="standards-count">
              {t('standards.count', { count: rows.length })}
            </Typography.Text>
          )}
        </Space>
        {standards.isError && <ErrorAlert error={standards.error} style={{ marginBottom: 16 }} />}
        <Table<Standard>
          data-testid="standards-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={standards.isPending}
          rowClassName={() => 'cb-row-clickable'}
          onRow={(s) => ({ onClick: () => setOpenId(s.id), title: t('standards.openHint') })}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true, showSizeChanger: true }}
          tableLayout="fixed"
          // the whole table fits a laptop; narrower, it scrolls sideways with its header and scrollbar in view
          scroll={wide ? undefined : { x: 1160 }}
          sticky={wide ? undefined : { offsetHeader: 56 }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('standards.noMatch') : t('standards.empty')} />,
          }}
        />
      </Card>
      <StandardDrawer id={openId} onClose={() => setOpenId(null)} canApply={canApply} />
    </>
  );
}
