// The filters the quality pages share: a period of months and an institution, both kept in the
// address (?from=YYYY-MM&to=YYYY-MM&institution=…) so that a view can be shared; the dashboard's
// field of education (&field=06); and the switch between a chart and a table of the same numbers.
import { useMemo, type ReactNode } from 'react';
import { DatePicker, Segmented, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { isFieldCode, useBroadFields, type QualityQuery } from '../../api/quality';
import { hasRole, institutionGrants, useCurrentUser } from '../../auth';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { addMonths, defaultMonths, monthOf, parseMonth, periodOf, type Month } from './present';

export const ALLIANCE = 'alliance';

export interface InstitutionOption {
  value: string;
  label: string;
  code: string;
}

/** The institutions the user may choose: every one for administrators and the committee, else their own. */
export function useInstitutionOptions() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  const whole = hasRole(me, 'admin', 'committee');
  const all = useQuery({
    queryKey: ['institutions'],
    queryFn: ({ signal }) => api.get('/institutions', { signal }),
    enabled: whole,
  });
  const options: InstitutionOption[] = useMemo(() => {
    if (whole) {
      const items = [...(all.data?.items ?? [])].sort((a, b) => a.code.localeCompare(b.code));
      return [
        { value: ALLIANCE, label: t('quality.filters.alliance'), code: '' },
        ...items.map((i) => ({ value: i.id, label: `${i.code} · ${localName(lang, i.nameZh, i.nameEn)}`, code: i.code })),
      ];
    }
    return institutionGrants(me).map((g) => ({
      value: g.institutionId ?? '',
      label: `${g.institutionCode ?? ''} · ${localName(lang, g.institutionNameZh, g.institutionNameEn)}`,
      code: g.institutionCode ?? '',
    }));
  }, [whole, all.data, me, lang, t]);
  return { whole, options, loading: whole && all.isPending, error: all.error };
}

/** The address's period and institution, resolved against what the user may see, and a way to change them. */
export function useQualityFilters() {
  const [params, setParams] = useSearchParams();
  const institutions = useInstitutionOptions();
  // the period: months from the address, else the last 12 months
  const fallback = defaultMonths();
  let from: Month = parseMonth(params.get('from')) ? params.get('from')! : fallback.from;
  let to: Month = parseMonth(params.get('to')) ? params.get('to')! : fallback.to;
  if (to < from) [from, to] = [to, from];
  // the institution: administrators and the committee may look at the alliance; staff at their own
  const asked = params.get('institution');
  const institution = institutions.whole
    ? asked && asked !== ALLIANCE
      ? asked
      : null
    : ((institutions.options.find((o) => o.value === asked) ?? institutions.options[0])?.value ?? null);
  // the field of education (an ISCED-F broad field: 00–10, 99 unknown), else every field; only
  // administrators and the committee narrow by field (staff see fields in the breakdown)
  const askedField = params.get('field');
  const field = institutions.whole && isFieldCode(askedField) ? askedField : null;
  const query: QualityQuery = useMemo(() => ({ ...periodOf(from, to), institution, field }), [from, to, institution, field]);
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };
  /** The filters as an address query, to carry them to another quality page. */
  const search = (() => {
    const keep = new URLSearchParams();
    for (const k of ['from', 'to', 'institution']) {
      const v = params.get(k);
      if (v) keep.set(k, v);
    }
    const s = keep.toString();
    return s ? `?${s}` : '';
  })();
  const scopeLabel = institution ? (institutions.options.find((o) => o.value === institution)?.label ?? '') : null;
  return { from, to, institution, field, query, update, institutions, search, scopeLabel, params };
}

export type QualityFilters = ReturnType<typeof useQualityFilters>;

/** The period (a range of months, with presets) and the institution, side by side. */
export function PeriodAndInstitution({
  filters,
  testIdPrefix = 'quality',
  children,
}: {
  filters: QualityFilters;
  testIdPrefix?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { from, to, institution, institutions, update } = filters;
  const dayjsLocale = lang === 'en' ? 'en' : 'zh-cn';
  const asDayjs = (m: Month) => dayjs(`${m}-01`).locale(dayjsLocale);
  const today = monthOf(new Date());
  const presets: { label: string; value: [Dayjs, Dayjs] }[] = [
    { label: t('quality.filters.last12'), value: [asDayjs(addMonths(today, -11)), asDayjs(today)] },
    { label: t('quality.filters.last3'), value: [asDayjs(addMonths(today, -2)), asDayjs(today)] },
    { label: t('quality.filters.thisYear'), value: [asDayjs(`${today.slice(0, 4)}-01`), asDayjs(today)] },
    { label: t('quality.filters.lastYear'), value: [asDayjs(`${Number(today.slice(0, 4)) - 1}-01`), asDayjs(`${Number(today.slice(0, 4)) - 1}-12`)] },
  ];
  return (
    <Space wrap size={[24, 12]} align="center">
      <Space>
        <Typography.Text>{t('quality.filters.period')}</Typography.Text>
        <span data-testid={`${testIdPrefix}-period`}>
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
          data-testid={`${testIdPrefix}-institution`}
          style={{ minWidth: 'min(300px, 100%)' }}
          loading={institutions.loading}
          value={institutions.whole ? (institution ?? ALLIANCE) : (institution ?? undefined)}
          options={institutions.options.map(({ value, label }) => ({ value, label }))}
          onChange={(v: string) => update({ institution: v === ALLIANCE ? null : v })}
          showSearch
          optionFilterProp="label"
          aria-label={t('quality.filters.institution')}
        />
      </Space>
      {children}
    </Space>
  );
}

const ALL_FIELDS = 'all';

/** The field of education (ISCED-F broad field) the dashboard's figures are narrowed to. */
export function FieldFilter({ filters }: { filters: QualityFilters }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const fields = useBroadFields();
  const options = [
    { value: ALL_FIELDS, label: t('quality.filters.allFields') },
    ...(fields.data?.items ?? []).map((f) => ({ value: f.key, label: `${f.key} · ${localName(lang, f.labelZh, f.labelEn)}` })),
  ];
  return (
    <Space>
      <Typography.Text>{t('quality.filters.field')}</Typography.Text>
      <Select
        data-testid="quality-field"
        style={{ minWidth: 260 }}
        loading={fields.isPending}
        value={filters.field ?? ALL_FIELDS}
        options={options}
        onChange={(v: string) => filters.update({ field: v === ALL_FIELDS ? null : v })}
        showSearch
        optionFilterProp="label"
        aria-label={t('quality.filters.field')}
      />
    </Space>
  );
}

/** A card's switch between the chart and a table of the same numbers. */
export function ViewSwitch({ value, onChange, testId }: { value: 'chart' | 'table'; onChange: (v: 'chart' | 'table') => void; testId: string }) {
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
