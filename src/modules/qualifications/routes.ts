import { z } from 'zod';
import { PUBLIC } from '../../http/guards.js';
import type { App, Deps } from '../../http/types.js';
import { ownLearnerId } from '../accounts/service.js';
import { idParams } from '../institutions/schema.js';
import * as awards from './awards.js';
import {
  auditsQuery,
  auditsView,
  awardView,
  exceptionView,
  expectedStatement,
  newException,
  planView,
  programmeRef,
  programmeRequirementsView,
  reasonBody,
  requirementsDoc,
} from './schema.js';
import * as service from './service.js';
import { sendSheets } from '../imports/files.js';

const programmeQuery = z.object({ programme: z.uuid() });

export async function qualificationRoutes(app: App, { database: { db } }: Deps) {
  app.get(
    '/api/v1/programmes',
    {
      schema: {
        security: PUBLIC,
        tags: ['qualifications'],
        summary: 'Every programme with the catalogue years it has requirements for (public)',
        response: { 200: z.object({ items: z.array(programmeRef.extend({ catalogueYears: z.array(z.int()) })) }) },
      },
    },
    async () => ({ items: await service.listProgrammes(db) }),
  );
  app.get(
    '/api/v1/programmes/:id/requirements',
    {
      schema: {
        security: PUBLIC,
        tags: ['qualifications'],
        summary: 'A programme’s requirements for a catalogue year (default: this year’s) (public)',
        params: idParams,
        querystring: z.object({ year: z.coerce.number().int().min(1950).max(2100).optional() }),
        response: { 200: programmeRequirementsView },
      },
    },
    async (req) => service.getRequirements(db, req.params.id, req.query.year),
  );
  app.put(
    '/api/v1/programmes/:id/requirements/:year',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Publish the requirements for a catalogue year (the institution’s registrar); bad trees are refused with the path of the bad node',
        params: z.object({ id: z.uuid(), year: z.coerce.number().int().min(1950).max(2100) }),
        body: requirementsDoc,
        response: { 200: programmeRequirementsView },
      },
    },
    async (req) => service.putRequirements(db, req.principal, req.params.id, req.params.year, req.body),
  );

  app.get(
    '/api/v1/programmes/:id/cohort-audit.:format',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Every learner enrolled in the programme, audited, as a CSV or XLSX file (the institution’s registrars and reviewers)',
        params: idParams.extend({ format: z.enum(['csv', 'xlsx']) }),
      },
    },
    async (req, reply) => {
      const sheet = await service.cohortAudit(db, req.principal, req.params.id);
      return sendSheets(reply, req.params.format, sheet.name, [sheet]);
    },
  );
  app.get(
    '/api/v1/me/audits',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Degree audits of my account: my programmes, or any (what-if; several at once flags credits counted twice)',
        querystring: auditsQuery,
        response: { 200: auditsView },
      },
    },
    async (req) => service.auditLearner(db, req.principal, ownLearnerId(req.principal), req.query.programmes),
  );
  app.get(
    '/api/v1/learners/:id/audits',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Degree audits of a learner’s account (the learner’s institutions’ staff)',
        params: idParams,
        querystring: auditsQuery,
        response: { 200: auditsView },
      },
    },
    async (req) => service.auditLearner(db, req.principal, req.params.id, req.query.programmes),
  );
  app.get(
    '/api/v1/me/plan',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'What would meet each unmet requirement, and the earliest term it could all be done',
        querystring: programmeQuery,
        response: { 200: planView },
      },
    },
    async (req) => service.plan(db, req.principal, ownLearnerId(req.principal), req.query.programme),
  );
  app.get(
    '/api/v1/me/expected-graduation',
    {
      schema: {
        tags: ['qualifications'],
        summary: '"Expected to graduate" statement, from the programme’s threshold of credits',
        querystring: programmeQuery,
        response: { 200: expectedStatement },
      },
    },
    async (req) => service.expectedGraduation(db, req.principal, ownLearnerId(req.principal), req.query.programme),
  );

  app.post(
    '/api/v1/me/awards',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Apply for the award of a programme whose audit passes',
        body: z.object({ programmeId: z.uuid() }),
        response: { 201: awardView },
      },
    },
    async (req, reply) => reply.code(201).send(await awards.applyForAward(db, req.principal, req.body.programmeId)),
  );
  app.get(
    '/api/v1/me/awards',
    { schema: { tags: ['qualifications'], summary: 'My award applications and awards', response: { 200: z.object({ items: z.array(awardView) }) } } },
    async (req) => ({ items: await awards.myAwards(db, req.principal) }),
  );
  app.get(
    '/api/v1/institutions/:id/awards',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Award applications and awards of the institution’s programmes (its registrars)',
        params: idParams,
        querystring: z.object({ status: z.enum(['applied', 'approved', 'rejected', 'withdrawn', 'all']).default('applied') }),
        response: { 200: z.object({ items: z.array(awardView) }) },
      },
    },
    async (req) => ({ items: await awards.awardsAt(db, req.principal, req.params.id, req.query.status) }),
  );
  app.post(
    '/api/v1/awards/:id/approve',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Approve an award on a fresh audit; its credits become used in the ledger',
        params: idParams,
        response: { 200: awardView },
      },
    },
    async (req) => awards.approveAward(db, req.principal, req.params.id),
  );
  app.post(
    '/api/v1/awards/:id/reject',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Reject an award application, saying why',
        params: idParams,
        body: reasonBody,
        response: { 200: awardView },
      },
    },
    async (req) => awards.rejectAward(db, req.principal, req.params.id, req.body.reason),
  );
  app.post(
    '/api/v1/awards/:id/withdraw',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Withdraw an approved award; the credits it used are released',
        params: idParams,
        body: reasonBody,
        response: { 200: awardView },
      },
    },
    async (req) => awards.withdrawAward(db, req.principal, req.params.id, req.body.reason),
  );

  app.get(
    '/api/v1/learners/:id/audit-exceptions',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Waivers and substitutions granted to a learner',
        params: idParams,
        querystring: z.object({ programme: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(exceptionView) }) },
      },
    },
    async (req) => ({ items: await service.listExceptions(db, req.principal, req.params.id, req.query.programme) }),
  );
  app.post(
    '/api/v1/learners/:id/audit-exceptions',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Waive a requirement for a learner, or let one of their credits count as another course (the programme’s registrar)',
        params: idParams,
        body: newException,
        response: { 201: exceptionView },
      },
    },
    async (req, reply) => reply.code(201).send(await service.addException(db, req.principal, req.params.id, req.body)),
  );
  app.post(
    '/api/v1/audit-exceptions/:id/revoke',
    {
      schema: {
        tags: ['qualifications'],
        summary: 'Revoke a waiver or substitution, saying why',
        params: idParams,
        body: reasonBody,
        response: { 200: exceptionView },
      },
    },
    async (req) => service.revokeException(db, req.principal, req.params.id, req.body.reason),
  );
}
