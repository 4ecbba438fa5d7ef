// The fixed grade tables of an agreement, one per direction: for each party, how its grades read in
// the other parties' scales — by numeric ranges (from a lowest mark up) or grade by grade.
import { Button, Card, Col, Form, Input, InputNumber, Radio, Row, Space, Tooltip, Typography } from 'antd';
import { ArrowRightOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { GradeTableFrom } from '../../api/recognition';
import type { Institution } from '../../api/types';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { GradeInput, scaleHint, scaleOf, type ScaleDef } from './common';

export type DirectionType = 'off' | 'ranges' | 'labels';

export interface DirectionValues {
  type?: DirectionType;
  bands?: { min?: number | null; to?: string }[];
  labels?: { from?: string; to?: string }[];
}

/** Form values by the id of the party whose grades the table reads. */
export type GradeTablesValues = Record<string, DirectionValues | undefined>;

/** A scale of levels is read grade by grade; a numeric one by ranges. */
export function defaultType(scale: ScaleDef | null): 'ranges' | 'labels' {
  return scale?.type === 'levels' || scale?.type === 'pass_fail' ? 'labels' : 'ranges';
}

/** The rows a new table starts with: every passing level of a scale of levels, else one empty row. */
export function defaultRows(scale: ScaleDef | null): Pick<DirectionValues, 'bands' | 'labels'> {
  if (scale?.type === 'levels') return { bands: [{}], labels: scale.levels.filter((l) => l.passing).map((l) => ({ from: l.code, to: '' })) };
  if (scale?.type === 'pass_fail') return { bands: [{}], labels: [{ from: 'Pass', to: '' }] };
  return { bands: [{}], labels: [{}] };
}

/** The request's gradeTables from the form's values, for the parties of the agreement, in their order. */
export function gradeTablesBody(partyIds: string[], values: GradeTablesValues | undefined): GradeTableFrom[] {
  const out: GradeTableFrom[] = [];
  for (const from of partyIds) {
    const v = values?.[from];
    if (!v || !v.type || v.type === 'off') continue;
    if (v.type === 'ranges') {
      const bands = (v.bands ?? [])
        .filter((b): b is { min: number; to: string } => typeof b.min === 'number' && Boolean(b.to?.trim()))
        .map((b) => ({ min: b.min, to: b.to.trim() }))
        .sort((a, b) => b.min - a.min);
      if (bands.length) out.push({ from, table: { type: 'ranges', bands } });
    } else {
      const map: Record<string, string> = {};
      for (const l of v.labels ?? []) if (l.from?.trim() && l.to?.trim()) map[l.from.trim()] = l.to.trim();
      if (Object.keys(map).length) out.push({ from, table: { type: 'labels', map } });
    }
  }
  return out;
}

/**
 * "90 分及以上：优；60 分及以上：及格" or "优 → 95；良 → 85": a table in one line, best grade first —
 * in the order of `levels` (the source scale's grades, best first) when given, else numbers downwards.
 */
export function tableText(t: TFunction, table: GradeTableFrom['table'], levels: string[] = []): string {
  const sep = t('recognition.gradeTables.separator');
  if (table.type === 'pass_fail') return `Pass → ${table.pass}`;
  if (table.type === 'ranges')
    return [...table.bands]
      .sort((a, b) => b.min - a.min)
      .map((b) => t('recognition.gradeTables.bandText', { min: b.min, to: b.to }))
      .join(sep);
  const rank = (g: string) => (levels.includes(g) ? levels.indexOf(g) : levels.length);
  return Object.entries(table.map)
    .sort(([a], [b]) => rank(a) - rank(b) || (Number.isFinite(Number(a)) && Number.isFinite(Number(b)) ? Number(b) - Number(a) : a.localeCompare(b)))
    .map(([from, to]) => `${from} → ${to}`)
    .join(sep);
}

/** The grades of a scale of levels, best first (empty for other scales). */
export function levelOrder(scale: ScaleDef | null): string[] {
  return scale?.type === 'levels' ? scale.levels.map((l) => l.code) : [];
}

/** One table per party of the agreement: its grades → the other parties' grades. */
export function GradeTablesEditor({ parties }: { parties: Institution[] }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="agr-grade-tables">
      {parties.map((from) => {
        const others = parties.filter((p) => p.id !== from.id);
        const fromScale = scaleOf(from);
        // one receiving party: its scale guides the target grades; several may differ, so free text
        const toScale = others.length === 1 ? scaleOf(others[0]) : null;
        return <Direction key={from.id} from={from} others={others} fromScale={fromScale} toScale={toScale} lang={lang} t={t} />;
      })}
    </Space>
  );
}

function Direction({
  from,
  others,
  fromScale,
  toScale,
  lang,
  t,
}: {
  from: Institution;
  others: Institution[];
  fromScale: ScaleDef | null;
  toScale: ScaleDef | null;
  lang: 'zh-CN' | 'en';
  t: TFunction;
}) {
  const prefix = `agr-gt-${from.code}`;
  const otherCodes = others.map((o) => o.code).join(t('recognition.la.listSeparator'));
  const rows = defaultRows(fromScale);
  const required = { required: true, message: t('recognition.form.required') };
  const fromHint = scaleHint(t, lang, fromScale);
  const toHint = others.length === 1 ? scaleHint(t, lang, toScale) : '';
  return (
    <Card
      size="small"
      data-testid={prefix}
      title={t('recognition.gradeTables.direction', { from: from.code, to: otherCodes })}
      extra={
        <Form.Item name={['gradeTables', from.id, 'type']} initialValue={defaultType(fromScale)} noStyle>
          <Radio.Group
            size="small"
            optionType="button"
            options={(['ranges', 'labels', 'off'] as const).map((v) => ({ value: v, label: t(`recognition.gradeTables.type.${v}`) }))}
            data-testid={`${prefix}-type`}
          />
        </Form.Item>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {t('recognition.gradeTables.scales', {
          from: `${from.code} ${fromScale ? fromHint || localName(lang, from.gradingScales[0]?.nameZh, from.gradingScales[0]?.nameEn) : t('recognition.gradeTables.noScale')}`,
          to: others.length === 1 ? `${others[0]!.code} ${toHint || t('recognition.gradeTables.noScale')}` : otherCodes,
        })}
      </Typography.Paragraph>
      <Form.Item
        noStyle
        shouldUpdate={(a, b) =>
          (a as { gradeTables?: GradeTablesValues }).gradeTables?.[from.id]?.type !== (b as { gradeTables?: GradeTablesValues }).gradeTables?.[from.id]?.type
        }
      >
        {({ getFieldValue }) => {
          const type = (getFieldValue(['gradeTables', from.id, 'type']) as DirectionType | undefined) ?? defaultType(fromScale);
          if (type === 'off')
            return (
              <Typography.Text type="secondary" data-testid={`${prefix}-off`}>
                {t('recognition.gradeTables.offHelp', { from: from.code })}
              </Typography.Text>
            );
          if (type === 'ranges')
            return (
              <Form.List
                name={['gradeTables', from.id, 'bands']}
                initialValue={rows.bands}
                rules={[
                  {
                    validator: (_, bands?: DirectionValues['bands']) => {
                      const mins = (bands ?? []).map((b) => b?.min).filter((m): m is number => typeof m === 'number');
                      return new Set(mins).size === mins.length ? Promise.resolve() : Promise.reject(new Error(t('recognition.gradeTables.duplicateMin')));
                    },
                  },
                ]}
              >
                {(fields, { add, remove }, { errors }) => (
                  <>
                    <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
                      {t('recognition.gradeTables.rangesHelp')}
                    </Typography.Paragraph>
                    {fields.map((field) => (
                      <Row key={field.key} gutter={8} align="top" data-testid={`${prefix}-row`}>
                        <Col flex="none" style={{ lineHeight: '32px' }}>
                          {t('recognition.gradeTables.fromMin', { code: from.code })}
                        </Col>
                        <Col flex="120px">
                          <Form.Item name={[field.name, 'min']} rules={[required]}>
                            <InputNumber min={0} max={1000} style={{ width: '100%' }} placeholder={fromHint} data-testid={`${prefix}-min`} />
                          </Form.Item>
                        </Col>
                        <Col flex="none" style={{ lineHeight: '32px' }}>
                          <ArrowRightOutlined style={{ color: '#8c8c8c' }} />
                        </Col>
                        <Col flex="160px">
                          <Form.Item name={[field.name, 'to']} rules={[{ ...required, whitespace: true }]}>
                            <GradeInput scale={toScale} placeholder={t('recognition.gradeTables.target')} testId={`${prefix}-to`} />
                          </Form.Item>
                        </Col>
                        <Col flex="none">
                          <Tooltip title={t('recognition.remove')}>
                            <Button
                              type="text"
                              icon={<DeleteOutlined />}
                              aria-label={t('recognition.remove')}
                              disabled={fields.length === 1}
                              onClick={() => remove(field.name)}
                            />
                          </Tooltip>
                        </Col>
                      </Row>
                    ))}
                    <Form.ErrorList errors={errors} />
                    <Button
                      size="small"
                      type="dashed"
                      icon={<PlusOutlined />}
                      onClick={() => add({})}
                      disabled={fields.length >= 50}
                      data-testid={`${prefix}-add`}
                    >
                      {t('recognition.gradeTables.addBand')}
                    </Button>
                  </>
                )}
              </Form.List>
            );
          return (
            <Form.List
              name={['gradeTables', from.id, 'labels']}
              initialValue={rows.labels}
              rules={[
                {
                  validator: (_, labels?: DirectionValues['labels']) => {
                    const keys = (labels ?? []).map((l) => l?.from?.trim()).filter(Boolean);
                    return new Set(keys).size === keys.length ? Promise.resolve() : Promise.reject(new Error(t('recognition.gradeTables.duplicateLabel')));
                  },
                },
              ]}
            >
              {(fields, { add, remove }, { errors }) => (
                <>
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
                    {t('recognition.gradeTables.labelsHelp')}
                  </Typography.Paragraph>
                  {fields.map((field) => (
                    <Row key={field.key} gutter={8} align="top" data-testid={`${prefix}-row`}>
                      <Col flex="160px">
                        <Form.Item name={[field.name, 'from']} rules={[{ ...required, whitespace: true }]}>
                          {fromScale?.type === 'levels' || fromScale?.type === 'pass_fail' ? (
                            <GradeInput scale={fromScale} placeholder={t('recognition.gradeTables.source', { code: from.code })} testId={`${prefix}-from`} />
                          ) : (
                            <Input placeholder={t('recognition.gradeTables.source', { code: from.code })} data-testid={`${prefix}-from`} />
                          )}
                        </Form.Item>
                      </Col>
                      <Col flex="none" style={{ lineHeight: '32px' }}>
                        <ArrowRightOutlined style={{ color: '#8c8c8c' }} />
                      </Col>
                      <Col flex="160px">
                        <Form.Item name={[field.name, 'to']} rules={[{ ...required, whitespace: true }]}>
                          <GradeInput scale={toScale} placeholder={t('recognition.gradeTables.target')} testId={`${prefix}-to`} />
                        </Form.Item>
                      </Col>
                      <Col flex="none">
                        <Tooltip title={t('recognition.remove')}>
                          <Button
                            type="text"
                            icon={<DeleteOutlined />}
                            aria-label={t('recognition.remove')}
                            disabled={fields.length === 1}
                            onClick={() => remove(field.name)}
                          />
                        </Tooltip>
                      </Col>
                    </Row>
                  ))}
                  <Form.ErrorList errors={errors} />
                  <Button
                    size="small"
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({})}
                    disabled={fields.length >= 100}
                    data-testid={`${prefix}-add`}
                  >
                    {t('recognition.gradeTables.addLabel')}
                  </Button>
                </>
              )}
            </Form.List>
          );
        }}
      </Form.Item>
    </Card>
  );
}
