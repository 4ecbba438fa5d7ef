// Environment → typed configuration. Every setting the server reads from the environment is here.
import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  NODE_ENV: z.string().default('development'),
  SEED_DEMO: z.enum(['0', '1']).default('1'),
  EMBEDDED_DB_OPTIMIZE: z.enum(['0', '1']).optional(),
  DATABASE_PREPARED_STATEMENTS: z.enum(['0', '1']).default('1'),
  DEMO_PASSWORD: z.string().min(8, 'DEMO_PASSWORD must be at least 8 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_FAILURE_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).default(60),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  TRUST_PROXY: z
    .string()
    .refine((v) => v === 'false' || v.split(',').every((a) => /^(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d{1,3})?)$/.test(a.trim())), {
      message: 'false, or a comma-separated list of proxy addresses, CIDRs, loopback, linklocal or uniquelocal',
    })
    .default('false'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(4_194_304),
  UPLOAD_LIMIT_BYTES: z.coerce.number().int().positive().default(52_428_800),
  UPLOAD_RETENTION_DAYS: z.coerce.number().positive().default(30),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  CREDENTIALS_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'CREDENTIALS_MASTER_KEY must be 32 bytes in base64')
    .optional(),
  CREDENTIALS_MASTER_KEY_FILE: z.string().optional(),
  REMOTE_ISSUER_HOSTS: z
    .string()
    .refine((v) => v.split(',').every((h) => /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(h.trim())), {
      message: 'a comma-separated list of host names (host or host:port), e.g. credentials.example.edu,wallet.example.org',
    })
    .optional(),
  BACKGROUND_JOBS: z.enum(['0', '1']).default('1'),
  IMPORT_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
  IDENTITY_LOOKUPS_PER_HOUR: z.coerce.number().int().min(1).default(5000),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(25),
  EMAIL_VERIFY_HOURS: z.coerce.number().positive().max(720).default(48),
  PASSWORD_RESET_MINUTES: z.coerce.number().positive().max(1440).default(30),
  ACCOUNT_MAIL_FILE: z.string().optional(),
  REPORT_UTC_OFFSET: z
    .string()
    .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'an offset such as +08:00')
    .default('+08:00'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.edu.cn:587')
    .optional(),
  MAIL_FROM: z.string().default('学分银行 Credit Bank <no-reply@localhost>'),
  MAIL_POLL_SECONDS: z.coerce.number().min(0.05).max(3600).default(5),
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).default(30),
  MAIL_RETRY_MAX_SECONDS: z.coerce.number().min(0.01).default(3600),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  production: boolean;
  seedDemo: boolean;
  /** The server runs the embedded database's WebAssembly through V8's optimising tier too: in production by default (a slower start; see src/main.ts). */
  embeddedDbOptimize: boolean;
  /** PostgreSQL: statements sent often are prepared under a name on each connection (src/db/connection.ts). */
  preparedStatements: boolean;
  demoPassword: string | undefined;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** A session's absolute lifetime, however active. */
  sessionTtlHours: number;
  /** A session not used for this long has ended. */
  sessionIdleMinutes: number;
  /** Sign-in throttling: per account name (in the database) and per client address (in each process). */
  login: { maxFailures: number; failureWindowMinutes: number; lockSeconds: number; perAddressPerMinute: number };
  /** Requests per minute per client address to the public endpoints that cost work (verify, will-it-transfer, search). */
  publicRateLimitPerMinute: number;
  /** Which proxies' X-Forwarded-* headers are believed: none (false), or a list of addresses/CIDRs. */
  trustProxy: false | string;
  bodyLimit: number;
  uploadLimitBytes: number;
  /** How long an import's raw uploaded file is kept (it holds ID numbers); the job's report stays. */
  uploadRetentionDays: number;
  /** Where the bank is reached from outside: share links, status lists and the issuers' did:web. */
  publicUrl: string;
  /** Other issuers' hosts whose did:web documents and status lists verification may fetch (none by default). */
  remoteIssuerHosts: string[];
  /** The key that seals issuers' secret keys: given, or in a file (made in DATA_DIR outside production). */
  masterKey: { base64: string } | { file: string; create: boolean };
  /** Where report periods' days start and end: the bank's time zone as an offset from UTC. */
  reportUtcOffset: string;
  /** Whether this process runs the background work: the quality figures' daily totals and the monthly reports. */
  backgroundJobs: boolean;
  /** How often a process running an import says it is alive; one silent for six beats is failed (it died). */
  importHeartbeatSeconds: number;
  /** How many identity documents one user (or API token) may look up in learners imports per hour; more is refused (429). */
  identityLookupsPerHour: number;
  /** The bearer token a Prometheus scraper sends for /metrics; without it /metrics answers the loopback address only. */
  metricsToken: string | undefined;
  /** How long a stopping process waits for running requests and jobs before it exits anyway. */
  shutdownTimeoutSeconds: number;
  /** E-mail notifications: the SMTP server (none: e-mail waits in the outbox), sender, retries, and the hour of the daily digest (in REPORT_UTC_OFFSET). */
  mail: {
    smtpUrl: string | undefined;
    from: string;
    pollSeconds: number;
    retryBaseSeconds: number;
    retryMaxSeconds: number;
    maxAttempts: number;
    digestHour: number;
  };
  /** Account lifecycle: how long e-mail verification and password reset links work; in development, a file each account mail is also appended to. */
  accounts: { verifyEmailHours: number; resetMinutes: number; mailFile: string | undefined };
}

/** Reads the environment; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    production,
    seedDemo: e.SEED_DEMO === '1' && !production,
    embeddedDbOptimize: e.EMBEDDED_DB_OPTIMIZE === undefined ? production : e.EMBEDDED_DB_OPTIMIZE === '1',
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS === '1',
    demoPassword: e.DEMO_PASSWORD,
    logLevel: e.LOG_LEVEL,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    login: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      failureWindowMinutes: e.LOGIN_FAILURE_WINDOW_MINUTES,
      lockSeconds: e.LOGIN_LOCK_SECONDS,
      perAddressPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    },
    publicRateLimitPerMinute: e.PUBLIC_RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY === 'false' ? false : e.TRUST_PROXY,
    bodyLimit: e.BODY_LIMIT_BYTES,
    uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
    uploadRetentionDays: e.UPLOAD_RETENTION_DAYS,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    remoteIssuerHosts: (e.REMOTE_ISSUER_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    reportUtcOffset: e.REPORT_UTC_OFFSET,
    backgroundJobs: e.BACKGROUND_JOBS === '1',
    importHeartbeatSeconds: e.IMPORT_HEARTBEAT_SECONDS,
    identityLookupsPerHour: e.IDENTITY_LOOKUPS_PER_HOUR,
    metricsToken: e.METRICS_TOKEN,
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      pollSeconds: e.MAIL_POLL_SECONDS,
      retryBaseSeconds: e.MAIL_RETRY_BASE_SECONDS,
      retryMaxSeconds: e.MAIL_RETRY_MAX_SECONDS,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
      digestHour: e.DIGEST_HOUR,
    },
    // the mail file holds reset links: never in production
    accounts: { verifyEmailHours: e.EMAIL_VERIFY_HOURS, resetMinutes: e.PASSWORD_RESET_MINUTES, mailFile: production ? undefined : e.ACCOUNT_MAIL_FILE },
    masterKey: e.CREDENTIALS_MASTER_KEY
      ? { base64: e.CREDENTIALS_MASTER_KEY }
      : {
          file: path.resolve(e.CREDENTIALS_MASTER_KEY_FILE ?? path.join(e.DATA_DIR, 'credentials-master.key')),
          create: !production && !e.CREDENTIALS_MASTER_KEY_FILE,
        },
  };
}

/**
 * What a deployment must set before the server starts: with NODE_ENV=production or a DATABASE_URL
 * (several processes may share the database), the defaults made per process — a PUBLIC_URL of
 * localhost, a master-key file in the data directory — would differ between processes and machines.
 * Returns one line per missing setting (none: fine). Tests and the CLI do not call it; `npm start` does.
 */
export function missingProductionSettings(env: NodeJS.ProcessEnv = process.env): string[] {
  const set = (name: string) => (env[name] ?? '') !== '';
  const why = env.NODE_ENV === 'production' ? 'NODE_ENV=production' : set('DATABASE_URL') ? 'DATABASE_URL is set' : undefined;
  if (!why) return [];
  const missing: string[] = [];
  if (!set('PUBLIC_URL'))
    missing.push(`PUBLIC_URL (${why}): where the bank is reached from outside, e.g. https://bank.example.edu.cn — every process must give the same one`);
  if (!set('CREDENTIALS_MASTER_KEY') && !set('CREDENTIALS_MASTER_KEY_FILE'))
    missing.push(
      `CREDENTIALS_MASTER_KEY or CREDENTIALS_MASTER_KEY_FILE (${why}): the key that seals the signing keys (openssl rand -base64 32), the same in every process and kept apart from the backups`,
    );
  return missing;
}
