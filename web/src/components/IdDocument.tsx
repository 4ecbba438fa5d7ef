import { useMemo } from 'react';
import { Form, Input, Select, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
// The server's own list of ISO 3166-1 codes (pure data, no imports): one list for the check and the picker.
import { alpha2Of, COUNTRIES } from '../../../src/core/countries';
import type { IdType } from '../api/types';
import { useLanguage } from '../i18n/useLanguage';

/** Every identity document a learner may be registered with, in the order the server lists them. */
export const ID_TYPES: readonly IdType[] = ['resident_id', 'hk_macao_permit', 'taiwan_permit', 'residence_permit', 'foreign_permanent', 'passport', 'other'];

/** The country of passports recorded before the country was asked for (ICAO 9303's "unspecified"). */
const UNSPECIFIED = 'XXX';

/** Where Chinese standards (GB/T 2659) name a region otherwise than the platform does. */
const NAMED: Record<string, { zh: string; en: string }> = { TWN: { zh: '中国台湾', en: 'Taiwan, China' } };

const displayNames = new Map<string, Intl.DisplayNames | null>();
function regionNames(zh: boolean): Intl.DisplayNames | null {
  const lang = zh ? 'zh-Hans' : 'en';
  if (!displayNames.has(lang)) {
    try {
      displayNames.set(lang, new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' }));
    } catch {
      displayNames.set(lang, null);
    }
  }
  return displayNames.get(lang) ?? null;
}

/** A country's name in the UI language, from its ISO 3166-1 alpha-3 code (the code itself when the browser has no name). */
export function countryName(t: TFunction, lang: string, code: string): string {
  if (code === UNSPECIFIED) return t('idDocument.countryUnspecified');
  const zh = lang.startsWith('zh');
  const own = NAMED[code];
  if (own) return zh ? own.zh : own.en;
  const alpha2 = alpha2Of(code);
  return (alpha2 && regionNames(zh)?.of(alpha2)) || code;
}

export interface IdDocumentValue {
  idType?: IdType | null;
  idNumber?: string | null;
  idCountry?: string | null;
  idTypeName?: string | null;
}

/** What a document is beyond its type: a passport's country, another document's name. */
function qualifier(t: TFunction, lang: string, d: IdDocumentValue): string | null {
  if (d.idType === 'passport' && d.idCountry) return `${countryName(t, lang, d.idCountry)} ${d.idCountry}`;
  if (d.idType === 'other' && d.idTypeName) return d.idTypeName;
  return null;
}

/** "护照（美国 USA）E12**5678" as one line of text. */
export function idDocumentText(t: TFunction, lang: string, d: IdDocumentValue): string {
  const type = d.idType ? t(`idType.${d.idType}`) : '';
  const q = qualifier(t, lang, d);
  return `${type}${q ? t('idDocument.qualified', { what: q }) : ''} ${d.idNumber ?? '—'}`.trim();
}

/** A learner's document: its type, its country or name, the number (as the server gives it: masked for staff). */
export function IdDocumentView({ document: d, testId }: { document: IdDocumentValue; testId?: string }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  if (!d.idNumber) return <span data-testid={testId}>—</span>;
  const q = qualifier(t, lang, d);
  return (
    <Space size={6} wrap data-testid={testId}>
      {d.idType && <span>{t(`idType.${d.idType}`)}</span>}
      {q && <Typography.Text type="secondary">{q}</Typography.Text>}
      <span className="cb-mono">{d.idNumber}</span>
    </Space>
  );
}

/**
 * The identity document fields of a form (names idType, idNumber, idCountry, idTypeName, as the API
 * takes them): every type, the issuing country for a passport, the document's name for another one.
 */
export function IdDocumentFields() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const form = Form.useFormInstance();
  const idType = Form.useWatch('idType', form) as IdType | undefined;
  const countries = useMemo(
    () =>
      COUNTRIES.map(([code]) => ({ value: code, label: `${countryName(t, lang, code)} ${code}` })).sort((a, b) =>
        a.label.localeCompare(b.label, lang.startsWith('zh') ? 'zh-Hans-u-co-pinyin' : 'en'),
      ),
    [t, lang],
  );
  return (
    <>
      <Form.Item name="idType" label={t('idDocument.type')}>
        <Select
          allowClear
          placeholder={t('idDocument.typeNone')}
          options={ID_TYPES.map((v) => ({ value: v, label: t(`idType.${v}`) }))}
          data-testid="id-type"
        />
      </Form.Item>
      {idType && (
        <Form.Item
          name="idNumber"
          label={t('idDocument.number')}
          extra={t(`idDocument.numberHelp.${idType}`)}
          rules={[{ required: true, whitespace: true, message: t('idDocument.required') }, { max: 60 }]}
        >
          <Input className="cb-mono" autoComplete="off" data-testid="id-number" />
        </Form.Item>
      )}
      {idType === 'passport' && (
        <Form.Item
          name="idCountry"
          label={t('idDocument.country')}
          extra={t('idDocument.countryHelp')}
          rules={[{ required: true, message: t('idDocument.required') }]}
        >
          <Select showSearch optionFilterProp="label" options={countries} placeholder={t('idDocument.countryPlaceholder')} data-testid="id-country" />
        </Form.Item>
      )}
      {idType === 'other' && (
        <Form.Item
          name="idTypeName"
          label={t('idDocument.typeName')}
          rules={[{ required: true, whitespace: true, message: t('idDocument.required') }, { max: 40 }]}
        >
          <Input placeholder={t('idDocument.typeNamePlaceholder')} data-testid="id-type-name" />
        </Form.Item>
      )}
    </>
  );
}
