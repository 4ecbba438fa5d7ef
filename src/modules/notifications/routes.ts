// The signed-in user's inbox and notification preferences.
import { z } from 'zod';
import type { App, Deps } from '../../http/types.js';
import { KINDS, LANGUAGES } from './messages.js';
import * as service from './service.js';

const channel = z.enum(['inbox', 'email', 'digest', 'off']);
const item = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
const prefs = z.object({
  email: z.string().nullable().describe('Where e-mail goes: the account’s address (or, for a learner, the one on record); none: in-app only'),
  language: z.enum(LANGUAGES),
  kinds: z.array(z.object({ kind: z.enum(KINDS as [string, ...string[]]), audience: z.enum(['staff', 'learner', 'any']), default: channel, channel })),
});

export async function notificationRoutes(app: App, { database: { db } }: Deps) {
  app.get(
    '/api/v1/me/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My inbox, newest first, in my language (Accept-Language, else my account’s)',
        querystring: z.object({
          cursor: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          unread: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
        }),
        response: { 200: z.object({ items: z.array(item), nextCursor: z.string().nullable(), unread: z.number().int() }) },
      },
    },
    async (req) => service.listInbox(db, req.principal, req.query, req.headers['accept-language']),
  );

  app.get(
    '/api/v1/me/notifications/unread-count',
    {
      schema: {
        tags: ['notifications'],
        summary: 'How many of my notifications are unread (the bell)',
        response: { 200: z.object({ unread: z.number().int() }) },
      },
    },
    async (req) => service.unreadCount(db, req.principal),
  );

  app.post(
    '/api/v1/me/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark notifications read: those named, or all',
        body: z.union([z.object({ ids: z.array(z.uuid()).min(1).max(200) }), z.object({ all: z.literal(true) })]),
        response: { 200: z.object({ changed: z.number().int(), unread: z.number().int() }) },
      },
    },
    async (req) => service.markRead(db, req.principal, 'ids' in req.body ? req.body.ids : 'all'),
  );

  app.get(
    '/api/v1/me/notification-preferences',
    { schema: { tags: ['notifications'], summary: 'How I am told of each kind of notification', response: { 200: prefs } } },
    async (req) => service.preferences(db, req.principal),
  );

  app.put(
    '/api/v1/me/notification-preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Choose per kind: inbox (in-app only), email (in-app and e-mail), digest (in-app and a daily e-mail), off; and the language of my messages',
        body: z.object({
          language: z.enum(LANGUAGES).optional(),
          kinds: z
            .array(z.object({ kind: z.enum(KINDS as [string, ...string[]]), channel }))
            .max(50)
            .optional(),
        }),
        response: { 200: prefs },
      },
    },
    async (req) => service.setPreferences(db, req.principal, req.body),
  );
}
