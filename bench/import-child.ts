// Runs one import in its own process, so that its peak memory is the import's alone, and prints
// {rows, seconds, maxRssMb, job} as JSON. Used by bench/run.ts.
import { parseArgs } from 'node:util';
import { openConfigured } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { COLUMNS, type ImportKind } from '../src/modules/imports/columns.js';
import { readRows } from '../src/modules/imports/read.js';
import { createJob, runJob } from '../src/modules/imports/service.js';
import { institutionIdByCode } from '../src/modules/institutions/service.js';

const { values } = parseArgs({
  options: { kind: { type: 'string' }, file: { type: 'string' }, institution: { type: 'string' }, mode: { type: 'string', default: 'all_or_nothing' } },
});
const kind = values.kind as ImportKind;
const database = await openConfigured(loadConfig());
try {
  const institutionId = await institutionIdByCode(database.db, values.institution!);
  if (!institutionId) throw new Error(`no institution ${values.institution}`);
  const operator = { kind: 'system' as const, name: 'bench' };
  const { job, actor } = await createJob(database.db, operator, institutionId, { kind, mode: values.mode as 'partial', source: 'cli', filename: values.file });
  const t = performance.now();
  const done = await runJob(database.db, actor, job, (onBytes) => readRows(values.file!, COLUMNS[kind], { onBytes, maxBytes: 2 ** 31 }));
  const seconds = (performance.now() - t) / 1000;
  process.stdout.write(`${JSON.stringify({ rows: done.rowsRead, seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), job: done })}\n`);
} finally {
  await database.close();
}
