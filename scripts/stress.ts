// npm run stress [-- --attempts N --kills K --seed S]: the integrity stress harness (src/test/stress.ts)
// against the PostgreSQL of STRESS_DATABASE_URL, TEST_DATABASE_URL or the local server; prints the
// counts and exits 1 if any invariant broke, a request got a 5xx, or the log does not verify.
import { parseArgs } from 'node:util';
import { runStress } from '../src/test/stress.js';

const { values } = parseArgs({
  options: { attempts: { type: 'string', default: '1200' }, kills: { type: 'string', default: '20' }, seed: { type: 'string' } },
});
const url = process.env.STRESS_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const positive = (name: string, v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number (got ${v})`);
  return n;
};
const report = await runStress({
  url,
  attempts: positive('attempts', values.attempts),
  kills: positive('kills', values.kills),
  seed: values.seed === undefined ? undefined : positive('seed', values.seed),
  log: (line) => console.log(line),
});
console.log(JSON.stringify(report, null, 2));
const broken =
  Object.values(report.breaches).reduce((a, b) => a + b, 0) +
  report.afterKills.breaches +
  report.afterKills.stuckJobs +
  report.afterKills.leftoverStages +
  report.serverErrors +
  report.logFindings.length;
console.log(
  broken === 0
    ? `stress: every count 0 after ${report.attempts} conflicting requests and ${report.kills} kills (${report.seconds} s)`
    : `stress: ${broken} problems`,
);
process.exitCode = broken === 0 ? 0 : 1;
