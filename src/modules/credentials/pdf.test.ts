// The printable PDF speaks to people: times on the reader's clock, not ISO instants.
import { describe, expect, it } from 'vitest';
import { localTime } from './pdf.js';

describe('localTime', () => {
  it('writes an instant on the clock of the offset, saying which', () => {
    expect(localTime('2026-12-05T17:19:03Z', '+08:00')).toBe('2026-12-06 01:19 (UTC+08:00)');
    expect(localTime('2026-12-05T17:19:03Z', '-05:30')).toBe('2026-12-05 11:49 (UTC-05:30)');
    expect(localTime('2026-12-05T17:19:03Z', '+00:00')).toBe('2026-12-05 17:19 (UTC+00:00)');
  });
  it('leaves nothing as nothing, and text that is no date as it is', () => {
    expect(localTime(null, '+08:00')).toBeNull();
    expect(localTime('sometime', '+08:00')).toBe('sometime');
  });
});
