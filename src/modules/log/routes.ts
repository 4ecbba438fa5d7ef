import { z } from 'zod';
import { PUBLIC } from '../../http/guards.js';
import type { App, Deps } from '../../http/types.js';
import { readScope } from '../learners/service.js';
import * as service from './service.js';

const proof = z.object({ index: z.int(), size: z.int(), payload: z.string(), leafHash: z.string(), proof: z.array(z.string()), checkpoint: z.string() });

export async function logRoutes(app: App, { database: { db } }: Deps) {
  app.get(
    '/api/v1/log/checkpoint',
    {
      schema: { security: PUBLIC, tags: ['log'], summary: 'The latest signed checkpoint of the transparency log (C2SP tlog-checkpoint, signed note), public' },
    },
    async (_req, reply) => reply.type('text/plain; charset=utf-8').send(await service.checkpoint(db)),
  );
  app.get(
    '/api/v1/log/key',
    { schema: { security: PUBLIC, tags: ['log'], summary: 'The log’s verifier key, <name>+<key id>+<base64 key>, for witnesses and auditors (public)' } },
    async (_req, reply) => reply.type('text/plain; charset=utf-8').send(`${await service.verifierKey(db)}\n`),
  );
  app.get(
    '/api/v1/log/consistency',
    {
      schema: {
        security: PUBLIC,
        tags: ['log'],
        summary: 'Proof that the log of `from` entries is a prefix of the checkpoint of `to` (default: the latest), RFC 9162 (public)',
        querystring: z.object({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(0).optional() }),
        response: { 200: z.object({ from: z.int(), to: z.int(), proof: z.array(z.string()), checkpoint: z.string() }) },
      },
    },
    async (req) => service.consistency(db, req.query.from, req.query.to),
  );
  app.get(
    '/api/v1/learners/:id/ledger/:seq/proof',
    {
      schema: {
        tags: ['log'],
        summary:
          'Where a posting is in the log and its inclusion proof against a checkpoint (the learner; their institutions’ staff, for the postings of their institution)',
        params: z.object({ id: z.uuid(), seq: z.coerce.number().int().min(1) }),
        querystring: z.object({ size: z.coerce.number().int().min(1).optional() }),
        response: { 200: proof },
      },
    },
    async (req) => {
      const { institutionIds } = await readScope(db, req.principal, req.params.id);
      return service.postingInclusion(db, req.params.id, req.params.seq, req.query.size, institutionIds);
    },
  );
}
