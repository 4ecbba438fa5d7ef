// How a conversion standard reads on screen, shared by the public catalogue and the committee's page.
import type { ReactNode } from 'react';
import { Button, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { api } from '../../api/client';
import type { Standard, StandardStatus } from '../../api/standards';
import { formatDate, formatDecimal, localName } from '../../format';
import { currentLanguage, type Language } from '../../i18n';
import { iscedFieldName } from '../../../../src/core/isced';

/** ISCED-F 2013 broad fields: the two-digit prefixes the catalogue filters on. */
export const ISCED_BROAD = ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10'] as const;

export const STATUS_COLORS: Record<StandardStatus, string> = { draft: 'gold', approved: 'success', retired: 'default' };

export function useInstitutions() {
  return useQuery({
    queryKey: ['institutions'],
    queryFn: ({ signal }) => api.get('/institutions', { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useFrameworks() {
  return useQuery({
    queryKey: ['frameworks'],
    queryFn: ({ signal }) => api.get('/frameworks', { signal }),
    staleTime: 5 * 60_000,
  });
}

/**
 * "0613" → "0613 · 软件和应用程序开发与分析": an ISCED-F 2013 code with its field's name (detailed,
 * narrow or broad, src/core/isced.ts) in the UI language; the broad field's name for a code not in
 * the list.
 */
export function iscedText(t: TFunction, code: string, lang: Language = currentLanguage()): string {
  const field = iscedFieldName(code);
  const name = field ? (lang === 'en' ? field.en : field.zh) : t(`standards.iscedField.${code.slice(0, 2)}`, { defaultValue: '' });
  return name ? `${code} · ${name}` : code;
}

/** The European Qualifications Framework's eight levels, by what each corresponds to. */
const EQF_LEVELS: Record<number, { zh: string; en: string }> = {
  1: { zh: '入门', en: 'entry' },
  2: { zh: '初级', en: 'basic' },
  3: { zh: '中级', en: 'intermediate' },
  4: { zh: '高中、中职层次', en: 'upper secondary' },
  5: { zh: '专科层次', en: 'short-cycle higher education' },
  6: { zh: '本科（学士）层次', en: 'bachelor’s' },
  7: { zh: '硕士层次', en: 'master’s' },
  8: { zh: '博士层次', en: 'doctoral' },
};

/** A qualifications-framework level read as EQF: 6 → "EQF 6 级 · 本科（学士）层次" / "EQF level 6 · bachelor’s". */
export function eqfLevelText(level: number | null | undefined, lang: Language = currentLanguage()): string {
  if (level === null || level === undefined) return '—';
  const name = EQF_LEVELS[level];
  const head = lang === 'en' ? `EQF level ${level}` : `EQF ${level} 级`;
  return name ? `${head} · ${lang === 'en' ? name.en : name.zh}` : head;
}

/** "3" + unit → "3 学分" / "3 ECTS". */
export function creditsText(t: TFunction, amount: string, unit: Standard['unit']): string {
  return `${formatDecimal(amount)} ${t(`standards.unit.${unit}`)}`;
}

/** The name in the UI language, with code and version; a link that opens the standard when `onOpen` is given. */
export function StandardName({ s, lang, onOpen }: { s: Standard; lang: Language; onOpen?: () => void }) {
  const name = localName(lang, s.nameZh, s.nameEn);
  return (
    <Space direction="vertical" size={0}>
      {onOpen ? (
        <Button
          type="link"
          onClick={onOpen}
          style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start', fontWeight: 600 }}
          data-testid="standard-open"
        >
          {name}
        </Button>
      ) : (
        <Typography.Text strong>{name}</Typography.Text>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <span className="cb-mono">{s.code}</span> · v{s.version}
      </Typography.Text>
    </Space>
  );
}

/** The framework level's name and its EQF level: "四级 · EQF 4". */
export function frameworkLevelText(s: Standard, lang: Language): string {
  const name = localName(lang, s.levelNameZh, s.levelNameEn);
  const parts = [name === '—' ? `${s.frameworkCode} ${s.level}` : name];
  // An EQF level's own name already says so; a level without a name says what it corresponds to.
  if (s.eqfLevel !== null && !parts[0]!.includes('EQF')) parts.push(name === '—' ? eqfLevelText(s.eqfLevel, lang) : `EQF ${s.eqfLevel}`);
  return parts.join(' · ');
}

export function substituteLines(t: TFunction, s: Standard, lang: Language): string[] {
  return s.substitutes.map((sub) => {
    const institution = sub.institutionCode ?? '—';
    if (sub.courseCode || sub.courseId) {
      return t('standards.substituteCourse', {
        institution,
        code: sub.courseCode ?? '',
        title: localName(lang, sub.courseTitleZh, sub.courseTitleEn),
      });
    }
    return t('standards.substituteCategory', { institution, category: sub.category ?? '' });
  });
}

export function validityText(t: TFunction, s: Pick<Standard, 'validityMonths'>): string {
  return s.validityMonths === null ? t('standards.validityNone') : t('standards.validity', { count: s.validityMonths });
}

export function capLines(t: TFunction, s: Standard): string[] {
  const lines: string[] = [];
  if (s.capStandard !== null) lines.push(t('standards.cap.standard', { amount: creditsText(t, s.capStandard, s.unit) }));
  if (s.capKind !== null) lines.push(t('standards.cap.kind', { amount: creditsText(t, s.capKind, s.unit) }));
  if (s.capTotal !== null) lines.push(t('standards.cap.total', { amount: creditsText(t, s.capTotal, s.unit) }));
  return lines;
}

/** Lines stacked in a table cell, or a dash. */
export function Lines({ lines, empty = '—', testId }: { lines: ReactNode[]; empty?: ReactNode; testId?: string }) {
  if (lines.length === 0) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <Space direction="vertical" size={0} data-testid={testId}>
      {lines.map((line, i) => (
        <span key={i}>{line}</span>
      ))}
    </Space>
  );
}

export function EvidenceTags({ evidence, empty }: { evidence: string[]; empty?: ReactNode }) {
  if (evidence.length === 0) return <Typography.Text type="secondary">{empty ?? '—'}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {evidence.map((e) => (
        <Tag key={e} bordered={false} style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
          {e}
        </Tag>
      ))}
    </Space>
  );
}

/** Whether an approved version is not yet, or no longer, in force today. */
function phase(s: Pick<Standard, 'status' | 'effectiveFrom' | 'effectiveTo'>): 'upcoming' | 'ended' | null {
  if (s.status !== 'approved') return null;
  const today = new Date().toISOString().slice(0, 10);
  if (s.effectiveFrom.slice(0, 10) > today) return 'upcoming';
  if (s.effectiveTo && s.effectiveTo.slice(0, 10) <= today) return 'ended';
  return null;
}

/** The status of a version, and for an approved one whether it is in force today. */
export function StatusTag({ t, s }: { t: TFunction; s: Pick<Standard, 'status' | 'effectiveFrom' | 'effectiveTo'> }) {
  const when = phase(s);
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLORS[s.status]} bordered={false} data-testid="standard-status" style={{ marginInlineEnd: 0 }}>
        {t(`standards.status.${s.status}`)}
      </Tag>
      {when && (
        <Tag bordered={false} color={when === 'upcoming' ? 'processing' : 'default'} style={{ marginInlineEnd: 0 }}>
          {t(`standards.phase.${when}`)}
        </Tag>
      )}
    </Space>
  );
}

/** "2024-01-01 起" / "2024-01-01 – 2025-12-31". */
export function effectiveText(t: TFunction, s: Pick<Standard, 'effectiveFrom' | 'effectiveTo'>): string {
  const from = formatDate(s.effectiveFrom);
  return s.effectiveTo ? t('standards.effectiveRange', { from, to: formatDate(s.effectiveTo) }) : t('standards.effectiveSince', { from });
}
