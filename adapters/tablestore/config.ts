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
   * Searches asked again after an answer from part of the index (`is_all_succeeded: false`),
   * with the retry policy's backoff, before the search fails as unavailable (503).
   * @default 3
   */
  partialRetries?: number
  /**
   * How long a new table may take to take reads and writes after CreateTable (Tablestore: "about
   * one minute"); setup and rebuilds wait for it, bounded by this, before they write.
   * @default 120000
   */
  tableReadyTimeoutMs?: number
  /**
   * How long a rebuild (or a migrated search index) may take to show what was written to its new
   * table before the swap: a new search index initialises for up to a minute and a burst of
   * first writes can lag for minutes. Past it the rebuild fails and the live generation stays.
   * @default 600000
   */
  indexCatchUpTimeoutMs?: number
  /**
   * The instance's table quota (data and secondary index tables): a rebuild that would pass it is
   * refused before it creates anything. Tablestore's default; raised by a ticket.
   * @default 64
   */
  tableQuota?: number
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
  /**
   * How long a backend trusts what it last read of an index's generations (the live one, and the
   * one a rebuild is filling) before reading the `reindex_job` row again. Every replica's writes
   * follow a rebuild that another replica starts within this long.
   * @default 1000
   */
  generationTtlMs?: number
  /**
   * How long a rebuild waits after announcing itself before it reads the record store: longer
   * than `generationTtlMs`, so that by then every replica writes to the new generation too.
   * @default generationTtlMs + 1000
   */
  rebuildGraceMs?: number
  /**
   * A rebuild whose heartbeat is older than this was abandoned by a stopped process: another one
   * may take it over. Many heartbeats long (a beat every quarter of it) and above clock skew;
   * the service passes `IMSEARCH_REINDEX_STALE_MS`.
   * @default 30000
   */
  rebuildStaleMs?: number
}

export type ResolvedOptions = Required<Omit<TablestoreOptions, 'retry'>> & { retry: RetryPolicy }

export const DEFAULTS = {
  tablePrefix: 'ims_',
  requestTimeoutMs: 10_000,
  retry: { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 3_000 },
  indexLagTimeoutMs: 15_000,
  partialRetries: 3,
  tableReadyTimeoutMs: 120_000,
  indexCatchUpTimeoutMs: 600_000,
  tableQuota: 64,
  ensureTables: false,
  insertLeaseMs: 10_000,
  generationTtlMs: 1_000,
  /** Added to `generationTtlMs` for the default grace: clock rates, scheduling, a slow row read. */
  graceMarginMs: 1_000,
  rebuildStaleMs: 30_000,
} as const

export function resolveOptions(options: TablestoreOptions): ResolvedOptions {
  for (const key of ['endpoint', 'instance', 'accessKeyId', 'accessKeySecret'] as const)
    if (!options[key]) throw new Error(`[im-search] [tablestore] the ${key} option is required`)
  const tablePrefix = options.tablePrefix ?? DEFAULTS.tablePrefix
  if (!/^[A-Za-z_][A-Za-z0-9_]*$|^$/.test(tablePrefix))
    throw new Error(`[im-search] [tablestore] tablePrefix must be letters, digits and _: ${tablePrefix}`)
  const generationTtlMs = options.generationTtlMs ?? DEFAULTS.generationTtlMs
  const rebuildGraceMs = options.rebuildGraceMs ?? generationTtlMs + DEFAULTS.graceMarginMs
  // The multi-replica rebuild is correct only if the grace outlasts every replica's cached view.
  if (rebuildGraceMs <= generationTtlMs)
    throw new Error('[im-search] [tablestore] rebuildGraceMs must be longer than generationTtlMs')
  return {
    endpoint: options.endpoint,
    instance: options.instance,
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    tablePrefix,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    retry: { ...DEFAULTS.retry, ...options.retry },
    indexLagTimeoutMs: options.indexLagTimeoutMs ?? DEFAULTS.indexLagTimeoutMs,
    partialRetries: options.partialRetries ?? DEFAULTS.partialRetries,
    tableReadyTimeoutMs: options.tableReadyTimeoutMs ?? DEFAULTS.tableReadyTimeoutMs,
    indexCatchUpTimeoutMs: options.indexCatchUpTimeoutMs ?? DEFAULTS.indexCatchUpTimeoutMs,
    tableQuota: options.tableQuota ?? DEFAULTS.tableQuota,
    ensureTables: options.ensureTables ?? DEFAULTS.ensureTables,
    insertLeaseMs: options.insertLeaseMs ?? DEFAULTS.insertLeaseMs,
    generationTtlMs,
    rebuildGraceMs,
    rebuildStaleMs: options.rebuildStaleMs ?? DEFAULTS.rebuildStaleMs,
  }
}

/** The options without secrets, for logs. */
export function describeOptions(options: ResolvedOptions): Record<string, unknown> {
  const { accessKeyId: _id, accessKeySecret: _secret, ...rest } = options
  return { ...rest, accessKeyId: '[redacted]', accessKeySecret: '[redacted]' }
}
