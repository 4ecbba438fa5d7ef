import type { App, Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import { accountView, ledgerPage, pageQuery } from './schema.js';
import * as service from './service.js';

export async function accountRoutes(app: App, { database: { db } }: Deps) {
  app.get(
    '/api/v1/me/account',
    { schema: { tags: ['accounts'], summary: "The signed-in learner's account: outcomes and credits by state", response: { 200: accountView } } },
    async (req) => service.accountView(db, req.principal, service.ownLearnerId(req.principal)),
  );

  app.get(
    '/api/v1/learners/:id/account',
    {
      schema: {
        tags: ['accounts'],
        summary: "A learner's account (the learner, their institutions' staff, administrators)",
        params: idParams,
        response: { 200: accountView },
      },
    },
    async (req) => service.accountView(db, req.principal, req.params.id),
  );

  app.get(
    '/api/v1/learners/:id/ledger',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Ledger history, newest first, with balances after each posting',
        params: idParams,
        querystring: pageQuery,
        response: { 200: ledgerPage },
      },
    },
    async (req) => service.ledgerHistory(db, req.principal, req.params.id, req.query),
  );
}
