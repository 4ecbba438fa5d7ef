import { z } from 'zod';
import type { App, Deps } from '../../http/types.js';
import * as service from './service.js';

const subject = z.enum(['fullName', 'fullNameLatin', 'birthDate', 'email', 'idDocument', 'result', 'other']);
const correction = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  institutionId: z.uuid(),
  subject,
  requested: z.string(),
  reason: z.string().nullable(),
  status: z.enum(['open', 'accepted', 'rejected']),
  note: z.string().nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
});

export async function privacyRoutes(app: App, { database: { db } }: Deps) {
  app.post(
    '/api/v1/me/corrections',
    {
      schema: {
        tags: ['learners'],
        summary: 'Ask an institution where you are enrolled to correct your personal data or a record (learners)',
        body: z.object({
          institutionId: z.uuid(),
          subject,
          requested: z.string().trim().min(1).max(1000).describe('what it should be'),
          reason: z.string().trim().max(2000).nullable().optional(),
        }),
        response: { 201: correction },
      },
    },
    async (req, reply) => reply.code(201).send(await service.requestCorrection(db, req.principal, req.body)),
  );

  app.get(
    '/api/v1/me/corrections',
    { schema: { tags: ['learners'], summary: 'Your correction requests and their answers', response: { 200: z.object({ items: z.array(correction) }) } } },
    async (req) => ({ items: await service.myCorrections(db, req.principal) }),
  );

  app.get(
    '/api/v1/institutions/:id/corrections',
    {
      schema: {
        tags: ['learners'],
        summary: "Learners' correction requests to the institution (its registrars)",
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ status: z.enum(['open', 'accepted', 'rejected']).optional() }),
        response: { 200: z.object({ items: z.array(correction) }) },
      },
    },
    async (req) => ({ items: await service.institutionCorrections(db, req.principal, req.params.id, req.query.status) }),
  );

  app.post(
    '/api/v1/corrections/:id/answer',
    {
      schema: {
        tags: ['learners'],
        summary: 'Accept or reject a correction request with a note (registrars of the institution); the answer is in the audit trail',
        params: z.object({ id: z.uuid() }),
        body: z.object({ decision: z.enum(['accept', 'reject']), note: z.string().trim().min(1).max(2000) }),
        response: { 200: correction },
      },
    },
    async (req) => service.answerCorrection(db, req.principal, req.params.id, req.body),
  );

  app.post(
    '/api/v1/learners/:id/erase',
    {
      schema: {
        tags: ['learners'],
        summary:
          "Erase a learner's personal data (administrators): the name becomes a pseudonym, birth date, e-mail and identity document are removed, the sign-in is closed; the ledger, credentials and the transparency log stay verifiable",
        params: z.object({ id: z.uuid() }),
        body: z.object({ reason: z.string().trim().min(1).max(500).describe('why: the learner’s request, its date and reference') }),
        response: { 200: z.object({ learnerId: z.uuid(), erasedAt: z.string(), pseudonym: z.string() }) },
      },
    },
    async (req) => service.eraseLearner(db, req.principal, req.params.id, req.body.reason),
  );
}
