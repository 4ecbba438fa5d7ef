import { z } from 'zod';
import { CRYPTOSUITES } from './service.js';
import { VERDICTS } from './verify.js';

export const reasonBody = z.object({ reason: z.string().trim().min(3, 'say why, in a few words').max(500) });
export const cryptosuite = z.enum(CRYPTOSUITES).default('eddsa-rdfc-2022');
const json = z.record(z.string(), z.unknown());

export const issueBody = z.object({
  credential: json.refine((c) => Array.isArray(c['@context']), { message: 'a credential needs an @context array', path: ['@context'] }),
  options: z
    .object({
      cryptosuite,
      institutionId: z.uuid().optional(),
      credentialStatus: z
        .object({ type: z.literal('BitstringStatusListEntry') })
        .optional()
        .describe('ask for the bank’s status list entries (a VC 2.0 credential without credentialStatus gets them anyway)'),
    })
    .default({ cryptosuite: 'eddsa-rdfc-2022' }),
});
export const verifyBody = z.object({ verifiableCredential: z.unknown(), options: z.object({}).passthrough().optional() });
export const presentationBody = z.object({
  verifiablePresentation: z.unknown(),
  options: z.object({ challenge: z.string().optional(), domain: z.string().optional() }).passthrough().default({}),
});
export const newLearnerCredential = z.object({
  kind: z.enum(['award', 'outcome', 'certification', 'transfer', 'transcript']),
  id: z.uuid().describe('the award, course result, certification, transfer application or (for a transcript) institution'),
  line: z.int().min(1).optional().describe('for a transfer: the line of the application'),
  cryptosuite,
});
export const newShare = z.object({
  days: z.int().min(1).max(365).default(30),
  hideName: z
    .boolean()
    .default(false)
    .describe('Serve a variant signed for this link that identifies the learner only by salted hashes (OB 3.0 hashed IdentityObject)'),
});

const problem = z.object({ code: z.string(), message: z.string() });
export const verificationView = z.object({
  verified: z.boolean(),
  status: z.enum(VERDICTS),
  checks: z.array(z.string()),
  warnings: z.array(problem),
  errors: z.array(problem),
  credentialId: z.string().nullable(),
  issuer: z.object({ id: z.string().nullable(), name: z.string().nullable(), ofThisBank: z.boolean() }),
  holder: z.array(z.string()),
  achievement: z
    .object({
      name: z.string().nullable(),
      type: z.string().nullable(),
      code: z.string().nullable(),
      field: z.string().nullable(),
      creditsEarned: z.number().nullable(),
      creditsAvailable: z.number().nullable(),
      result: z.string().nullable(),
      term: z.string().nullable(),
    })
    .nullable(),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  cryptosuite: z.string().nullable(),
  statusChange: z.object({ status: z.string(), reason: z.string(), at: z.string() }).nullable(),
  included: z.array(z.object({ name: z.string().nullable(), status: z.enum(VERDICTS) })).nullable(),
});

export const shareView = z.object({
  id: z.string(),
  url: z.string(),
  hideName: z.boolean(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const credentialView = z.object({
  id: z.uuid(),
  kind: z.enum(['award', 'outcome', 'certification', 'transfer', 'transcript', 'external']),
  subjectId: z.string().nullable(),
  name: z.string(),
  creditsEarned: z.number().nullable(),
  institution: z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() }),
  learnerId: z.string().nullable(),
  cryptosuite: z.enum(CRYPTOSUITES),
  status: z.enum(['active', 'suspended', 'revoked']),
  statusReason: z.string().nullable(),
  issuedAt: z.string(),
  events: z.array(z.object({ status: z.string(), reason: z.string(), at: z.string() })),
  document: json,
  shares: z.array(shareView),
});
export const issuerView = z.object({
  did: z.string(),
  didDocumentUrl: z.string(),
  keys: z.array(z.object({ id: z.string(), didKey: z.string(), createdAt: z.string(), retiredAt: z.string().nullable(), retireReason: z.string().nullable() })),
});
export const proofView = z.object({
  index: z.int(),
  size: z.int(),
  payload: z.string(),
  leafHash: z.string(),
  proof: z.array(z.string()),
  checkpoint: z.string(),
});
export const sharedView = z.object({
  credential: json,
  verification: verificationView,
  expiresAt: z.string(),
  hideName: z.boolean(),
  log: proofView.nullable(),
});
