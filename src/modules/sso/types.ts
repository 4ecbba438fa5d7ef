// What the three protocols have in common: an identity with a subject and attributes, and the
// reasons a sign-in is refused (each a stable code the login page shows in the user's language).
export interface ExternalIdentity {
  /** The protocol's own subject: CAS user, OIDC sub, SAML NameID. */
  subject: string;
  /** Every attribute, each as a list of strings. */
  attributes: Record<string, string[]>;
}

export type SsoRefusal =
  'unknown_provider' | 'bad_state' | 'bad_ticket' | 'bad_token' | 'bad_assertion' | 'not_linked' | 'no_enrolment' | 'no_role' | 'identity_taken' | 'disabled';

export class SsoError extends Error {
  /** Where a refused link (a signed-in user's) goes back to, instead of the login page. */
  returnTo?: string;
  constructor(
    readonly code: SsoRefusal,
    message: string,
  ) {
    super(message);
  }
}

export function addAttribute(attrs: Record<string, string[]>, name: string, value: unknown) {
  if (value === undefined || value === null) return;
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (v === undefined || v === null) continue;
    const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
    (attrs[name] ??= []).push(text);
  }
}
