import { z } from 'zod';
import type { App, Deps } from '../../http/types.js';
import { listQuery } from '../catalog/schema.js';
import { idParams, isoDate } from '../institutions/schema.js';
import * as requests from './enrolment-requests.js';
import { conflictStatus, enrolledLearner, enrolmentRequest, heldByInstitution, heldEnrolment, listedLearner, newLearner } from './schema.js';
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
        response: { 200: z.object({ items: z.array(listedLearner), nextCursor: z.string().nullable() }) },
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
        description:
          "An identity document on no one's record opens an account (201, outcome created). One held by a learner of another institution links them when the name and birth date match too (201, outcome linked, audited); otherwise the enrolment is held (202) until the learner confirms it in their account or an administrator decides, and nothing of the learner on record is revealed.",
        body: newLearner,
        response: { 201: enrolledLearner.extend({ outcome: z.enum(['created', 'linked']) }), 202: heldEnrolment },
      },
    },
    async (req, reply) => {
      const made = await service.enrolPerson(db, req.principal, req.params.id, req.body, { identityLookupsPerHour: config.identityLookupsPerHour });
      return made.outcome === 'held' ? reply.code(202).send(made) : reply.code(201).send(made);
    },
  );

  app.get(
    '/api/v1/institutions/:id/held-enrolments',
    {
      schema: {
        tags: ['learners'],
        summary: 'Enrolments this institution submitted that wait on the learner or an administrator, or were answered (its registrars)',
        params: idParams,
        response: { 200: z.object({ items: z.array(heldByInstitution) }) },
      },
    },
    async (req) => ({
      items: (await requests.heldEnrolmentsOf(db, req.principal, req.params.id)).map((h) => ({
        ...h,
        createdAt: h.createdAt.toISOString(),
        resolvedAt: h.resolvedAt?.toISOString() ?? null,
      })),
    }),
  );

  app.get(
    '/api/v1/me/enrolment-requests',
    {
      schema: {
        tags: ['learners'],
        summary: 'Institutions asking to enrol you, waiting on your answer (learners)',
        response: { 200: z.object({ items: z.array(enrolmentRequest) }) },
      },
    },
    async (req) => ({ items: (await requests.myEnrolmentRequests(db, req.principal)).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) }),
  );

  app.post(
    '/api/v1/me/enrolment-requests/:id',
    {
      schema: {
        tags: ['learners'],
        summary: "Accept an institution's request (it enrols you and sees what it records itself) or decline it (learners)",
        params: idParams,
        body: z.object({ decision: z.enum(['accept', 'decline']) }),
        response: { 200: z.object({ id: z.uuid(), status: conflictStatus }) },
      },
    },
    async (req) => {
      const c = await requests.answerEnrolmentRequest(db, req.principal, req.params.id, req.body.decision);
      return { id: c.id, status: c.status };
    },
  );
  const conflict = z.object({
    id: z.uuid(),
    institutionId: z.uuid(),
    existingLearnerId: z.uuid(),
    submitted: z.record(z.string(), z.unknown()),
    importJobId: z.uuid().nullable(),
    status: conflictStatus,
    note: z.string().nullable(),
    createdAt: z.string(),
  });
  const presentConflict = (c: Awaited<ReturnType<typeof requests.listConflicts>>[number]) => ({
    id: c.id,
    institutionId: c.institutionId,
    existingLearnerId: c.existingLearnerId,
    submitted: c.submitted,
    importJobId: c.importJobId,
    status: c.status,
    note: c.note,
    createdAt: c.createdAt.toISOString(),
  });

  app.get(
    '/api/v1/identity-conflicts',
    {
      schema: {
        tags: ['learners'],
        summary: 'Identity conflicts: the same ID number under another name or birth date (administrators)',
        querystring: z.object({ status: conflictStatus.default('open') }),
        response: { 200: z.object({ items: z.array(conflict) }) },
      },
    },
    async (req) => ({ items: (await requests.listConflicts(db, req.principal, req.query.status)).map(presentConflict) }),
  );

  app.post(
    '/api/v1/identity-conflicts/:id/resolve',
    {
      schema: {
        tags: ['learners'],
        summary: 'Decide a conflict: same person (enrol the existing learner) or different (close it)',
        params: idParams,
        body: z.object({ decision: z.enum(['same_person', 'different']), note: z.string().trim().min(3).max(500) }),
        response: { 200: conflict },
      },
    },
    async (req) => presentConflict(await requests.resolveConflict(db, req.principal, req.params.id, req.body.decision, req.body.note)),
  );

  app.post(
    '/api/v1/institutions/:id/enrolments',
    {
      schema: {
        tags: ['learners'],
        summary: "Enrol an existing learner here too (exchange, further study) under this institution's student number (administrators)",
        params: idParams,
        body: z.object({
          learnerId: z.uuid(),
          externalId: newLearner.shape.externalId,
          enrolledOn: isoDate.nullable().optional(),
          programmeId: z.uuid().nullable().optional().describe('the programme studied there, if any'),
        }),
        response: { 201: z.object({ learnerId: z.uuid(), institutionId: z.uuid(), externalId: z.string(), enrolledOn: z.string().nullable() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await service.enrolLearner(db, req.principal, req.params.id, req.body)),
  );
}
