// How long something waited, in the two largest units that matter: "2 d 3 h", "5 h 12 min", "8 min";
// and the committee's tally as its decision event words it.

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Whole days, hours and minutes in `ms` (negative or invalid durations count as zero). */
export function durationParts(ms: number): DurationParts {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / MINUTE) * MINUTE : 0;
  return { days: Math.floor(total / DAY), hours: Math.floor((total % DAY) / HOUR), minutes: Math.floor((total % HOUR) / MINUTE) };
}

export type DurationUnit = 'days' | 'hours' | 'minutes';

/**
 * The units to show: days and hours once a day has passed, hours and minutes within a day,
 * minutes within an hour; `[]` for less than a minute. Zero parts are left out ("2 d", not "2 d 0 h").
 */
export function durationUnits(ms: number): [DurationUnit, number][] {
  const p = durationParts(ms);
  const pick: [DurationUnit, number][] =
    p.days > 0
      ? [
          ['days', p.days],
          ['hours', p.hours],
        ]
      : p.hours > 0
        ? [
            ['hours', p.hours],
            ['minutes', p.minutes],
          ]
        : [['minutes', p.minutes]];
  return pick.filter(([, n]) => n > 0);
}

/** The committee's decision event carries the tally as "2 for, 1 against"; null for any other text. */
export function tallyOf(e: { action: string; details: Record<string, unknown> }): { approve: number; reject: number } | null {
  const { approve, reject } = e.details;
  return e.action === 'decide' && typeof approve === 'number' && typeof reject === 'number' ? { approve, reject } : null;
}
