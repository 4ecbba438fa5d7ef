import { z } from 'zod';
import type { App, Deps } from '../../http/types.js';
import { pageQuery } from '../accounts/schema.js';
import * as service from './service.js';

const event = z.object({
  id: z.number().int(),
  at: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  institutionId: z.uuid().nullable(),
  actorUserId: z.uuid().nullable(),
  actorTokenId: z.uuid().nullable(),
  actorName: z.string().nullable().describe('the full name of the user who acted'),
  actorTokenName: z.string().nullable().describe('the name of the API token that acted'),
  entityNameZh: z
    .string()
    .nullable()
    .describe('what the entity is called (a person, an institution, a course …), for people reading the log; null when it has no name'),
  entityNameEn: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export async function auditRoutes(app: App, { database: { db } }: Deps) {
  app.get(
    '/api/v1/audit-events',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first (administrators; registrars see their institution)',
        querystring: pageQuery.extend({ entityType: z.string().max(50).optional(), entityId: z.string().max(100).optional() }),
        response: { 200: z.object({ items: z.array(event), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => service.listAuditEvents(db, req.principal, req.query),
  );

  app.get(
    '/api/v1/learners/:id/reads',
    {
      schema: {
        tags: ['audit'],
        summary: "Who read a learner's full record (account, ledger, export), newest first (administrators)",
        params: z.object({ id: z.uuid() }),
        querystring: pageQuery,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                at: z.string(),
                actorUserId: z.uuid().nullable(),
                actorTokenId: z.uuid().nullable(),
                actorName: z.string().nullable(),
                part: z.string(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => service.listLearnerReads(db, req.principal, req.params.id, req.query),
  );
}
