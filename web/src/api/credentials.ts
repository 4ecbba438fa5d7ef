// Shapes and calls of verifiable credentials (issue 7; the web contract in src/modules/credentials):
// the learner's signed credentials and share links, the public verification, the registrar's
// status changes and the institution's issuer keys.
import i18n from '../i18n';
import { ApiError, apiUrl } from './client';
import type { Problem } from './types';

export type CredentialKind = 'award' | 'outcome' | 'certification' | 'transfer' | 'transcript' | 'external';
/** What a learner asks a credential for: a record, or (with an institution's id) a transcript. */
export type LearnerCredentialKind = Exclude<CredentialKind, 'external'>;
export type CredentialStatus = 'active' | 'suspended' | 'revoked';
export type Cryptosuite = 'eddsa-rdfc-2022' | 'eddsa-jcs-2022';
export type Verdict = 'valid' | 'revoked' | 'suspended' | 'expired' | 'not_yet_valid' | 'altered' | 'unknown_issuer' | 'malformed';

export const VERDICTS: Verdict[] = ['valid', 'revoked', 'suspended', 'expired', 'not_yet_valid', 'altered', 'unknown_issuer', 'malformed'];

export interface Share {
  id: string;
  /** The link under the configured public address; the UI shows it under its own origin. */
  url: string;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
}

export interface StatusEvent {
  status: string;
  reason: string;
  at: string;
}

export interface Credential {
  id: string;
  kind: CredentialKind;
  /** The award, course result or certification it states; for a transcript, the institution. */
  subjectId: string | null;
  name: string;
  creditsEarned: number | null;
  institution: { id: string; code: string; nameZh: string; nameEn: string };
  learnerId: string | null;
  cryptosuite: Cryptosuite;
  status: CredentialStatus;
  statusReason: string | null;
  issuedAt: string;
  events: StatusEvent[];
  /** The signed W3C VC as issued. */
  document: Record<string, unknown>;
  shares: Share[];
}

export interface VerificationProblem {
  code: string;
  message: string;
}

export interface Verification {
  verified: boolean;
  status: Verdict;
  checks: string[];
  warnings: VerificationProblem[];
  errors: VerificationProblem[];
  credentialId: string | null;
  issuer: { id: string | null; name: string | null; ofThisBank: boolean };
  holder: string[];
  achievement: {
    name: string | null;
    type: string | null;
    code: string | null;
    field: string | null;
    creditsEarned: number | null;
    creditsAvailable: number | null;
    result: string | null;
    term: string | null;
  } | null;
  validFrom: string | null;
  validUntil: string | null;
  cryptosuite: string | null;
  statusChange: StatusEvent | null;
  /** For a transcript (CLR 2.0): each credential inside it, verified in turn; null for any other credential. */
  included?: { name: string | null; status: Verdict }[] | null;
}

export interface SharedCredential {
  credential: Record<string, unknown>;
  verification: Verification;
  expiresAt: string;
  /** Where the credential's issuance sits in the transparency log (RFC 9162), when it is there. */
  log: { index: number; size: number; checkpoint: string; leafHash?: string; proof?: string[]; payload?: string } | null;
}

export interface IssuerKey {
  id: string;
  didKey: string;
  createdAt: string;
  retiredAt: string | null;
  retireReason: string | null;
}

export interface IssuerView {
  did: string;
  didDocumentUrl: string;
  keys: IssuerKey[];
}

export const MY_CREDENTIALS_KEY = ['credentials', 'mine'] as const;
export const institutionCredentialsKey = (institutionId: string) => ['credentials', 'institution', institutionId] as const;
export const issuerKey = (institutionId: string) => ['credentials', 'issuer', institutionId] as const;

/** The share link as this site serves it (the configured public address may differ in development). */
export function shareLink(shareId: string): string {
  return `${window.location.origin}/verify/${encodeURIComponent(shareId)}`;
}

/** The printable PDF of a credential, its QR code pointing to the given share link (the learner's session opens it). */
export function credentialPdfUrl(credentialId: string, shareId: string): string {
  return apiUrl(`/credentials/${encodeURIComponent(credentialId)}/pdf`, { share: shareId });
}

/** Whether a share link still opens: not withdrawn and not expired. */
export function isLiveShare(s: Share, now = Date.now()): boolean {
  return !s.revokedAt && new Date(s.expiresAt).getTime() > now;
}

/**
 * POST /credentials/verify. The server answers 200 when verified and 400 with the same report when
 * not; only a 400 in problem+json (or another status) is a failed request.
 */
export async function verifyCredential(verifiableCredential: unknown, signal?: AbortSignal): Promise<Verification> {
  let res: Response;
  try {
    res = await fetch(apiUrl('/credentials/verify'), {
      method: 'POST',
      headers: {
        Accept: 'application/json, application/problem+json',
        'Accept-Language': i18n.language === 'en' ? 'en' : 'zh-CN, zh;q=0.9, en;q=0.5',
        'Content-Type': 'application/json',
      },
      credentials: 'same-origin',
      body: JSON.stringify({ verifiableCredential }),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, null, err instanceof Error ? err.message : String(err));
  }
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? await res.json().catch(() => null) : null;
  if ((res.ok || res.status === 400) && !type.includes('problem+json') && body && typeof body === 'object' && 'status' in body) {
    return body as Verification;
  }
  throw new ApiError(res.status, body && typeof body === 'object' ? (body as Problem) : null, `${res.status} ${res.statusText}`);
}

/** A file name from a credential's name: characters file systems refuse become "_". */
export function jsonFileName(name: string): string {
  const base = [...name]
    .map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/_+/g, '_')
    .trim()
    .slice(0, 120);
  return `${base || 'credential'}.json`;
}

/** Saves a credential document as a pretty-printed JSON file. */
export function downloadJson(document: unknown, name: string): void {
  const blob = new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = window.document.createElement('a');
  a.href = url;
  a.download = jsonFileName(name);
  window.document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The holder's names and account number as the credential states them (OB 3.0 identifiers). */
export function holderOf(document: Record<string, unknown>): { names: string[]; accountNo: string | null } {
  const subject = document.credentialSubject as { identifier?: unknown } | undefined;
  const ids = Array.isArray(subject?.identifier) ? (subject.identifier as { identityType?: unknown; identityHash?: unknown; hashed?: unknown }[]) : [];
  const names = ids.filter((i) => i.identityType === 'name' && i.hashed !== true && typeof i.identityHash === 'string').map((i) => i.identityHash as string);
  const account = ids.find((i) => i.identityType === 'identifier' && i.hashed !== true && typeof i.identityHash === 'string');
  return { names, accountNo: (account?.identityHash as string | undefined) ?? null };
}
