import { z } from 'zod';
import { ID_TYPES, normalizeName } from '../../core/identity.js';
import { isoDate } from '../institutions/schema.js';

export const newLearner = z.object({
  fullName: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .transform(normalizeName)
    .describe('spaces inside a Chinese name are removed and the middle dot of minority and foreign names is written ·'),
  fullNameLatin: z.string().trim().min(1).max(100).transform(normalizeName).nullable().optional(),
  birthDate: isoDate.nullable().optional(),
  email: z.email().nullable().optional(),
  idType: z.enum(ID_TYPES).nullable().optional().describe('the identity document, with idNumber: how one person is recognised across institutions'),
  idNumber: z
    .string()
    .max(60)
    .nullable()
    .optional()
    .describe(
      'checked for its type and stored in its canonical form: an old 15-digit resident ID as its 18 characters, a Home Return Permit without its 2-digit issue count',
    ),
  idCountry: z.string().max(60).nullable().optional().describe('required for a passport: the issuing country, ISO 3166-1 alpha-3 (CHN, USA)'),
  idTypeName: z.string().max(60).nullable().optional().describe('required when idType is other: what the document is (e.g. 军官证)'),
  externalId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,40}$/, "the institution's student number: letters, digits and . _ -"),
  enrolledOn: isoDate.nullable().optional(),
  programmeId: z.uuid().nullable().optional(),
  login: z
    .object({
      username: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9._@-]{3,60}$/, 'letters, digits and . _ @ -, 3–60 characters'),
      password: z.string().min(10, 'at least 10 characters').max(200),
    })
    .optional()
    .describe('creates a sign-in for the learner'),
});

export const enrolledLearner = z.object({
  id: z.uuid(),
  accountNo: z.string(),
  fullName: z.string(),
  fullNameLatin: z.string().nullable(),
  externalId: z.string(),
  enrolledOn: z.string().nullable(),
});

/** A row of the institution's list of learners: whether the learner can sign in (or is to be invited). */
export const listedLearner = enrolledLearner.extend({ hasSignIn: z.boolean() });

export const heldEnrolment = z.object({
  outcome: z.literal('held'),
  requestId: z.uuid(),
  externalId: z.string(),
  fullName: z.string(),
  enrolledOn: z.string().nullable(),
});

export const conflictStatus = z.enum(['open', 'same_person', 'different', 'declined']);

export const heldByInstitution = z.object({
  id: z.uuid(),
  externalId: z.string(),
  fullName: z.string().nullable(),
  status: conflictStatus,
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});

export const enrolmentRequest = z.object({
  id: z.uuid(),
  institution: z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() }),
  externalId: z.string(),
  fullName: z.string().nullable(),
  enrolledOn: z.string().nullable(),
  createdAt: z.string(),
});
