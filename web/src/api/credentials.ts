// Shapes and calls of verifiable credentials (issue 7; the web contract in src/modules/credentials):
// the learner's signed credentials and share links, the public verification, the registrar's
// status changes and the institution's issuer keys.
import type { Res } from './client';
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

export type Share = Res<'/credentials/{id}'>['shares'][number];

export type StatusEvent = Res<'/credentials/{id}'>['events'][number];

export type Credential = Res<'/credentials/{id}'>;

export type VerificationProblem = Res<'/shares/{id}'>['verification']['errors'][number];

export type Verification = Res<'/shares/{id}'>['verification'];

export type SharedCredential = Res<'/shares/{id}'>;

export type IssuerKey = Res<'/institutions/{id}/issuer'>['keys'][number];

export type IssuerView = Res<'/institutions/{id}/issuer'>;

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
