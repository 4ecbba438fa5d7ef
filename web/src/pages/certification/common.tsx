// Pieces the certification pages share: status tags, durations, credits, names, field errors.
import { useCallback, useEffect, useState } from 'react';
import { Tag, Tooltip } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { CreditUnit } from '../../api/types';
import { formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { durationUnits } from './duration';
import type { Application, CertStatus } from './types';

export const STATUS_COLORS: Record<CertStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  more_info: 'warning',
  committee: 'purple',
  approved: 'success',
  rejected: 'error',
  appealed: 'magenta',
  withdrawn: 'default',
  revoked: 'volcano',
};

/** The status in words a learner understands, with who it waits for on hover. */
export function StatusTag({ status, testId }: { status: CertStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`certification.statusHelp.${status}`)}>
      <Tag color={STATUS_COLORS[status]} bordered={false} data-testid={testId} data-status={status} style={{ marginInlineEnd: 0 }}>
        {t(`certification.status.${status}`)}
      </Tag>
    </Tooltip>
  );
}

/** Formats a duration in milliseconds: "2 天 3 小时" / "2 d 3 h". */
export function useFormatDuration() {
  const { t } = useTranslation();
  return useCallback(
    (ms: number) => {
      const units = durationUnits(ms);
      if (units.length === 0) return t('certification.duration.underMinute');
      return units.map(([unit, count]) => t(`certification.duration.${unit}`, { count })).join(' ');
    },
    [t],
  );
}

/** The current time, ticking every `everyMs` so that "waiting for" stays true on an open page. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** "3.5 学分" / "3.5 ECTS" */
export function useCredits() {
  const { t } = useTranslation();
  return useCallback((amount: string | null | undefined, unit: CreditUnit) => (amount ? `${formatDecimal(amount)} ${t(`unitLabel.${unit}`)}` : '—'), [t]);
}

/** The standard's name, or "individual assessment" when there is none. */
export function useStandardName() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  return useCallback(
    (a: Pick<Application, 'standard'>) => (a.standard ? localName(lang, a.standard.nameZh, a.standard.nameEn) : t('certification.individual.short')),
    [lang, t],
  );
}

/** Puts the server's field errors (`body.certificateNo: …`) on the form's fields; returns whether any matched. */
export function showFieldErrors(form: FormInstance, error: unknown, fields: string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const matched = (error.problem?.errors ?? [])
    .map((e) => ({ name: e.path.replace(/^(body|query)\./, ''), message: e.message }))
    .filter((e) => fields.includes(e.name));
  if (matched.length > 0) form.setFields(matched.map((e) => ({ name: e.name, errors: [e.message] })));
  return matched.length > 0;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
