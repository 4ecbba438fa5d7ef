// Europe over HTTP: the Europass (ELM 3) credential of a learner's results, the EWP / EMREX ELMO
// transcript of records, and the import of EWP grading tables.
import { AppError, invalid } from '../../errors.js';
import type { App, Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import { documentLoader } from '../credentials/loader.js';
import type { Vc } from '../credentials/service.js';
import { trustOf } from '../credentials/trust.js';
import * as s from './schema.js';
import * as service from './service.js';

const attachment = (filename: string) => `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')}"`;

export async function europeRoutes(app: App, { database: { db }, config }: Deps) {
  const trust = trustOf(config);
  const x: Vc = { db, trust, loader: documentLoader(db, trust) };
  const tags = ['europe'];

  app.post(
    '/api/v1/credentials/europass',
    {
      schema: {
        tags,
        summary:
          'Issue the learner’s passing results at an institution as a Europass European Learning Model (ELM 3) credential, signed by the institution (eddsa-jcs-2022); a download (the learner, the institution’s registrar)',
        body: s.europassRequest,
        response: { 201: s.europassCredential },
      },
    },
    async (req, reply) => {
      const { document, filename } = await service.europassCredential(x, req.principal, req.body.learnerId, req.body.institutionId);
      return reply.code(201).type('application/ld+json').header('content-disposition', attachment(filename)).send(document);
    },
  );

  app.get(
    '/api/v1/learners/:id/ewp-transcript',
    {
      schema: {
        tags,
        summary:
          'The learner’s transcript of records as EMREX ELMO XML, the format Erasmus Without Paper exchanges: ECTS credits where they convert, results, grading schemes, result distributions (the learner, the institution’s registrars and reviewers)',
        params: s.transcriptParams,
        querystring: s.transcriptQuery,
      },
    },
    async (req, reply) => {
      const { xml, filename } = await service.ewpTranscript(db, req.principal, req.params.id, req.query.institutionId, trust.publicUrl);
      return reply.type('application/xml; charset=utf-8').header('content-disposition', attachment(filename)).send(xml);
    },
  );

  app.post(
    '/api/v1/institutions/:id/grading-tables/import',
    {
      schema: {
        tags,
        summary:
          'Import ECTS grading tables from an Erasmus Without Paper file (multipart/form-data, field "file"): XML iscedTable/gradeFrequency, CSV iscedCode,cycle,label,percentage or JSON; published all together, or none with a 400 naming each bad row (the institution’s registrar)',
        params: idParams,
        querystring: s.importQuery,
        response: { 201: s.importResult },
      },
    },
    async (req, reply) => {
      service.assertCanImport(req.principal, req.params.id); // before a byte is read
      if (!req.isMultipart())
        throw new AppError('invalid', 'Send the file as multipart/form-data in a field named "file"', [{ path: 'body.file', message: 'is required' }], {
          code: 'file_required',
        });
      const file = await req.file({ limits: { fileSize: Math.min(config.uploadLimitBytes, 2 * 1_048_576), files: 1 } });
      if (!file) throw invalid('body.file', 'is required');
      const content = await file.toBuffer().catch((err: unknown) => {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError('too_large', 'A grading table file is at most 2 MiB', [{ path: 'body.file', message: 'is too large' }], {
            code: 'too_large',
            maxMiB: 2,
          });
        throw err;
      });
      return reply.code(201).send({ items: await service.importEwpTables(db, req.principal, req.params.id, { filename: file.filename, content }, req.query) });
    },
  );
}
