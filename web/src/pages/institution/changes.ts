import type { TFunction } from 'i18next';

/** The field names the server uses in a change's reason ("hours 64 → 72; credits 3 → 3.5"). */
export const CHANGE_FIELDS = [
  'grade',
  'resultStatus',
  'completedOn',
  'titleZh',
  'titleEn',
  'credits',
  'hours',
  'iscedCode',
  'level',
  'outcomesZh',
  'outcomesEn',
  'qualification',
  'totalCredits',
  'fullName',
  'fullNameLatin',
  'email',
  'enrolledOn',
  'programmeId',
  'idNumber',
  'idCountry',
  'idTypeName',
] as const;

const KNOWN = new Set<string>(CHANGE_FIELDS);

/**
 * "hours 64 → 72; credits 3 → 3.5" → "学时 64 → 72; 学分 3 → 3.5": each part's leading field name
 * becomes its label; the values are left as the server wrote them, and unknown parts pass through.
 */
export function describeChange(t: TFunction, reason: string): string {
  return reason
    .split('; ')
    .map((part) => {
      const m = /^(\w+) /.exec(part);
      const field = m?.[1];
      return field && KNOWN.has(field) ? `${t(`imports.changes.field.${field}`)} ${part.slice(field.length + 1)}` : part;
    })
    .join('; ');
}
