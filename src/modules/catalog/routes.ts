import { z } from 'zod';
import { invalid } from '../../errors.js';
import { PUBLIC } from '../../http/guards.js';
import type { App, Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import { course, coursePatch, listQuery, newCourse, newProgramme, programme } from './schema.js';
import * as service from './service.js';

/** Parses If-Match: "v3" (or W/"v3") → 3. */
function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"v(\d+)"$/.exec(header.trim());
  if (!m) throw invalid('headers.if-match', 'must be an ETag this server returned, e.g. "v3"');
  return Number(m[1]);
}

export async function catalogRoutes(app: App, { database: { db } }: Deps) {
  app.get(
    '/api/v1/institutions/:id/courses',
    {
      schema: {
        security: PUBLIC,
        tags: ['catalogue'],
        summary: "An institution's courses (public); q searches code and titles",
        params: idParams,
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(course), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => service.listCourses(db, req.params.id, req.query),
  );

  app.post(
    '/api/v1/institutions/:id/courses',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Add a course',
        params: idParams,
        body: newCourse,
        response: { 201: course },
      },
    },
    async (req, reply) => reply.code(201).send((await service.createCourses(db, req.principal, req.params.id, [req.body]))[0]!),
  );

  app.post(
    '/api/v1/institutions/:id/courses/batch',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Add several courses at once: all or none',
        params: idParams,
        body: z.object({ courses: z.array(newCourse).min(1).max(500) }),
        response: { 201: z.object({ items: z.array(course) }) },
      },
    },
    async (req, reply) => reply.code(201).send({ items: await service.createCourses(db, req.principal, req.params.id, req.body.courses) }),
  );

  app.get(
    '/api/v1/courses/:id',
    {
      schema: { security: PUBLIC, tags: ['catalogue'], summary: 'One course (public); ETag carries its version', params: idParams, response: { 200: course } },
    },
    async (req, reply) => {
      const c = await service.getCourse(db, req.params.id);
      reply.header('etag', `"v${c.version}"`);
      return c;
    },
  );

  app.patch(
    '/api/v1/courses/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Edit a course; send If-Match with the ETag you read to avoid overwriting another edit',
        params: idParams,
        body: coursePatch,
        response: { 200: course },
      },
    },
    async (req, reply) => {
      const c = await service.updateCourse(db, req.principal, req.params.id, req.body, ifMatchVersion(req.headers['if-match']));
      reply.header('etag', `"v${c.version}"`);
      return c;
    },
  );

  app.get(
    '/api/v1/institutions/:id/programmes',
    {
      schema: {
        security: PUBLIC,
        tags: ['catalogue'],
        summary: "An institution's programmes (public)",
        params: idParams,
        response: { 200: z.object({ items: z.array(programme) }) },
      },
    },
    async (req) => ({ items: await service.listProgrammes(db, req.params.id) }),
  );

  app.post(
    '/api/v1/institutions/:id/programmes',
    { schema: { tags: ['catalogue'], summary: 'Add a programme', params: idParams, body: newProgramme, response: { 201: programme } } },
    async (req, reply) => reply.code(201).send(await service.createProgramme(db, req.principal, req.params.id, req.body)),
  );
}
