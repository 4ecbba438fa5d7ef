import { z } from 'zod';
import type { App, Deps } from '../../http/types.js';
import { listQuery } from '../catalog/schema.js';
import { idParams, isoDate } from '../institutions/schema.js';
import { enrolledLearner, newLearner } from './schema.js';
import * as service from './service.js';

export async function learnerRoutes(app: App, { database: { db }, config }: Deps) {
  app.get(
    '/api/v1/institutions/:id/learners',
    {
      schema: {
        tags: ['learners'],
        summary: 'Learners enrolled at the institution (its registrars and reviewers)',
        params: idParams,
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(enrolledLearner), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => service.listLearners(db, req.principal, req.params.id, req.query),
  );

  app.post(
    '/api/v1/institutions/:id/learners',
    {
      schema: {
        tags: ['learners'],
        summary: 'Enrol a learner and open their lifelong learning account (honours Idempotency-Key)',
        params: idParams,
        body: newLearner,
        response: { 201: enrolledLearner },
      },
    },
    async (req, reply) => reply.code(201).send(await service.createLearner(db, req.principal, req.params.id, req.body, { identityLookupsPerHour: config.identityLookupsPerHour })),
  );

  app.post(
    '/api/v1/institutions/:id/enrolments',
    {
      schema: {
        tags: ['learners'],
        summary: 'Enrol an existing learner here too (exchange, further study) under this institution\'s student number (administrators)',
        params: idParams,
        body: z.object({ learnerId: z.uuid(), externalId: newLearner.shape.externalId, enrolledOn: isoDate.nullable().optional(), programmeId: z.uuid().nullable().optional().describe('the programme studied there, if any') }),
        response: { 201: z.object({ learnerId: z.uuid(), institutionId: z.uuid(), externalId: z.string(), enrolledOn: z.string().nullable() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await service.enrolLearner(db, req.principal, req.params.id, req.body)),
  );
}
