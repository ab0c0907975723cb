/**
 * @module Options of the Tablestore adapter, with their defaults. Credentials are never logged:
 * {@link describeOptions} is the only printable form.
 */

/** Retries of throttled, busy or timed-out calls: exponential backoff with full jitter, bounded. */
export interface RetryPolicy {
  /**
   * Attempts after the first one.
   * @default 5
   */
  maxRetries: number
  /**
   * First backoff ceiling; each retry doubles it. The actual wait is uniform in [0, ceiling) ("full jitter").
   * @default 100
   */
  baseDelayMs: number
  /**
   * Largest backoff ceiling.
   * @default 3000
   */
  maxDelayMs: number
}

export interface TablestoreOptions {
  /** `https://<instance>.<region>.ots.aliyuncs.com`, or the emulator's `http://127.0.0.1:8900`. */
  endpoint: string
  /** The instance name (`instancename` in the SDK). */
  instance: string
  accessKeyId: string
  accessKeySecret: string
  /**
   * Prefix of every table name, so that several deployments (or test runs) share an instance.
   * Letters, digits and underscores.
   * @default 'ims_'
   */
  tablePrefix?: string
  /**
   * Wall-clock limit of one SDK call (also the socket timeout); a call that takes longer is
   * abandoned and, when retrying is safe, retried.
   * @default 10000
   */
  requestTimeoutMs?: number
  /** @default { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 3000 } */
  retry?: Partial<RetryPolicy>
  /**
   * How long `settle()` waits for the search indexes to show completed writes before it fails.
   * Tablestore documents 99% of writes searchable within 3 s.
   * @default 15000
   */
  indexLagTimeoutMs?: number
  /**
   * Create missing tables and search indexes on first use (what `npm run tablestore:setup`
   * does). Meant for tests and the emulator; production runs the setup command once.
   * @default false
   */
  ensureTables?: boolean
  /**
   * How long an unfinished message insert (a claimed message id without its row) is left to its
   * writer before another writer takes it over.
   * @default 10000
   */
  insertLeaseMs?: number
}

export type ResolvedOptions = Required<Omit<TablestoreOptions, 'retry'>> & { retry: RetryPolicy }

export const DEFAULTS = {
  tablePrefix: 'ims_',
  requestTimeoutMs: 10_000,
  retry: { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 3_000 },
  indexLagTimeoutMs: 15_000,
  ensureTables: false,
  insertLeaseMs: 10_000,
} as const

export function resolveOptions(options: TablestoreOptions): ResolvedOptions {
  for (const key of ['endpoint', 'instance', 'accessKeyId', 'accessKeySecret'] as const)
    if (!options[key]) throw new Error(`[im-search] [tablestore] the ${key} option is required`)
  const tablePrefix = options.tablePrefix ?? DEFAULTS.tablePrefix
  if (!/^[A-Za-z_][A-Za-z0-9_]*$|^$/.test(tablePrefix))
    throw new Error(`[im-search] [tablestore] tablePrefix must be letters, digits and _: ${tablePrefix}`)
  return {
    endpoint: options.endpoint,
    instance: options.instance,
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    tablePrefix,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    retry: { ...DEFAULTS.retry, ...options.retry },
    indexLagTimeoutMs: options.indexLagTimeoutMs ?? DEFAULTS.indexLagTimeoutMs,
    ensureTables: options.ensureTables ?? DEFAULTS.ensureTables,
    insertLeaseMs: options.insertLeaseMs ?? DEFAULTS.insertLeaseMs,
  }
}

/** The options without secrets, for logs. */
export function describeOptions(options: ResolvedOptions): Record<string, unknown> {
  const { accessKeyId: _id, accessKeySecret: _secret, ...rest } = options
  return { ...rest, accessKeyId: '[redacted]', accessKeySecret: '[redacted]' }
}
