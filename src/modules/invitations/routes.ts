// HTTP for invitations to sign in: a registrar invites one learner or prints codes for many; the
// learner redeems a code on the public activation page.
import { z } from 'zod';
import { PUBLIC } from '../../http/guards.js';
import { SESSION_COOKIE, type App, type Deps } from '../../http/types.js';
import { me } from '../auth/schema.js';
import { me as whoAmI, principalFromSession } from '../auth/service.js';
import { PASSWORD_MAX } from '../accounts-lifecycle/policy.js';
import { idParams } from '../institutions/schema.js';
import * as service from './service.js';

const institution = z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() });
const invitation = z.object({
  learnerId: z.uuid(),
  fullName: z.string(),
  fullNameLatin: z.string().nullable(),
  accountNo: z.string(),
  externalId: z.string().describe("the institution's student number"),
  code: z.string().describe('the activation code, shown this once: only its hash is kept'),
  expiresAt: z.string(),
  mailedTo: z.string().nullable().describe('the address the invitation was mailed to, if it was'),
});
const sendMail = z.boolean().optional().describe("also mail the invitation to the learner's address on record");

export async function invitationRoutes(app: App, { database: { db }, config }: Deps) {
  const settings: service.InvitationSettings = { publicUrl: config.publicUrl, sessionTtlHours: config.sessionTtlHours };
  const secureCookie = config.publicUrl.startsWith('https:') || config.production;

  app.get(
    '/api/v1/learners/:id/invitation',
    {
      schema: {
        tags: ['learners'],
        summary: "Whether the learner can sign in, and their live invitation if any (registrars of the learner's institutions)",
        params: idParams,
        response: {
          200: z.object({
            hasSignIn: z.boolean(),
            email: z.string().nullable(),
            pending: z
              .object({
                institutionId: z.uuid(),
                createdAt: z.string(),
                expiresAt: z.string(),
                expired: z.boolean(),
                mailedTo: z.string().nullable(),
              })
              .nullable(),
          }),
        },
      },
    },
    async (req) => service.invitationStatus(db, req.principal, req.params.id),
  );

  app.post(
    '/api/v1/learners/:id/invitations',
    {
      schema: {
        tags: ['learners'],
        summary:
          'Invite a learner enrolled without a sign-in: a single-use activation code, shown once (registrars of an institution where the learner is enrolled)',
        description: `The code works for ${service.INVITATION_DAYS} days and replaces the learner's earlier unused one. Optionally mailed to the learner's address on record.`,
        params: idParams,
        body: z.object({
          institutionId: z.uuid().optional().describe('the inviting institution, when the learner is enrolled at several of yours'),
          sendMail,
        }),
        response: { 201: z.object({ institution, activationUrl: z.string(), invitation }) },
      },
    },
    async (req, reply) => reply.code(201).send(await service.inviteLearner(db, settings, req.principal, req.params.id, req.body)),
  );

  app.post(
    '/api/v1/institutions/:id/invitations',
    {
      schema: {
        tags: ['learners'],
        summary: "Invite many of the institution's learners at once, for a printable sheet of codes (answered once)",
        description: `Either \`learnerIds\` or \`allWithoutSignIn\`; at most ${service.MAX_BULK} learners. Learners who can sign in already, or are not enrolled here, are skipped and listed.`,
        params: idParams,
        body: z
          .object({
            learnerIds: z.array(z.uuid()).min(1).max(service.MAX_BULK).optional(),
            allWithoutSignIn: z.literal(true).optional(),
            sendMail,
          })
          .refine((b) => (b.learnerIds ? 1 : 0) + (b.allWithoutSignIn ? 1 : 0) === 1, {
            message: 'give either learnerIds or allWithoutSignIn: true',
            path: ['learnerIds'],
          }),
        response: {
          201: z.object({
            institution,
            activationUrl: z.string(),
            items: z.array(invitation),
            skipped: z.array(z.object({ learnerId: z.uuid(), reason: z.enum(['not_enrolled', 'has_sign_in', 'erased']) })),
          }),
        },
      },
    },
    async (req, reply) => reply.code(201).send(await service.inviteMany(db, settings, req.principal, req.params.id, req.body)),
  );

  app.post(
    '/api/v1/auth/activate',
    {
      schema: {
        security: PUBLIC,
        tags: ['accounts'],
        summary: 'A learner redeems an activation code: chooses a username and password, is signed in on their account; sets the session cookie',
        body: z.object({
          code: z.string().trim().min(1).max(40),
          username: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9._@-]{3,60}$/, 'letters, digits and . _ @ -, 3–60 characters'),
          password: z.string().min(1).max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`),
          locale: z.enum(['zh-CN', 'en']).optional(),
        }),
        response: { 201: z.object({ user: me }) },
      },
    },
    async (req, reply) => {
      const s = await service.activate(db, settings, req.body);
      reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie, expires: s.expiresAt });
      return reply.code(201).send({ user: await whoAmI(db, await principalFromSession(db, s.token, config.sessionIdleMinutes)) });
    },
  );
}
