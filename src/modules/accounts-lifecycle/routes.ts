// HTTP for the account lifecycle: sign-up, verification, password change and reset, the second
// factor, administrators' switches and link requests.
import { z } from 'zod';
import { ID_TYPES } from '../../core/identity.js';
import { PUBLIC } from '../../http/guards.js';
import { SESSION_COOKIE, type App, type Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import { me } from '../auth/schema.js';
import { me as whoAmI, principalFromSession } from '../auth/service.js';
import { setAccountMailFile } from './mail.js';
import { PASSWORD_MAX } from './policy.js';
import * as service from './service.js';

const checkEmail = z.object({ status: z.literal('check_email') });
const password = z.string().min(1).max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`);
const token = z.string().trim().min(20).max(200);
const linkRequest = z.object({
  id: z.uuid(),
  institutionId: z.uuid(),
  externalId: z.string(),
  note: z.string().nullable(),
  status: z.enum(['open', 'accepted', 'rejected', 'withdrawn']),
  decisionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});

export async function accountLifecycleRoutes(app: App, { database: { db }, config }: Deps) {
  const settings: service.LifecycleSettings = {
    publicUrl: config.publicUrl,
    verifyEmailHours: config.accounts.verifyEmailHours,
    resetMinutes: config.accounts.resetMinutes,
  };
  setAccountMailFile(config.accounts.mailFile);
  const secureCookie = config.publicUrl.startsWith('https:') || config.production;

  app.post(
    '/api/v1/auth/signup',
    {
      schema: {
        security: PUBLIC,
        tags: ['accounts'],
        summary: 'A learner signs up; the answer is always "check your e-mail" (a verification link, or a note that the username is taken)',
        body: z.object({
          username: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9._@-]{3,60}$/, 'letters, digits and . _ @ -, 3–60 characters'),
          password,
          fullName: z.string().trim().min(1).max(100),
          birthDate: z.iso.date(),
          email: z.email().max(200),
          idType: z.enum(ID_TYPES),
          idNumber: z.string().trim().min(1).max(60),
          idCountry: z.string().trim().max(60).nullish(),
          idTypeName: z.string().trim().max(60).nullish(),
          locale: z.enum(['zh-CN', 'en']).optional(),
        }),
        response: { 202: checkEmail },
      },
    },
    async (req, reply) => reply.code(202).send(await service.signUp(db, settings, req.body)),
  );

  app.post(
    '/api/v1/auth/verify-email',
    {
      schema: {
        security: PUBLIC,
        tags: ['accounts'],
        summary: 'Verify an e-mail address with the single-use token from the mail',
        body: z.object({ token }),
        response: { 200: z.object({ verified: z.literal(true) }) },
      },
    },
    async (req) => service.verifyEmail(db, req.body.token),
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      schema: {
        security: PUBLIC,
        tags: ['accounts'],
        summary: 'Ask for a password reset link by username or e-mail; the answer is the same whether such an account exists or not',
        body: z.object({ login: z.string().trim().min(1).max(200) }),
        response: { 202: checkEmail },
      },
    },
    async (req, reply) => reply.code(202).send(await service.requestPasswordReset(db, settings, req.body.login)),
  );

  app.post(
    '/api/v1/auth/password-reset/complete',
    {
      schema: {
        security: PUBLIC,
        tags: ['accounts'],
        summary: 'Choose a new password with the single-use token from the reset mail; every session ends',
        body: z.object({ token, password }),
        response: { 200: z.object({ username: z.string() }) },
      },
    },
    async (req) => service.resetPassword(db, req.body.token, req.body.password),
  );

  app.post(
    '/api/v1/auth/login/second-factor',
    {
      schema: {
        security: PUBLIC,
        tags: ['accounts'],
        summary: 'The second step of a sign-in: the challenge the password step gave, and a TOTP or recovery code; sets the session cookie',
        body: z.object({ challenge: token, code: z.string().trim().min(6).max(20) }),
        response: { 200: z.object({ user: me }) },
      },
    },
    async (req, reply) => {
      const s = await service.completeSecondFactor(db, req.body.challenge, req.body.code, config.sessionTtlHours);
      reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie, expires: s.expiresAt });
      return { user: await whoAmI(db, await principalFromSession(db, s.token, config.sessionIdleMinutes)) };
    },
  );

  app.get(
    '/api/v1/me/sign-in',
    {
      schema: {
        tags: ['accounts'],
        summary: "The signed-in user's sign-in: e-mail, last sign-in, second factor, the identity document declared at sign-up (masked)",
        response: {
          200: z.object({
            email: z.string().nullable(),
            emailVerified: z.boolean(),
            lastLoginAt: z.string().nullable(),
            staff: z.boolean(),
            totpEnabled: z.boolean(),
            recoveryCodesLeft: z.number().int(),
            identityClaims: z.array(z.object({ idType: z.string(), idNumber: z.string(), status: z.string(), createdAt: z.string() })),
          }),
        },
      },
    },
    async (req) => service.accountStatus(db, req.principal),
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change the password (the current one is asked for); every other session ends',
        body: z.object({ currentPassword: password, newPassword: password }),
        response: { 200: z.object({ otherSessionsEnded: z.number().int() }) },
      },
    },
    async (req) => service.changePassword(db, req.principal, req.cookies[SESSION_COOKIE], req.body.currentPassword, req.body.newPassword),
  );

  app.post(
    '/api/v1/me/totp',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Start enrolling an authenticator (staff): a new secret and its otpauth URI',
        response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }) },
      },
    },
    async (req) => service.startTotp(db, req.principal),
  );

  app.post(
    '/api/v1/me/totp/confirm',
    {
      schema: {
        tags: ['accounts'],
        summary: "Turn the second factor on with the authenticator's first code; ten recovery codes are shown once",
        body: z.object({
          code: z
            .string()
            .trim()
            .regex(/^\d{6}$/, '6 digits'),
        }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
      },
    },
    async (req) => service.confirmTotp(db, req.principal, req.body.code),
  );

  app.delete(
    '/api/v1/me/totp',
    { schema: { tags: ['accounts'], summary: 'Turn the second factor off (the password is asked for)', body: z.object({ password }) } },
    async (req, reply) => {
      await service.disableTotp(db, req.principal, undefined, req.body.password);
      return reply.code(204).send();
    },
  );

  // ------------------------------------------------------------ administrators
  const namedGrant = z.object({
    role: z.enum(['learner', 'registrar', 'reviewer', 'committee', 'admin']),
    institutionId: z.uuid().nullable(),
    institutionCode: z.string().nullable(),
    institutionNameZh: z.string().nullable(),
    institutionNameEn: z.string().nullable(),
  });
  /** Grants asked for: registrar and reviewer name their institution, the other roles none (each problem names its grant). */
  const scopeIssues = (gs: { role: string; institutionId: string | null }[], ctx: z.RefinementCtx) =>
    gs.forEach((g, i) => {
      const scoped = g.role === 'registrar' || g.role === 'reviewer';
      if (scoped !== (g.institutionId !== null))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'institutionId'],
          message: scoped ? 'a registrar or reviewer role needs the institution it is held at' : 'only registrar and reviewer roles name an institution',
        });
    });
  const anyRole = z.enum(['learner', 'registrar', 'reviewer', 'committee', 'admin']);
  const staffRole = z.enum(['registrar', 'reviewer', 'committee', 'admin']);

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create a staff or learner sign-in (administrators). Without a password, a single-use link to choose one is mailed to the e-mail address',
        body: z.object({
          username: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9._@-]{3,60}$/, 'letters, digits and . _ @ -, 3–60 characters'),
          password: z.string().min(10, 'at least 10 characters').max(200).optional(),
          displayName: z.string().trim().min(1).max(100),
          email: z.email().max(200).nullish(),
          locale: z.enum(['zh-CN', 'en']).optional(),
          grants: z
            .array(z.object({ role: anyRole, institutionId: z.uuid().nullable() }))
            .min(1, 'at least one role')
            .max(50)
            .superRefine(scopeIssues),
        }),
        response: {
          201: z.object({
            id: z.uuid(),
            username: z.string(),
            displayName: z.string(),
            email: z.string().nullable(),
            grants: z.array(namedGrant),
            firstPassword: z.enum(['set', 'mailed']).describe('set: the password given; mailed: a link to choose one was mailed'),
          }),
        },
      },
    },
    async (req, reply) => reply.code(201).send(await service.createUserByAdmin(db, req.principal, settings, req.body)),
  );

  app.put(
    '/api/v1/users/:id/roles',
    {
      schema: {
        tags: ['accounts'],
        summary:
          "Set a user's staff roles (administrators): registrar and reviewer at an institution, committee, administrator. The learner role is kept as it is; sessions go on and count the new roles from their next request; the last active administrator keeps the role",
        params: idParams,
        body: z.object({
          grants: z
            .array(z.object({ role: staffRole, institutionId: z.uuid().nullable() }))
            .max(50)
            .superRefine(scopeIssues),
        }),
        response: { 200: z.object({ id: z.uuid(), changed: z.boolean(), grants: z.array(namedGrant) }) },
      },
    },
    async (req) => service.setStaffRoles(db, req.principal, req.params.id, req.body.grants),
  );

  const userRow = z.object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    emailVerified: z.boolean(),
    roles: z.array(z.string()),
    grants: z.array(namedGrant),
    disabledAt: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    passwordResetRequired: z.boolean(),
    totpEnabled: z.boolean(),
  });

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Users, with last sign-in and state (administrators)',
        querystring: z.object({ q: z.string().max(100).optional() }),
        response: { 200: z.object({ items: z.array(userRow) }) },
      },
    },
    async (req) => ({ items: await service.listUsers(db, req.principal, req.query.q) }),
  );

  app.post(
    '/api/v1/users/:id/disable',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Disable a user: their sessions end at once, API tokens they issued stop (administrators)',
        params: idParams,
        response: { 200: z.object({ id: z.uuid(), disabled: z.boolean(), sessionsEnded: z.number().int() }) },
      },
    },
    async (req) => service.setDisabled(db, req.principal, req.params.id, true),
  );

  app.post(
    '/api/v1/users/:id/enable',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Re-enable a user (administrators)',
        params: idParams,
        response: { 200: z.object({ id: z.uuid(), disabled: z.boolean(), sessionsEnded: z.number().int() }) },
      },
    },
    async (req) => service.setDisabled(db, req.principal, req.params.id, false),
  );

  app.post(
    '/api/v1/users/:id/force-password-reset',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Make a user choose a new password: sessions end, a reset link is mailed (administrators)',
        params: idParams,
        response: { 200: z.object({ mailed: z.boolean(), sessionsEnded: z.number().int() }) },
      },
    },
    async (req) => service.forcePasswordReset(db, req.principal, settings, req.params.id),
  );

  app.put(
    '/api/v1/users/:id/email',
    {
      schema: {
        tags: ['accounts'],
        summary: "Record a user's e-mail address, counted as verified (administrators)",
        params: idParams,
        body: z.object({ email: z.email().max(200).nullable() }),
      },
    },
    async (req, reply) => {
      await service.setEmail(db, req.principal, req.params.id, req.body.email);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/v1/users/:id/totp',
    { schema: { tags: ['accounts'], summary: "Turn off a user's second factor (a lost phone; administrators)", params: idParams } },
    async (req, reply) => {
      await service.disableTotp(db, req.principal, req.params.id, undefined);
      return reply.code(204).send();
    },
  );

  // ------------------------------------------------------------ link requests
  app.get(
    '/api/v1/me/link-requests',
    {
      schema: {
        tags: ['accounts'],
        summary: "The learner's requests to institutions to link their records",
        response: {
          200: z.object({
            items: z.array(
              linkRequest.extend({ institution: z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string().nullable() }) }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await service.myLinkRequests(db, req.principal) }),
  );

  app.post(
    '/api/v1/me/link-requests',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Ask an institution to link the records it holds under a student number to this account',
        body: z.object({ institutionId: z.uuid(), externalId: z.string().trim().min(1).max(60), note: z.string().trim().max(500).nullish() }),
        response: { 201: linkRequest },
      },
    },
    async (req, reply) => reply.code(201).send(await service.createLinkRequest(db, req.principal, req.body)),
  );

  app.delete(
    '/api/v1/me/link-requests/:id',
    { schema: { tags: ['accounts'], summary: 'Withdraw an open link request', params: idParams, response: { 200: linkRequest } } },
    async (req) => service.withdrawLinkRequest(db, req.principal, req.params.id),
  );

  const nullableBool = z.boolean().nullable();
  app.get(
    '/api/v1/institutions/:id/link-requests',
    {
      schema: {
        tags: ['accounts'],
        summary: "Learners' requests to link their records at this institution (registrars)",
        params: idParams,
        response: {
          200: z.object({
            items: z.array(
              linkRequest.extend({
                fullName: z.string(),
                birthDate: z.string().nullable(),
                email: z.string().nullable(),
                claimedIdType: z.string().nullable(),
                claimedIdNumber: z.string().nullable(),
                check: z.object({ found: nullableBool, nameMatches: nullableBool, birthDateMatches: nullableBool, idDocumentMatches: nullableBool }),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await service.institutionLinkRequests(db, req.principal, req.params.id) }),
  );

  app.post(
    '/api/v1/link-requests/:id/decision',
    {
      schema: {
        tags: ['accounts'],
        summary: 'A registrar answers a link request: accept (the sign-in joins the record under the student number) or reject',
        params: idParams,
        body: z.object({ decision: z.enum(['accept', 'reject']), note: z.string().trim().max(500).nullish() }),
        response: { 200: linkRequest },
      },
    },
    async (req) => service.decideLinkRequest(db, req.principal, req.params.id, req.body.decision, req.body.note ?? null),
  );
}
