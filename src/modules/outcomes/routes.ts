import type { App, Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import { correction, newCourseResult, outcome, revocation } from './schema.js';
import * as service from './service.js';

export async function outcomeRoutes(app: App, { database: { db } }: Deps) {
  app.post(
    '/api/v1/institutions/:id/outcomes',
    {
      schema: {
        tags: ['outcomes'],
        summary: 'Record a course result; a pass deposits its credits (registrars, API tokens; honours Idempotency-Key)',
        params: idParams,
        body: newCourseResult,
        response: { 201: outcome },
      },
    },
    async (req, reply) => reply.code(201).send(await service.recordCourseResult(db, req.principal, req.params.id, req.body)),
  );

  app.post(
    '/api/v1/outcomes/:id/correct',
    {
      schema: {
        tags: ['outcomes'],
        summary: 'Correct a grade: supersedes the record and reverses its credits, then records anew',
        params: idParams,
        body: correction,
        response: { 201: outcome },
      },
    },
    async (req, reply) => reply.code(201).send(await service.correctOutcome(db, req.principal, req.params.id, req.body)),
  );

  app.post(
    '/api/v1/outcomes/:id/revoke',
    {
      schema: {
        tags: ['outcomes'],
        summary: 'Revoke a record entered in error; its credits are reversed',
        params: idParams,
        body: revocation,
        response: { 200: outcome },
      },
    },
    async (req) => service.revokeOutcome(db, req.principal, req.params.id, req.body),
  );
}
