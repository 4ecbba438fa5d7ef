// Shares without the learner's name in clear: the Open Badges 3.0 IdentityObject in its hashed form,
// `identityHash` = "sha256$" + hex(sha256(value + salt)), `hashed: true`, with the `salt` beside it.
// A signed credential cannot be edited, so the hashed form is a variant signed for one share link:
// the same claims and the same credentialStatus entries (revoking the original revokes it), a new
// id, and a fresh salt for each identifier of each variant, so two links cannot be matched by hash.
// Pure: the caller signs what `hashedVariantBody` returns.
import crypto from 'node:crypto';

/** The kinds whose subject is the learner's IdentityObjects only (a transcript carries signed credentials inside, naming them in clear). */
export const HIDEABLE_KINDS = ['award', 'outcome', 'certification', 'transfer'] as const;

/** OB 3.0 IdentityHash of `value` with `salt`. */
export const identityHash = (value: string, salt: string) =>
  `sha256$${crypto
    .createHash('sha256')
    .update(value + salt, 'utf8')
    .digest('hex')}`;

interface IdentityObject {
  type: string;
  identityHash: string;
  identityType: string;
  hashed: boolean;
  salt?: string;
}

const isIdentity = (v: unknown): v is IdentityObject =>
  typeof v === 'object' && v !== null && typeof (v as IdentityObject).identityHash === 'string' && typeof (v as IdentityObject).identityType === 'string';

/** Each clear IdentityObject hashed with its own fresh salt; already hashed ones kept. */
export function hashIdentifiers(identifiers: unknown[], salt: () => string = () => crypto.randomBytes(16).toString('hex')): IdentityObject[] {
  return identifiers.filter(isIdentity).map((i) => {
    if (i.hashed) return i;
    const s = salt();
    return { type: 'IdentityObject', identityHash: identityHash(i.identityHash, s), identityType: i.identityType, hashed: true, salt: s };
  });
}

/**
 * What is signed for a hashed share: the issued document without its proof, with a new id and the
 * subject's identifiers hashed. Everything else (issuer, validFrom, claims, credentialStatus) is the original's.
 */
export function hashedVariantBody(document: Record<string, unknown>, id: string): Record<string, unknown> {
  const { proof: _proof, ...body } = document;
  const subject = (body.credentialSubject ?? {}) as Record<string, unknown>;
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier : subject.identifier ? [subject.identifier] : [];
  return { ...body, id, credentialSubject: { ...subject, identifier: hashIdentifiers(identifiers) } };
}
