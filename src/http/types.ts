import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import type { Principal } from '../modules/auth/principal.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export interface Deps {
  database: Database;
  config: Config;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export const SESSION_COOKIE = 'cb_session';
