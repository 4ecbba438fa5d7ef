import { z } from 'zod';
import { PUBLIC } from '../../http/guards.js';
import type { App, Deps } from '../../http/types.js';
import { gradingScale, idParams, institution, institutionPatch, newInstitution, newScale } from './schema.js';
import * as service from './service.js';

export async function institutionRoutes(app: App, { database: { db } }: Deps) {
  app.get(
    '/api/v1/institutions',
    {
      schema: {
        security: PUBLIC,
        tags: ['institutions'],
        summary: 'Institutions of the alliance (public)',
        response: { 200: z.object({ items: z.array(institution) }) },
      },
    },
    async () => ({ items: await service.listInstitutions(db) }),
  );

  app.get(
    '/api/v1/institutions/:id',
    { schema: { security: PUBLIC, tags: ['institutions'], summary: 'One institution (public)', params: idParams, response: { 200: institution } } },
    async (req) => service.getInstitution(db, req.params.id),
  );

  app.post(
    '/api/v1/institutions',
    { schema: { tags: ['institutions'], summary: 'Admit an institution (administrators)', body: newInstitution, response: { 201: institution } } },
    async (req, reply) => reply.code(201).send(await service.createInstitution(db, req.principal, req.body)),
  );

  app.patch(
    '/api/v1/institutions/:id',
    {
      schema: {
        tags: ['institutions'],
        summary: "Edit an institution's details (its registrars, administrators)",
        params: idParams,
        body: institutionPatch,
        response: { 200: institution },
      },
    },
    async (req) => service.updateInstitution(db, req.principal, req.params.id, req.body),
  );

  app.post(
    '/api/v1/institutions/:id/grading-scales',
    { schema: { tags: ['institutions'], summary: 'Publish a grading scale', params: idParams, body: newScale, response: { 201: gradingScale } } },
    async (req, reply) => reply.code(201).send(await service.addScale(db, req.principal, req.params.id, req.body)),
  );
}
