// A small run of the integrity stress harness (npm run stress runs the full one): two server
// processes on one PostgreSQL, about 200 conflicting requests and three kill -9 restarts; every
// count of a broken invariant must be 0, no request may get a 5xx, and the log must verify.
import { describe, expect, it } from 'vitest';
import { NONE_BROKEN } from './integrity.js';
import { runStress } from './stress.js';

describe.skipIf(!process.env.TEST_DATABASE_URL)('the ledger under a crowd and kill -9 (small run)', () => {
  it('keeps every invariant with two servers, conflicting requests and a server killed at random moments', { timeout: 300_000 }, async () => {
    const r = await runStress({ url: process.env.TEST_DATABASE_URL!, attempts: 200, kills: 3 });
    expect(r.attempts).toBeGreaterThanOrEqual(200);
    expect(r.serverErrors).toBe(0);
    expect(r.breaches).toEqual(NONE_BROKEN);
    expect(r.afterKills).toEqual({ breaches: 0, stuckJobs: 0, leftoverStages: 0 });
    expect(r.logFindings).toEqual([]);
    // the crowd met refusals (the invariants were attacked) and was also served
    expect(r.answers['409']).toBeGreaterThan(10);
    expect(r.answers['201']).toBeGreaterThan(10);
    // grade corrections and erasures went through, some of them under a kill
    expect(r.corrected).toBeGreaterThan(0);
    expect(r.erased).toBeGreaterThan(0);
  });
});
