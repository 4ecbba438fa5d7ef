// What the learner can ask a credential for, worked out from their records and the credentials they
// hold: which records have a live credential, which one the issuer stopped (the bank then issues no
// new one until the registrar has looked at it), and the institutions a transcript can come from.
import type { Credential } from '../../api/credentials';
import type { CreditUnit, Outcome } from '../../api/types';

/** The record has a credential that still counts: active, or suspended (it may be reinstated). */
export function hasLiveCredential(items: Credential[], subjectId: string): boolean {
  return items.some((c) => c.subjectId === subjectId && c.kind !== 'transcript' && c.status !== 'revoked');
}

/**
 * The record's credential the issuer revoked or suspended, the revoked one first, the latest change
 * first: while there is one, the bank refuses a new credential for the record.
 */
export function stoppedCredentialOf(items: Credential[], subjectId: string): Credential | null {
  const stopped = items.filter((c) => c.subjectId === subjectId && c.kind !== 'transcript' && c.status !== 'active');
  const changedAt = (c: Credential) => c.events.at(-1)?.at ?? c.issuedAt;
  stopped.sort((a, b) => Number(b.status === 'revoked') - Number(a.status === 'revoked') || changedAt(b).localeCompare(changedAt(a)));
  return stopped[0] ?? null;
}

/** When the issuer last changed the credential's status (its revocation or suspension). */
export function stoppedAt(c: Credential): string | null {
  return c.status === 'active' ? null : (c.events.at(-1)?.at ?? null);
}

/** How many results a transcript holds: the credentials in a CLR 2.0 subject's verifiableCredential, or a Europass (ELM) subject's claims. */
export function transcriptSize(document: Record<string, unknown>): number {
  const subject = document.credentialSubject as { verifiableCredential?: unknown; hasClaim?: unknown } | undefined;
  if (Array.isArray(subject?.hasClaim)) return subject.hasClaim.length;
  return Array.isArray(subject?.verifiableCredential) ? subject.verifiableCredential.length : 0;
}

export interface TranscriptSource {
  institution: { id: string; code: string; nameZh: string; nameEn: string };
  /** The recorded passing results that go on the transcript. */
  results: number;
  /** Their credits, one sum per unit. */
  credits: { unit: CreditUnit; amount: number }[];
  /** The latest transcript the learner got from the institution, if any. */
  lastIssuedAt: string | null;
  /** A result's credential that the issuer revoked or suspended: no transcript is issued until its registrar has looked at it. */
  blockedBy: Credential | null;
}

/**
 * The institutions the learner can get a transcript from: each where they have recorded passing
 * results, the one they finished at most recently first.
 */
export function transcriptSources(outcomes: Outcome[], items: Credential[]): TranscriptSource[] {
  const by = new Map<string, { latest: string; source: TranscriptSource }>();
  for (const o of outcomes) {
    if (o.status !== 'recorded' || !o.passed) continue;
    let entry = by.get(o.institutionId);
    if (!entry) {
      const transcripts = items.filter((c) => c.kind === 'transcript' && c.subjectId === o.institutionId).map((c) => c.issuedAt);
      entry = {
        latest: o.completedOn,
        source: {
          institution: { id: o.institutionId, code: o.institutionCode, nameZh: o.institutionNameZh, nameEn: o.institutionNameEn },
          results: 0,
          credits: [],
          lastIssuedAt: transcripts.sort().at(-1) ?? null,
          blockedBy: null,
        },
      };
      by.set(o.institutionId, entry);
    }
    const s = entry.source;
    s.results += 1;
    if (o.completedOn > entry.latest) entry.latest = o.completedOn;
    const sum = s.credits.find((c) => c.unit === o.unit);
    const amount = Number(o.credits) || 0;
    if (sum) sum.amount = Math.round((sum.amount + amount) * 100) / 100;
    else s.credits.push({ unit: o.unit, amount });
    s.blockedBy ??= stoppedCredentialOf(items, o.id);
  }
  return [...by.values()]
    .sort((a, b) => b.latest.localeCompare(a.latest) || a.source.institution.code.localeCompare(b.source.institution.code))
    .map((e) => e.source);
}
