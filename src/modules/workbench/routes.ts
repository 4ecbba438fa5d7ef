// GET /api/v1/me/workbench: what waits for the signed-in person in each of their work queues.
import { z } from 'zod';
import type { App, Deps } from '../../http/types.js';
import * as service from './service.js';

const entry = z.object({
  queue: z.enum(service.QUEUE_CODES).describe('The work queue, a stable code'),
  count: z.number().int().describe('Items waiting for the caller’s action there, within their institutions'),
  oldestSince: z.string().nullable().describe('Since when the oldest of them has waited (ISO 8601); null when none waits'),
  path: z.string().describe('Where the queue opens in the web app'),
});

export async function workbenchRoutes(app: App, { database: { db } }: Deps) {
  app.get(
    '/api/v1/me/workbench',
    {
      schema: {
        tags: ['workbench'],
        summary: 'My work queues: how much waits for me in each, and since when (a learner gets none)',
        response: { 200: z.object({ items: z.array(entry) }) },
      },
    },
    async (req) => service.workbench(db, req.principal),
  );
}
