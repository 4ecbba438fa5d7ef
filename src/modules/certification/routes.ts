import { z } from 'zod';
import { AppError, invalid } from '../../errors.js';
import { PUBLIC } from '../../http/guards.js';
import type { App, Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import {
  ACTIONS,
  actionBody,
  application,
  applicationDetail,
  certificationSettings,
  evidenceItem,
  framework,
  newApplication,
  newFramework,
  newStandard,
  queueQuery,
  standard,
  standardChanges,
  standardQuery,
} from './schema.js';
import * as service from './service.js';
import * as standards from './standards.js';

const reasonBody = z.object({ reason: z.string().trim().min(3, 'say why, in a few words').max(2000) });

export async function certificationRoutes(app: App, { database: { db }, config }: Deps) {
  // ---- the public catalogue and the committee's work on it
  app.get(
    '/api/v1/frameworks',
    {
      schema: {
        security: PUBLIC,
        tags: ['certification'],
        summary: 'Qualification frameworks and their levels, with the EQF level of each (public)',
        response: { 200: z.object({ items: z.array(framework) }) },
      },
    },
    async () => ({ items: await standards.listFrameworks(db) }),
  );

  app.post(
    '/api/v1/frameworks',
    {
      schema: {
        tags: ['certification'],
        summary: 'Add a qualification framework with its levels (administrators)',
        body: newFramework,
        response: { 201: framework },
      },
    },
    async (req, reply) => reply.code(201).send(await standards.createFramework(db, req.principal, req.body)),
  );

  app.get(
    '/api/v1/standards',
    {
      schema: {
        security: PUBLIC,
        tags: ['certification'],
        summary: 'Search conversion standards: what can my certificate earn? (public: the standards in force)',
        querystring: standardQuery,
        response: { 200: z.object({ items: z.array(standard) }) },
      },
    },
    async (req) => ({ items: await standards.searchStandards(db, req.principal, req.query) }),
  );

  app.get(
    '/api/v1/standards/:id',
    {
      schema: {
        security: PUBLIC,
        tags: ['certification'],
        summary: 'One version of a standard, with every version of it',
        params: idParams,
        response: { 200: standard.extend({ versions: z.array(standard) }) },
      },
    },
    async (req) => standards.getStandard(db, req.principal, req.params.id),
  );

  app.post(
    '/api/v1/standards',
    {
      schema: {
        tags: ['certification'],
        summary: 'Draft a new standard (committee, administrators, the responsible institution’s registrars)',
        body: newStandard,
        response: { 201: standard },
      },
    },
    async (req, reply) => reply.code(201).send(await standards.draftStandard(db, req.principal, req.body)),
  );

  app.post(
    '/api/v1/standards/:id/versions',
    {
      schema: {
        tags: ['certification'],
        summary: 'Draft the next version of a standard from this one, with changes',
        params: idParams,
        body: standardChanges,
        response: { 201: standard },
      },
    },
    async (req, reply) => reply.code(201).send(await standards.draftVersion(db, req.principal, req.params.id, req.body)),
  );

  app.patch(
    '/api/v1/standards/:id',
    {
      schema: {
        tags: ['certification'],
        summary: 'Edit a draft (approved versions are never edited: draft a new version)',
        params: idParams,
        body: standardChanges,
        response: { 200: standard },
      },
    },
    async (req) => standards.editDraft(db, req.principal, req.params.id, req.body),
  );

  app.post(
    '/api/v1/standards/:id/approve',
    {
      schema: {
        tags: ['certification'],
        summary: 'Approve a draft (committee); the version before it ends where this one starts',
        params: idParams,
        response: { 200: standard },
      },
    },
    async (req) => standards.approveStandard(db, req.principal, req.params.id),
  );

  app.delete(
    '/api/v1/standards/:id',
    {
      schema: {
        tags: ['certification'],
        summary: 'Discard a draft that should never be approved (its drafters); the audit trail keeps it',
        params: idParams,
        body: reasonBody,
      },
    },
    async (req, reply) => {
      await standards.discardDraft(db, req.principal, req.params.id, req.body.reason);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/standards/:id/retire',
    {
      schema: {
        tags: ['certification'],
        summary: 'Retire a version: it certifies nothing new (committee, administrators)',
        params: idParams,
        body: reasonBody,
        response: { 200: standard },
      },
    },
    async (req) => standards.retireStandard(db, req.principal, req.params.id, req.body.reason),
  );

  // ---- applications
  app.get(
    '/api/v1/me/certifications',
    {
      schema: { tags: ['certification'], summary: 'My certification applications, newest first', response: { 200: z.object({ items: z.array(application) }) } },
    },
    async (req) => ({ items: await service.myApplications(db, req.principal) }),
  );

  app.get(
    '/api/v1/learners/:id/certifications',
    {
      schema: {
        tags: ['certification'],
        summary: 'A learner’s certification applications (the learner, staff of their institutions, administrators)',
        params: idParams,
        response: { 200: z.object({ items: z.array(application) }) },
      },
    },
    async (req) => ({ items: await service.learnerApplications(db, req.principal, req.params.id) }),
  );

  app.post(
    '/api/v1/me/certifications',
    {
      schema: {
        tags: ['certification'],
        summary: 'Start an application (a draft): under a standard, or without one for an individual assessment; honours Idempotency-Key',
        body: newApplication,
        response: { 201: applicationDetail },
      },
    },
    async (req, reply) => reply.code(201).send(await service.createApplication(db, req.principal, req.body)),
  );

  app.get(
    '/api/v1/certifications',
    {
      schema: {
        tags: ['certification'],
        summary: 'The review queue: reviewers see their institutions’, the committee individual assessments and appeals',
        querystring: queueQuery,
        response: { 200: z.object({ items: z.array(application), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => service.queue(db, req.principal, req.query),
  );

  app.get(
    '/api/v1/certifications/:id',
    {
      schema: {
        tags: ['certification'],
        summary: 'An application with its evidence, history, votes and the actions open to you',
        params: idParams,
        response: { 200: applicationDetail },
      },
    },
    async (req) => service.applicationDetail(db, req.principal, req.params.id),
  );

  app.post(
    '/api/v1/certifications/:id/evidence',
    {
      schema: {
        tags: ['certification'],
        summary: `Attach a file of evidence (multipart/form-data, field "file"; PDF, PNG, JPEG or WebP; at most ${Math.round(service.EVIDENCE_LIMIT_BYTES / 1_048_576)} MiB)`,
        params: idParams,
        querystring: z.object({
          label: z
            .string()
            .trim()
            .min(1)
            .max(120)
            .describe('which required item this file shows, e.g. 证书扫描件 / certificate scan (a file added to an appeal is filed as appeal evidence)'),
          note: z
            .string()
            .trim()
            .max(1000)
            .optional()
            .describe('required while an appeal is open: what the file shows for the appeal; recorded in the application’s history'),
        }),
        response: { 201: evidenceItem },
      },
    },
    async (req, reply) => {
      await service.assertCanAttach(db, req.principal, req.params.id); // before a byte is read
      if (!req.isMultipart())
        throw new AppError('invalid', 'Send the file as multipart/form-data in a field named "file"', [{ path: 'body.file', message: 'is required' }], {
          code: 'file_required',
        });
      const limit = Math.min(service.EVIDENCE_LIMIT_BYTES, config.uploadLimitBytes);
      const file = await req.file({ limits: { fileSize: limit, files: 1 } });
      if (!file) throw invalid('body.file', 'is required');
      const content = await file.toBuffer().catch((err: unknown) => {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new AppError(
            'too_large',
            `The file is larger than ${Math.round(limit / 1_048_576)} MiB, the most accepted as evidence`,
            [{ path: 'body.file', message: 'is too large' }],
            { code: 'too_large', maxMiB: Math.round(limit / 1_048_576) },
          );
        }
        throw err;
      });
      return reply
        .code(201)
        .send(
          await service.attachEvidence(db, req.principal, req.params.id, { filename: file.filename, label: req.query.label, content, note: req.query.note }),
        );
    },
  );

  app.get(
    '/api/v1/certifications/:id/evidence/:evidenceId',
    { schema: { tags: ['certification'], summary: 'Download a file of evidence', params: idParams.extend({ evidenceId: z.uuid() }) } },
    async (req, reply) => {
      const file = await service.evidenceFile(db, req.principal, req.params.id, req.params.evidenceId);
      const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
      return reply
        .header('content-type', file.mediaType)
        .header('content-disposition', `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('etag', `"${file.sha256}"`)
        .send(file.content);
    },
  );

  app.delete(
    '/api/v1/certifications/:id/evidence/:evidenceId',
    {
      schema: {
        tags: ['certification'],
        summary: 'Take a file off an application not yet decided (the file itself is kept)',
        params: idParams.extend({ evidenceId: z.uuid() }),
      },
    },
    async (req, reply) => {
      await service.detachEvidence(db, req.principal, req.params.id, req.params.evidenceId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/certifications/:id/:action',
    {
      schema: {
        tags: ['certification'],
        summary:
          'Move an application on: submit, resubmit, withdraw (learner); approve, reject, request_info (reviewer); vote (committee); appeal (learner); revoke',
        params: idParams.extend({ action: z.enum(ACTIONS) }),
        body: actionBody,
        response: { 200: applicationDetail },
      },
    },
    async (req) => service.act(db, req.principal, req.params.id, req.params.action, req.body),
  );

  // ---- settings
  app.get(
    '/api/v1/settings/certification',
    { schema: { tags: ['certification'], summary: 'Committee quorum and appeal window', response: { 200: certificationSettings } } },
    async () => service.settings(db),
  );

  app.put(
    '/api/v1/settings/certification',
    {
      schema: {
        tags: ['certification'],
        summary: 'Change the committee quorum and appeal window (administrators)',
        body: certificationSettings,
        response: { 200: certificationSettings },
      },
    },
    async (req) => service.updateSettings(db, req.principal, req.body),
  );
}
