import { describe, expect, it } from 'vitest';
import { durationParts, durationUnits, tallyOf } from './duration';

const m = 60_000;
const h = 60 * m;
const d = 24 * h;

describe('durationParts', () => {
  it('splits milliseconds into whole days, hours and minutes', () => {
    expect(durationParts(2 * d + 3 * h + 4 * m + 59_999)).toEqual({ days: 2, hours: 3, minutes: 4 });
  });
  it('treats negative and invalid durations as zero', () => {
    expect(durationParts(-5 * h)).toEqual({ days: 0, hours: 0, minutes: 0 });
    expect(durationParts(Number.NaN)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });
});

describe('durationUnits', () => {
  it('shows days and hours after a day', () => {
    expect(durationUnits(2 * d + 3 * h + 40 * m)).toEqual([
      ['days', 2],
      ['hours', 3],
    ]);
  });
  it('leaves out a zero part', () => {
    expect(durationUnits(2 * d + 20 * m)).toEqual([['days', 2]]);
    expect(durationUnits(5 * h)).toEqual([['hours', 5]]);
  });
  it('shows hours and minutes within a day, minutes within an hour', () => {
    expect(durationUnits(5 * h + 12 * m)).toEqual([
      ['hours', 5],
      ['minutes', 12],
    ]);
    expect(durationUnits(8 * m)).toEqual([['minutes', 8]]);
  });
  it('is empty under a minute', () => {
    expect(durationUnits(59_000)).toEqual([]);
  });
});

describe('tallyOf', () => {
  it('reads the committee decision’s tally from its details', () => {
    expect(tallyOf({ action: 'decide', details: { approve: 2, reject: 1, decision: 'approve' } })).toEqual({ approve: 2, reject: 1 });
  });
  it('leaves other events alone', () => {
    expect(tallyOf({ action: 'reject', details: {} })).toBeNull();
    expect(tallyOf({ action: 'decide', details: {} })).toBeNull();
  });
});
