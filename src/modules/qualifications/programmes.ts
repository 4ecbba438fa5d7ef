// A programme with its institution, as the qualification use cases and views name it.
import type { Executor } from '../../db/connection.js';
import { notFound } from '../../errors.js';
import * as store from './store.js';

type ProgrammeRow = store.ProgrammeRow;

export function programmeRef(p: ProgrammeRow) {
  return {
    id: p.id,
    code: p.code,
    titleZh: p.titleZh,
    titleEn: p.titleEn,
    qualification: p.qualification,
    institution: { id: p.institutionId, code: p.institutionCode, nameZh: p.institutionNameZh, nameEn: p.institutionNameEn },
  };
}

export async function programme(db: Executor, id: string) {
  const [p] = await store.programmeRows(db, [id]);
  if (!p) throw notFound('Programme', id);
  return p;
}
