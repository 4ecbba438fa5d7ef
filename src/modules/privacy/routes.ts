import { z } from 'zod';
import type { App, Deps } from '../../http/types.js';
import { documentLoader } from '../credentials/loader.js';
import { trustOf } from '../credentials/trust.js';
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

const erasureStatus = z.enum(['open', 'approved', 'declined', 'withdrawn']);
const erasureRequest = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  reason: z.string().nullable(),
  status: erasureStatus,
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable().describe("the administrator's reason for a decline"),
});

export async function privacyRoutes(app: App, { database: { db }, config }: Deps) {
  const trust = trustOf(config);
  const vc = { db, trust, loader: documentLoader(db, trust) };

  app.get(
    '/api/v1/me/personal-data',
    {
      schema: {
        tags: ['learners'],
        summary:
          'Everything the bank holds about you, as one JSON file (learners): your record, results, balances, ledger, credentials, requests, notifications, and who of the staff read your record',
        response: { 200: z.looseObject({ exportedAt: z.string(), learnerId: z.uuid() }) },
      },
    },
    async (req, reply) => {
      const data = await service.myPersonalData(vc, req.principal, req.headers['accept-language']);
      return reply.header('content-disposition', `attachment; filename="personal-data-${data.learnerId}.json"`).send(data);
    },
  );

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

  app.post(
    '/api/v1/me/erasure-requests',
    {
      schema: {
        tags: ['learners'],
        summary:
          'Ask the bank to erase your personal data (learners). One open request at a time (409 otherwise); an administrator approves it (the erasure runs and your sign-in ends) or declines it with a reason',
        body: z.object({ reason: z.string().trim().max(2000).nullable().optional() }),
        response: { 201: erasureRequest },
      },
    },
    async (req, reply) => reply.code(201).send(await service.requestErasure(db, req.principal, req.body)),
  );

  app.get(
    '/api/v1/me/erasure-requests',
    { schema: { tags: ['learners'], summary: 'Your erasure requests and their decisions', response: { 200: z.object({ items: z.array(erasureRequest) }) } } },
    async (req) => ({ items: await service.myErasureRequests(db, req.principal) }),
  );

  app.post(
    '/api/v1/me/erasure-requests/:id/withdraw',
    {
      schema: { tags: ['learners'], summary: 'Withdraw your open erasure request', params: z.object({ id: z.uuid() }), response: { 200: erasureRequest } },
    },
    async (req) => service.withdrawErasure(db, req.principal, req.params.id),
  );

  app.get(
    '/api/v1/erasure-requests',
    {
      schema: {
        tags: ['learners'],
        summary: "Learners' erasure requests, with the learner's name and account number (administrators)",
        querystring: z.object({ status: erasureStatus.optional() }),
        response: { 200: z.object({ items: z.array(erasureRequest.extend({ learnerName: z.string(), accountNo: z.string().nullable() })) }) },
      },
    },
    async (req) => ({ items: await service.listErasureRequests(db, req.principal, req.query.status) }),
  );

  app.post(
    '/api/v1/erasure-requests/:id/decide',
    {
      schema: {
        tags: ['learners'],
        summary:
          "Decide a learner's erasure request (administrators): approve runs the erasure in the same transaction (as POST /learners/{id}/erase); decline needs a reason, which the learner sees",
        params: z.object({ id: z.uuid() }),
        body: z.object({ decision: z.enum(['approve', 'decline']), note: z.string().trim().max(2000).nullable().optional().describe('required to decline') }),
        response: { 200: erasureRequest },
      },
    },
    async (req) => service.decideErasure(db, req.principal, req.params.id, req.body),
  );
}
