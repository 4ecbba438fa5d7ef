// Mutual recognition: for now the stateless grade-conversion method, open to anyone who wants to
// check how the bank converts.
import type { z } from 'zod';
import { buildTable, convertByTable, TableError } from '../../core/grades/tables.js';
import { invalid } from '../../errors.js';
import type { gradeConversionRequest } from './schema.js';

function table(side: 'from' | 'to', grades: z.infer<typeof gradeConversionRequest>['from']['grades']) {
  try {
    return buildTable(grades);
  } catch (err) {
    if (err instanceof TableError) throw invalid(`body.${side}.${err.path}`, err.message);
    throw err;
  }
}

export function convertGrade(body: z.infer<typeof gradeConversionRequest>) {
  const from = table('from', body.from.grades);
  const to = table('to', body.to.grades);
  try {
    const r = convertByTable(from, to, body.grade, body.policy);
    return { ...r, policy: body.policy, smallGroup: { from: from.small, to: to.small } };
  } catch (err) {
    if (err instanceof TableError) throw invalid(`body.${err.path}`, err.message);
    throw err;
  }
}
