/** @module Process configuration: the environment, parsed and validated once at start-up. */
import { availableParallelism } from 'node:os'
import { z } from 'zod'

/** Requests per window for the optional rate limit: one minute, as `IMSEARCH_RATE_LIMIT` is documented. */
export const RATE_LIMIT_WINDOW_MS = 60_000

/** The value of `IMSEARCH_FIXTURES` that turns fixture loading off. */
const NO_FIXTURES = 'none'

const optionalString = z.string().min(1).optional()

/**
 * The environment variables we read, by their own names, so that every validation message names the
 * variable an operator has to fix. {@link loadConfig} reshapes the result into {@link Config}.
 */
export const ConfigSchema = z
  .object({
    NODE_ENV: z.string().min(1).default('development'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    IMSEARCH_BACKEND: z.enum(['memory', 'tablestore']).default('memory'),
    IMSEARCH_DATA_DIR: z.string().min(1).default('./data'),
    IMSEARCH_FIXTURES: z.string().min(1).default('fixtures/'),
    // 32 characters is the floor for an HS256 key with 256 bits of a hex/base64 secret's entropy.
    IMSEARCH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    IMSEARCH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    IMSEARCH_RATE_LIMIT: z.coerce.number().int().positive().max(1_000_000).optional(),
    IMSEARCH_CURSOR_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    // Many heartbeats (500 ms each) long, so a slow save never makes a live job look abandoned.
    IMSEARCH_REINDEX_STALE_MS: z.coerce.number().int().min(5_000).max(3_600_000).default(30_000),
    // Other replicas' renames and deletions show in hits' sender names within this; 0: no cache.
    IMSEARCH_NAMES_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
    IMSEARCH_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    IMSEARCH_SNAPSHOT_EVERY: z.coerce.number().int().min(1).max(100_000_000).default(100_000),
    IMSEARCH_HTTP_THREAD: z.enum(['worker', 'main']).optional(),
    IMSEARCH_SNAPSHOT_MAX_AGE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
    TABLESTORE_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    TABLESTORE_INSTANCE: optionalString,
    TABLESTORE_ACCESS_KEY_ID: optionalString,
    TABLESTORE_ACCESS_KEY_SECRET: optionalString,
    // Tablestore table names are letters, digits and underscores, starting with a letter or _.
    TABLESTORE_TABLE_PREFIX: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _, not starting with a digit')
      .default('ims_'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.IMSEARCH_JWT_SECRET && !env.IMSEARCH_JWKS_URL) {
      for (const name of ['IMSEARCH_JWT_SECRET', 'IMSEARCH_JWKS_URL'] as const) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'in production one of IMSEARCH_JWT_SECRET or IMSEARCH_JWKS_URL is required',
        })
      }
    }
    if (env.IMSEARCH_BACKEND === 'tablestore') {
      const required = [
        'TABLESTORE_ENDPOINT',
        'TABLESTORE_INSTANCE',
        'TABLESTORE_ACCESS_KEY_ID',
        'TABLESTORE_ACCESS_KEY_SECRET',
      ] as const
      for (const name of required) {
        if (!env[name]) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'required when IMSEARCH_BACKEND=tablestore' })
        }
      }
    }
  })

/** Connection settings for Tablestore; present only when `IMSEARCH_BACKEND=tablestore`. */
export interface TablestoreConfig {
  endpoint: string
  instance: string
  accessKeyId: string
  /** Never logged: the logger redacts it, and {@link describeConfig} leaves it out. */
  accessKeySecret: string
  /**
   * Prefix of every table name (`TABLESTORE_TABLE_PREFIX`), so that deployments share an instance;
   * the service, `tablestore:setup` and every other command read it here. @default 'ims_'
   */
  tablePrefix: string
}

/** How bearer tokens are verified. Both may be set: HS256 tokens use the secret, RS256/ES256 the JWKS. */
export interface AuthConfig {
  /** HS256 shared secret (`IMSEARCH_JWT_SECRET`). */
  jwtSecret?: string
  /** Remote JSON Web Key Set for RS256/ES256 (`IMSEARCH_JWKS_URL`). */
  jwksUrl?: string
}

/** The validated configuration the rest of the program reads; nothing else touches `process.env`. */
export interface Config {
  nodeEnv: string
  isProduction: boolean
  port: number
  host: string
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL']
  backend: 'memory' | 'tablestore'
  /** Where the embedded backend keeps data; `':memory:'` keeps nothing. @default './data' */
  dataDir: string
  /** Folder loaded into an empty store at start, or `null` for `IMSEARCH_FIXTURES=none`. @default 'fixtures/' */
  fixturesDir: string | null
  auth: AuthConfig
  /** Requests per minute per caller; `undefined` turns rate limiting off. */
  rateLimitPerMinute: number | undefined
  /** Secret for signing page cursors; `undefined` means "make a random one per process". */
  cursorSecret: string | undefined
  /**
   * With Tablestore (job state shared by replicas): a running reindex job without a heartbeat for
   * this long was abandoned by a stopped replica and is failed. @default 30000
   */
  reindexStaleMs: number
  /**
   * How long hits' sender names are served from this process's cache: the staleness bound for a
   * rename or deletion made through another replica (this one's own show at once); 0 turns the
   * cache off. @default 5000
   */
  namesTtlMs: number
  /**
   * On SIGTERM, in-flight requests get this long to finish before their connections are cut; keep
   * it below the process manager's own stop timeout. @default 10000
   */
  shutdownTimeoutMs: number
  /**
   * Embedded backend with a data dir: its indexes are saved in `<dataDir>/index-snapshot` once
   * `everyChanges` records changed since the last snapshot (`IMSEARCH_SNAPSHOT_EVERY`, default
   * 100000), or some did and it is `maxAgeMs` old (`IMSEARCH_SNAPSHOT_MAX_AGE_MS`, default 300000),
   * and at shutdown; a start loads it and replays what changed since.
   */
  snapshots: { everyChanges: number; maxAgeMs: number }
  /**
   * Which thread serves HTTP (`IMSEARCH_HTTP_THREAD`): `worker`, a thread of its own, so that the
   * main thread's search engine shares its core with nothing else; `main`, everything in one
   * thread. @default 'worker' on a machine with more than one core, else 'main' (a second thread
   * on one core only adds the crossing)
   */
  httpThread: 'worker' | 'main'
  tablestore: TablestoreConfig | undefined
}

/** One invalid variable and why. */
export interface ConfigIssue {
  variable: string
  message: string
}

/** Thrown by {@link loadConfig}; `message` lists every bad variable by name, ready to print. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly issues: readonly ConfigIssue[]

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `  ${i.variable}: ${i.message}`)
    super(`[im-search] invalid configuration:\n${lines.join('\n')}`)
    this.issues = issues
  }
}

/**
 * Parses the environment into a {@link Config}, or throws a {@link ConfigError} naming every bad
 * variable. Empty strings count as unset, so a copied `.env.example` with blank lines means "default".
 * It never exits the process: `main.ts` decides what to do with the error.
 */
/** `cores`: what the HTTP thread's default is chosen by (`os.availableParallelism()`). */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  cores: number = availableParallelism(),
): Config {
  const present: Record<string, string> = {}
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key]
    if (value !== undefined && value.trim() !== '') present[key] = value.trim()
  }
  const parsed = ConfigSchema.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    )
  }
  const e = parsed.data
  const tablestore =
    e.TABLESTORE_ENDPOINT &&
    e.TABLESTORE_INSTANCE &&
    e.TABLESTORE_ACCESS_KEY_ID &&
    e.TABLESTORE_ACCESS_KEY_SECRET
      ? {
          endpoint: e.TABLESTORE_ENDPOINT,
          instance: e.TABLESTORE_INSTANCE,
          accessKeyId: e.TABLESTORE_ACCESS_KEY_ID,
          accessKeySecret: e.TABLESTORE_ACCESS_KEY_SECRET,
          tablePrefix: e.TABLESTORE_TABLE_PREFIX,
        }
      : undefined
  return {
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    backend: e.IMSEARCH_BACKEND,
    dataDir: e.IMSEARCH_DATA_DIR,
    fixturesDir: e.IMSEARCH_FIXTURES === NO_FIXTURES ? null : e.IMSEARCH_FIXTURES,
    auth: {
      ...(e.IMSEARCH_JWT_SECRET ? { jwtSecret: e.IMSEARCH_JWT_SECRET } : {}),
      ...(e.IMSEARCH_JWKS_URL ? { jwksUrl: e.IMSEARCH_JWKS_URL } : {}),
    },
    rateLimitPerMinute: e.IMSEARCH_RATE_LIMIT,
    cursorSecret: e.IMSEARCH_CURSOR_SECRET,
    reindexStaleMs: e.IMSEARCH_REINDEX_STALE_MS,
    namesTtlMs: e.IMSEARCH_NAMES_TTL_MS,
    shutdownTimeoutMs: e.IMSEARCH_SHUTDOWN_TIMEOUT_MS,
    snapshots: { everyChanges: e.IMSEARCH_SNAPSHOT_EVERY, maxAgeMs: e.IMSEARCH_SNAPSHOT_MAX_AGE_MS },
    httpThread: e.IMSEARCH_HTTP_THREAD ?? (cores > 1 ? 'worker' : 'main'),
    tablestore,
  }
}

/** A loggable summary of the configuration: no secrets, only whether they are set. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    nodeEnv: config.nodeEnv,
    host: config.host,
    port: config.port,
    backend: config.backend,
    dataDir: config.dataDir,
    fixturesDir: config.fixturesDir,
    auth: config.auth.jwksUrl
      ? { jwksUrl: config.auth.jwksUrl, hs256: Boolean(config.auth.jwtSecret) }
      : { hs256: Boolean(config.auth.jwtSecret) },
    rateLimitPerMinute: config.rateLimitPerMinute ?? 'off',
    reindexStaleMs: config.reindexStaleMs,
    namesTtlMs: config.namesTtlMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    snapshots: config.snapshots,
    httpThread: config.httpThread,
    // Not named cursorSecret: the logger would redact the key, and this value is no secret.
    cursors: config.cursorSecret
      ? 'signed with IMSEARCH_CURSOR_SECRET'
      : 'signed with a random per-process secret',
    tablestore: config.tablestore
      ? {
          endpoint: config.tablestore.endpoint,
          instance: config.tablestore.instance,
          tablePrefix: config.tablestore.tablePrefix,
        }
      : undefined,
  }
}
