// Pieces the degree progress, planner and award pages share: the queries, what a requirement still
// lacks in words, exclusion reasons, award status tags and programme names.
import { Tag, Tooltip } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled, RollbackOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AwardStatus, AwardView, Missing, ProgrammeRef } from '../../api/qualifications';
import type { CreditUnit } from '../../api/types';
import { formatDecimal, localName } from '../../format';
import type { Language } from '../../i18n';
import { useLanguage } from '../../i18n/useLanguage';

export const PROGRAMMES_KEY = ['qualifications', 'programmes'] as const;
export const auditsKey = (programmes: string[]) => ['qualifications', 'audits', programmes.join(',')] as const;
export const planKey = (programmeId: string) => ['qualifications', 'plan', programmeId] as const;
export const awardQueueKey = (institutionId: string, status: string) => ['qualifications', 'award-queue', institutionId, status] as const;

/** Every programme (public), with the catalogue years it has requirements for. */
export function useProgrammes() {
  return useQuery({
    queryKey: PROGRAMMES_KEY,
    queryFn: ({ signal }) => api.get('/programmes', { signal }),
    staleTime: 5 * 60_000,
  });
}

/** The learner's audits: their own programmes when `programmes` is empty, else those (what-if). */
export function useMyAudits(programmes: string[]) {
  return useQuery({
    queryKey: auditsKey(programmes),
    queryFn: ({ signal }) => api.get('/me/audits', { query: { programmes: programmes.join(',') || undefined }, signal }),
  });
}

/** "CB-BACHELOR 学分银行学士（计算机）" */
export function programmeLabel(lang: Language, p: Pick<ProgrammeRef, 'code' | 'titleZh' | 'titleEn'>): string {
  return `${p.code} ${localName(lang, p.titleZh, p.titleEn)}`;
}

/** A list of course codes: "CS3021、CS3022" / "CS3021, CS3022". */
export function codeList(lang: Language, codes: string[]): string {
  return codes.join(lang === 'en' ? ', ' : '、');
}

/** "12 学分" / "12 credits" */
export function amountText(t: TFunction, amount: string | null | undefined, unit: CreditUnit = 'credit'): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  return `${formatDecimal(amount)} ${t(`unitLabel.${unit}`)}`;
}

/**
 * What a requirement still lacks, in words, one phrase per kind of lack:
 * "还差 6 学分" / "6 more credits"; "还需修读：CS3011" / "Still to take: CS3011";
 * "从 CS3021、CS3022 中再选 1 门" / "Choose 1 more of CS3021, CS3022".
 */
export function missingPhrases(t: TFunction, lang: Language, missing: Missing, unit: CreditUnit = 'credit'): string[] {
  const out: string[] = [];
  if (missing.courses && missing.courses.length > 0) {
    const courses = codeList(lang, missing.courses);
    if (missing.pick !== undefined && missing.pick < missing.courses.length) out.push(t('qualification.missing.pick', { n: missing.pick, courses }));
    else out.push(t('qualification.missing.courses', { courses }));
  }
  if (missing.credits !== undefined && Number(missing.credits) > 0)
    out.push(t('qualification.missing.credits', { credits: formatDecimal(missing.credits), unit: t(`unitLabel.${unit}`) }));
  return out;
}

export function missingText(t: TFunction, lang: Language, missing: Missing, unit: CreditUnit = 'credit'): string {
  return missingPhrases(t, lang, missing, unit).join(lang === 'en' ? '; ' : '；');
}

const AWARD_STYLE: Record<AwardStatus, { color: string; icon: React.ReactNode }> = {
  applied: { color: 'processing', icon: <ClockCircleOutlined /> },
  approved: { color: 'success', icon: <CheckCircleFilled /> },
  rejected: { color: 'error', icon: <CloseCircleFilled /> },
  withdrawn: { color: 'default', icon: <RollbackOutlined /> },
};

/** 已申请 / 已授予 / 未授予 / 已撤销, with what it means on hover. */
export function AwardStatusTag({ status, testId = 'award-status' }: { status: AwardStatus; testId?: string }) {
  const { t } = useTranslation();
  const s = AWARD_STYLE[status];
  return (
    <Tooltip title={t(`qualification.awardStatusHelp.${status}`)}>
      <Tag color={s.color} icon={s.icon} bordered={false} style={{ marginInlineEnd: 0, fontWeight: 500 }} data-testid={testId} data-status={status}>
        {t(`qualification.awardStatus.${status}`)}
      </Tag>
    </Tooltip>
  );
}

/** Whether an award application is still in force (waiting or granted). */
export const isLiveAward = (a: Pick<AwardView, 'status'> | null | undefined) => a?.status === 'applied' || a?.status === 'approved';

/** A programme's code, title and qualification, with the awarding institution. */
export function ProgrammeName({ p, showInstitution = true }: { p: ProgrammeRef; showInstitution?: boolean }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  return (
    <span style={{ display: 'inline-flex', flexDirection: 'column' }}>
      <span>
        <span className="cb-mono">{p.code}</span> {localName(lang, p.titleZh, p.titleEn)}
      </span>
      <span style={{ fontSize: 12, color: 'rgba(0,0,0,0.6)' }}>
        {t(`qualification.qualificationName.${p.qualification}`)}
        {showInstitution && <> · {localName(lang, p.institution.nameZh, p.institution.nameEn)}</>}
      </span>
    </span>
  );
}

/** "2027-2028-1" → "2027–2028 学年第 1 学期" / "2027–2028, semester 1". */
export function termText(t: TFunction, term: string | null): string {
  if (!term) return '—';
  const m = /^(\d{4})-(\d{4})-(\d)$/.exec(term);
  if (!m) return term;
  return t('qualification.plan.term', { from: m[1], to: m[2], semester: m[3] });
}

/** Credits still needed to reach `required`, as a decimal string ("2.5"); "0" when reached. */
export function shortfall(c: { credits: string; required: string }): string {
  const cents = Math.round(Number(c.required) * 100) - Math.round(Number(c.credits) * 100);
  return String(Math.max(0, cents) / 100);
}

/**
 * How to name an item: the code to show before its title, the title without that code when it
 * begins with it ("CS2011 数据结构"), and the home course it counts as when that is another course
 * (a transferred course or a certificate counting as CS3021).
 */
export function itemName(
  lang: Language,
  i: { courseCode: string | null; titleZh: string; titleEn: string; origin: string },
): { code: string | null; title: string; countsAs: string | null } {
  const title = localName(lang, i.titleZh, i.titleEn);
  const strip = (code: string) => (title.startsWith(`${code} `) ? title.slice(code.length + 1).trim() : title);
  if (i.courseCode && (title.startsWith(`${i.courseCode} `) || i.origin === 'home')) return { code: i.courseCode, title: strip(i.courseCode), countsAs: null };
  // a code both titles begin with ("JN-GE101 思想道德与法治" / "JN-GE101 Ethics, …")
  const first = (s: string) => /^(\S*\d\S*)\s/.exec(s)?.[1];
  const lead = first(i.titleZh) !== undefined && first(i.titleZh) === first(i.titleEn) ? first(i.titleZh)! : null;
  return { code: lead, title: lead ? strip(lead) : title, countsAs: i.courseCode };
}
