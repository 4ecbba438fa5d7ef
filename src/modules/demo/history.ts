// A year of the demo's day-to-day work, so the quality dashboards have something to show: learners
// at HXU and JNVC send certificates for certification month after month (most approved, some refused
// for the usual reasons), and JNVC graduates continuing to a bachelor at HXU (专升本) have their JNVC
// courses recognised there. Everything goes through the services; then each case's times are moved
// back to when it would have happened. The learners are ones no other demo story uses.
import type { Db } from '../../db/connection.js';
import { principalOfUser } from '../auth/service.js';
import { act, attachEvidence, createApplication } from '../certification/service.js';
import { ownLearnerId } from '../accounts/service.js';
import { outcomesOf } from '../outcomes/service.js';
import { applyForTransfer, decideTransfer } from '../recognition/transfers.js';
import { demoPdf } from './certification.js';
import { backdateCertification, backdateTransfer } from './store.js';

const DAY = 86_400_000;

/** Certificates: [learner, standard, certificate number, issued on, evidence labels]. */
const CERTIFICATES: [string, string, string | null, string, string[]][] = [
  ['learner07', 'RK-SE-M', 'RK2024-SE-031877', '2024-11-10', ['证书扫描件 Certificate scan']],
  ['learner09', 'MOOC-DS', 'MOOC-DS-88121', '2025-01-05', ['证书扫描件 Certificate scan', '成绩单 Score report']],
  ['learner11', 'RK-SE-M', 'RK2023-SE-019254', '2023-11-12', ['证书扫描件 Certificate scan']],
  ['learner13', 'MOOC-DS', 'MOOC-DS-90412', '2025-03-02', ['证书扫描件 Certificate scan', '成绩单 Score report']],
  ['learner14', '1X-WEB-M', '1X-WEB-M-2025-0417', '2025-06-20', ['证书扫描件 Certificate scan']],
  ['learner15', 'RK-SE-M', 'RK2025-SE-004512', '2025-05-25', ['证书扫描件 Certificate scan']],
  ['learner16', 'ELEC-L3', 'S000044010203250311', '2025-04-18', ['证书扫描件 Certificate scan']],
  ['learner17', 'MOOC-DS', 'MOOC-DS-91707', '2025-05-11', ['证书扫描件 Certificate scan', '成绩单 Score report']],
  ['learner18', 'HCIA-DATACOM', 'HCIA-2025-11873', '2025-03-30', ['证书扫描件 Certificate scan']],
  ['learner19', 'RK-SE-M', 'RK2024-SE-027730', '2024-05-26', ['证书扫描件 Certificate scan']],
  ['learner20', '1X-WEB-M', '1X-WEB-M-2025-0992', '2025-06-20', ['证书扫描件 Certificate scan']],
  ['learner21', 'MOOC-DS', 'MOOC-DS-93388', '2025-07-06', ['证书扫描件 Certificate scan', '成绩单 Score report']],
  ['learner22', 'ENT-SAFETY-40', null, '2025-09-12', ['培训证明 Training record', '考核成绩 Assessment result']],
  ['learner14', 'HCIA-DATACOM', 'HCIA-2025-13020', '2025-08-09', ['证书扫描件 Certificate scan']],
  ['learner16', '1X-WEB-M', '1X-WEB-M-2025-1204', '2025-12-19', ['证书扫描件 Certificate scan']],
  ['learner18', 'ELEC-L3', 'S000044010203251029', '2025-10-29', ['证书扫描件 Certificate scan']],
  ['learner20', 'ENT-SAFETY-40', null, '2026-01-16', ['培训证明 Training record', '考核成绩 Assessment result']],
  ['learner22', 'HCIA-DATACOM', 'HCIA-2026-00318', '2026-02-14', ['证书扫描件 Certificate scan']],
];

/** Why reviewers refused, most common first. */
const REFUSALS = [
  '证书编号无法在发证机构核验 The certificate number cannot be verified with the issuer',
  '证书编号无法在发证机构核验 The certificate number cannot be verified with the issuer',
  '证书已超过标准规定的有效期 The certificate is older than the standard allows',
  '扫描件不清晰，无法辨认姓名 The scan is illegible: the name cannot be read',
];

/** JNVC graduates continuing at HXU (专升本), and the JNVC courses they ask HXU to recognise. */
const TOP_UP = ['learner14', 'learner16', 'learner18', 'learner20', 'learner22'];
const TOP_UP_COURSES = new Set(['JN-SW101', 'JN-SW102', 'JN-SW202', 'JN-SW203', 'JN-SW201', 'JN-SW212', 'JN-SW111']);

export async function seedHistory(db: Db, o: { today: string; hxuId: string; rand: () => number }) {
  const end = new Date(`${o.today}T10:00:00+08:00`).getTime();
  // spread the cases over the past year, oldest first; each decided 1–25 days later (a few slower)
  const when = (i: number, n: number) => {
    const submitted = end - (350 - Math.floor((i * 330) / n)) * DAY + Math.floor(o.rand() * 8) * 3_600_000;
    const wait = o.rand() < 0.15 ? 30 + o.rand() * 20 : 1 + o.rand() * 24;
    return { submitted: new Date(submitted), decided: new Date(Math.min(submitted + wait * DAY, end - DAY)) };
  };
  const reviewers = { HXU: await principalOfUser(db, 'reviewer.hxu'), JNVC: await principalOfUser(db, 'reviewer.jnvc') };
  let certified = 0;
  for (const [i, [username, standardCode, certificateNo, issuedOn, evidence]] of CERTIFICATES.entries()) {
    const learner = await principalOfUser(db, username);
    const a = await createApplication(db, learner, { standardCode, certificateNo: certificateNo ?? undefined, issuedOn, statement: '' });
    for (const label of evidence)
      await attachEvidence(db, learner, a.id, {
        filename: 'evidence.pdf',
        label,
        content: demoPdf(['Credit bank demo evidence', username, `${standardCode} ${label}`]),
      });
    await act(db, learner, a.id, 'submit', {});
    const reviewer = ['RK-SE-M', 'MOOC-DS'].includes(standardCode) ? reviewers.HXU : reviewers.JNVC;
    const refuse = o.rand() < 0.3;
    if (refuse) await act(db, reviewer, a.id, 'reject', { reason: REFUSALS[Math.floor(o.rand() * REFUSALS.length)]! });
    else await act(db, reviewer, a.id, 'approve', { reason: '证书核验无误 Verified with the issuer' });
    const t = when(i, CERTIFICATES.length);
    await backdateCertification(db, a.id, t.submitted, t.decided);
    certified++;
  }

  const registrar = await principalOfUser(db, 'registrar.hxu');
  let lines = 0;
  for (const [i, username] of TOP_UP.entries()) {
    const learner = await principalOfUser(db, username);
    const results = (await outcomesOf(db, ownLearnerId(learner))).filter((r) => r.status === 'recorded' && r.passed && TOP_UP_COURSES.has(r.courseCode));
    if (results.length === 0) continue;
    const t = await applyForTransfer(db, learner, { targetInstitutionId: o.hxuId, outcomeIds: results.map((r) => r.id) });
    const decision = await decideTransfer(db, registrar, t.id, {
      lines: t.lines.map((l) =>
        l.proposal.status === 'match'
          ? { lineNo: l.lineNo, decision: 'accept' as const }
          : { lineNo: l.lineNo, decision: 'reject' as const, reason: '无对应课程且未达到最低成绩 No matching HXU course at the grade required' },
      ),
    });
    lines += decision.lines.length;
    const at = when(i * 3 + 4, TOP_UP.length * 3 + 4);
    await backdateTransfer(db, t.id, at.submitted, at.decided);
  }
  return { certified, lines };
}
