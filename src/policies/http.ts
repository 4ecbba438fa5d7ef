// GET /api/v1/me/permissions: the policy table as it applies to the caller, so that the web app shows
// only what they may do. Anyone may ask (an anonymous caller hears the public actions).
import { z } from 'zod';
import { PUBLIC } from '../http/guards.js';
import type { App } from '../http/types.js';
import { callerRoles, permissionsOf } from './authorize.js';
import { CALLER_ROLES } from './table.js';

const grant = z.object({
  scope: z
    .enum(['any', 'institution', 'self', 'own'])
    .describe('any: everywhere; institution: at institutionIds; self: the learner’s own records; own: the person’s own sign-in'),
  states: z.array(z.string()).optional().describe('Only in these workflow states'),
  institutionIds: z.array(z.uuid()).optional().describe('Where an institution-scoped grant holds'),
});

export const permissionsResponse = z.object({
  roles: z.array(z.enum(CALLER_ROLES)).describe('The roles the table knows the caller by'),
  learnerId: z.uuid().nullable().describe('The caller’s learning account (scope self), if any'),
  resources: z
    .record(z.string(), z.record(z.string(), z.array(grant)))
    .describe('resource → action → the grants the caller holds; an action absent is not theirs'),
});

export async function permissionRoutes(app: App) {
  app.get(
    '/api/v1/me/permissions',
    {
      schema: {
        security: PUBLIC,
        tags: ['auth'],
        summary:
          'What the caller may do: each action of the policy table their roles hold, with its scope (any, their institutions, their own records) and workflow states (public: anonymous callers get the public actions)',
        response: { 200: permissionsResponse },
      },
    },
    async (req) => ({
      roles: callerRoles(req.principal),
      learnerId: req.principal.kind === 'user' ? req.principal.learnerId : null,
      resources: permissionsOf(req.principal),
    }),
  );
}
