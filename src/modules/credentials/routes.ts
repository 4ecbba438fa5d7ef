// Credentials over HTTP: the W3C CCG VC-API (issue, verify, verify presentations), the issuers'
// did:web documents and status lists, the learner's credentials and share links, and the
// registrar's revocation.
import { z } from 'zod';
import { PUBLIC } from '../../http/guards.js';
import type { App, Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import { didDocument, issuerView as issuer, rotateKey } from './keys.js';
import { documentLoader } from './loader.js';
import * as s from './schema.js';
import * as service from './service.js';
import { PURPOSES } from './status.js';
import { trustOf } from './trust.js';
import { verifyCredential, verifyPresentation } from './verify.js';

export async function credentialRoutes(app: App, { database: { db }, config }: Deps) {
  const trust = trustOf(config);
  const x: service.Vc = { db, trust, loader: documentLoader(db, trust) };
  const tags = ['credentials'];

  app.get(
    '/issuers/:code/did.json',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'An issuer’s DID document (did:web): every key it has signed with, current and retired (public)',
        params: z.object({ code: z.string().min(1).max(40) }),
      },
    },
    async (req, reply) => reply.type('application/did+json').send(await didDocument(db, trust, req.params.code)),
  );
  app.get(
    '/api/v1/institutions/:id/issuer',
    {
      schema: { security: PUBLIC, tags, summary: 'The institution as an issuer: its DID and keys (public)', params: idParams, response: { 200: s.issuerView } },
    },
    async (req) => issuer(db, trust, req.params.id),
  );
  app.post(
    '/api/v1/institutions/:id/issuer/rotate',
    {
      schema: {
        tags,
        summary: 'Retire the signing key and make a new one; what the old key signed still verifies (the institution’s registrar)',
        params: idParams,
        body: s.reasonBody,
        response: { 200: s.issuerView },
      },
    },
    async (req) => rotateKey(db, trust, req.principal, req.params.id, req.body.reason),
  );

  app.post(
    '/api/v1/credentials/issue',
    {
      schema: {
        tags,
        summary:
          'VC-API: sign a VC 2.0 (or 1.1) credential as the institution of the API token (or options.institutionId for a registrar), its issuer being the institution’s did:web or did:key; adds id, validFrom (issuanceDate) and status entries where missing; 400 names what breaks the data model',
        body: s.issueBody,
      },
    },
    async (req, reply) =>
      reply.code(201).send({ verifiableCredential: await service.issueAsInstitution(x, req.principal, req.body.credential, req.body.options) }),
  );
  app.post(
    '/api/v1/credentials/verify',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'VC-API: verify a credential (VC 2.0 or 1.1; this bank’s issuers or did:key). 200 when verified, 400 with the same report when not (public)',
        body: s.verifyBody,
        response: { 200: s.verificationView, 400: s.verificationView },
      },
    },
    async (req, reply) => {
      const r = await verifyCredential(x, req.body.verifiableCredential);
      return reply.code(r.verified ? 200 : 400).send(r);
    },
  );
  app.post(
    '/api/v1/presentations/verify',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'VC-API: verify a presentation, its holder’s proof against options.challenge and options.domain, and each credential (public)',
        body: s.presentationBody,
      },
    },
    async (req, reply) => {
      const r = await verifyPresentation(x, req.body.verifiablePresentation, req.body.options);
      return reply.code(r.verified ? 200 : 400).send(r);
    },
  );
  app.get(
    '/api/v1/credentials/status/:code/:purpose/:list',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'An issuer’s Bitstring Status List credential (public)',
        params: z.object({ code: z.string().min(1).max(40), purpose: z.enum(PURPOSES), list: z.coerce.number().int().min(0).max(1_000_000) }),
      },
    },
    async (req, reply) =>
      reply.type('application/vc+ld+json').send(await service.statusListCredential(x, req.params.code, req.params.purpose, req.params.list)),
  );

  app.get(
    '/api/v1/me/credentials',
    { schema: { tags, summary: 'My credentials, with their share links', response: { 200: z.object({ items: z.array(s.credentialView) }) } } },
    async (req) => ({ items: await service.myCredentials(x, req.principal) }),
  );
  app.post(
    '/api/v1/me/credentials',
    {
      schema: {
        tags,
        summary: 'A signed credential for my approved award or passing course result (the live one if it exists)',
        body: s.newLearnerCredential,
        response: { 201: s.credentialView },
      },
    },
    async (req, reply) => reply.code(201).send(await service.issueForLearner(x, req.principal, req.body)),
  );
  app.get(
    '/api/v1/credentials/:id',
    {
      schema: {
        tags,
        summary: 'One credential as issued, with its status history (its learner, the issuer’s registrars)',
        params: idParams,
        response: { 200: s.credentialView },
      },
    },
    async (req) => service.getCredential(x, req.principal, req.params.id),
  );
  app.get(
    '/api/v1/credentials/:id/log',
    {
      schema: {
        tags,
        summary: 'Where the credential’s issuance is in the transparency log, and the RFC 9162 inclusion proof against the latest checkpoint',
        params: idParams,
        response: { 200: s.proofView },
      },
    },
    async (req) => service.credentialInclusion(x, req.principal, req.params.id),
  );
  app.get(
    '/api/v1/institutions/:id/credentials',
    {
      schema: {
        tags,
        summary: 'The credentials the institution issued, newest first (its registrars)',
        params: idParams,
        response: { 200: z.object({ items: z.array(s.credentialView) }) },
      },
    },
    async (req) => ({ items: await service.credentialsAt(x, req.principal, req.params.id) }),
  );
  for (const [action, to] of [
    ['revoke', 'revoked'],
    ['suspend', 'suspended'],
    ['reinstate', 'active'],
  ] as const) {
    app.post(
      `/api/v1/credentials/:id/${action}`,
      {
        schema: {
          tags,
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a credential, with a reason (the issuer’s registrar)`,
          params: idParams,
          body: s.reasonBody,
          response: { 200: s.credentialView },
        },
      },
      async (req) => service.setCredentialStatus(x, req.principal, req.params.id, to, req.body.reason),
    );
  }
  app.get(
    '/api/v1/credentials/:id/pdf',
    {
      schema: {
        tags,
        summary: 'The credential as a PDF with a QR code of one of its share links (the learner)',
        params: idParams,
        querystring: z.object({ share: z.string().min(10).max(40) }),
      },
    },
    async (req, reply) =>
      reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="credential-${req.params.id.slice(0, 8)}.pdf"`)
        .send(await service.credentialAsPdf(x, req.principal, req.params.id, req.query.share, config.reportUtcOffset)),
  );
  app.post(
    '/api/v1/credentials/:id/shares',
    {
      schema: {
        tags,
        summary: 'A share link that anyone can open until it expires (the learner)',
        params: idParams,
        body: s.newShare,
        response: { 201: s.shareView },
      },
    },
    async (req, reply) => reply.code(201).send(await service.shareCredential(x, req.principal, req.params.id, req.body.days, req.body.hideName)),
  );
  app.post(
    '/api/v1/shares/:id/withdraw',
    { schema: { tags, summary: 'Take a share link back (the learner)', params: z.object({ id: z.string().min(10).max(40) }), response: { 200: s.shareView } } },
    async (req) => service.withdrawShare(x, req.principal, req.params.id),
  );
  app.get(
    '/api/v1/shares/:id',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'A shared credential and its verification now (public, until the link expires)',
        params: z.object({ id: z.string().min(10).max(40) }),
        response: { 200: s.sharedView },
      },
    },
    async (req) => service.openShare(x, req.params.id),
  );
}
