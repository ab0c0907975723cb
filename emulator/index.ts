/**
 * @module Local Tablestore emulator: an HTTP server that the unmodified `tablestore` SDK talks to.
 *
 * @example
 * const emu = await startEmulator({ port: 0 })
 * const client = new TableStore.Client({ accessKeyId: emu.accessKeyId, secretAccessKey: emu.accessKeySecret,
 *   endpoint: emu.endpoint, instancename: emu.instanceName, maxRetries: 0 })
 * // … use the client …
 * await emu.close()
 */
import type { AddressInfo } from 'node:net'
import { FaultInjector, type FaultRule } from './faults.ts'
import type { EmulatorState } from './ops/context.ts'
import { SearchRegistry } from './search/registry.ts'
import { ScanSessions } from './search/scan-sessions.ts'
import type { IndexingFailure } from './search/search-index.ts'
import type { RequestRecord } from './server.ts'
import { createEmulatorServer } from './server.ts'
import { Catalog } from './store/catalog.ts'

export type { FaultEvent, FaultKind, FaultRule } from './faults.ts'
export { FAULT_KINDS, FaultInjector, parseFaultSpec } from './faults.ts'
export { SUPPORTED_OPERATIONS } from './router.ts'
export type { IndexingFailure } from './search/search-index.ts'
export type { RequestRecord } from './server.ts'

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 picks a free port. @default 8900 */
  port?: number
  /** Interface to bind. @default '127.0.0.1' */
  host?: string
  /** AccessKey ID the SDK must sign with. @default 'emulator' */
  accessKeyId?: string
  /** AccessKey secret used to check signatures. @default 'emulator-secret' */
  accessKeySecret?: string
  /** Instance name the SDK must send (`instancename`). @default 'imsearch' */
  instanceName?: string
  /** Milliseconds before a write becomes visible to Search/ParallelScan (production is asynchronous). @default 0 */
  indexLagMs?: number
  /**
   * Milliseconds after CreateTable during which reads and writes of the table answer
   * 503 OTSTableNotReady (production: "in most cases" about a minute). @default 0
   */
  tableReadyMs?: number
  /**
   * Milliseconds after CreateSearchIndex during which the index answers without the rows that existed
   * before it (its full sync; production: up to a minute). @default 0
   */
  indexReadyMs?: number
  /**
   * Milliseconds a global secondary index trails its table (production: asynchronous, "usually within
   * milliseconds"); local secondary indexes stay synchronous. @default 0
   */
  secondaryIndexLagMs?: number
  /** Tables the instance may hold, secondary index tables included (production: 64). @default 64 */
  maxTables?: number
  /**
   * The clock (ms since the epoch) behind readiness windows and index lag, so a test can move time on
   * instead of waiting for it. Request signatures are always checked against the real time.
   * @default Date.now
   */
  clock?: () => number
  /** Seed of the PRNG that decides which requests get injected faults. @default 1 */
  faultSeed?: number
  /** Fault rules active from the start (more can be added with `faults.inject`). @default none */
  faults?: readonly FaultRule[]
}

export const DEFAULT_PORT = 8900
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_ACCESS_KEY_ID = 'emulator'
export const DEFAULT_ACCESS_KEY_SECRET = 'emulator-secret'
export const DEFAULT_INSTANCE_NAME = 'imsearch'
/** General limits: 64 tables per instance, index tables included. */
export const DEFAULT_MAX_TABLES = 64

/** A running emulator. */
export interface RunningEmulator {
  /** `http://host:port`, ready for the SDK's `endpoint`. */
  readonly endpoint: string
  readonly port: number
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly instanceName: string
  readonly indexLagMs: number
  readonly tableReadyMs: number
  readonly indexReadyMs: number
  readonly secondaryIndexLagMs: number
  readonly maxTables: number
  /** Every request handled so far (operation, HTTP status, OTS error code). */
  readonly requests: readonly RequestRecord[]
  /**
   * Requests received per operation since the start or the last {@link resetRequestCounts}, every
   * round trip included (refused, faulted and dropped ones too): `{ Search: 2, BatchWriteRow: 1 }`.
   */
  requestCounts(): Record<string, number>
  /** Starts the per-operation request counts from zero. */
  resetRequestCounts(): void
  /** Rows search indexes refused (bad JSON, type mismatch, arrays over 256 elements, …). */
  indexingFailures(): IndexingFailure[]
  /** Injected throttling, timeouts and dropped connections (see `faults.ts`). */
  readonly faults: FaultInjector
  /** Stops listening and drops keep-alive connections. */
  close(): Promise<void>
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`[im-search] [tablestore-emulator] ${name} must be a number >= 0, got ${value}`)
  return value
}

/** Starts the emulator and resolves once it is listening. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? DEFAULT_HOST
  const accessKeyId = opts.accessKeyId ?? DEFAULT_ACCESS_KEY_ID
  const accessKeySecret = opts.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET
  const instanceName = opts.instanceName ?? DEFAULT_INSTANCE_NAME
  const indexLagMs = nonNegative('indexLagMs', opts.indexLagMs ?? 0)
  const tableReadyMs = nonNegative('tableReadyMs', opts.tableReadyMs ?? 0)
  const indexReadyMs = nonNegative('indexReadyMs', opts.indexReadyMs ?? 0)
  const maxTables = nonNegative('maxTables', opts.maxTables ?? DEFAULT_MAX_TABLES)
  const secondaryIndexLagMs = nonNegative('secondaryIndexLagMs', opts.secondaryIndexLagMs ?? 0)
  const state: EmulatorState = {
    catalog: new Catalog(),
    search: new SearchRegistry(),
    scans: new ScanSessions(),
    indexLagMs,
    tableReadyMs,
    indexReadyMs,
    secondaryIndexLagMs,
    maxTables,
    now: opts.clock ?? (() => Date.now()),
  }
  const requests: RequestRecord[] = []
  const counts = new Map<string, number>()
  const faults = new FaultInjector(opts.faultSeed)
  for (const rule of opts.faults ?? []) faults.inject(rule)
  const server = createEmulatorServer({
    auth: { accessKeyId, accessKeySecret, instanceName },
    state,
    onRequest: (r) => requests.push(r),
    onOperation: (op) => counts.set(op, (counts.get(op) ?? 0) + 1),
    faults,
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new Error(`[im-search] [tablestore-emulator] cannot listen on ${host}:${opts.port ?? DEFAULT_PORT}`, {
          cause: err,
        }),
      ),
    )
    server.listen(opts.port ?? DEFAULT_PORT, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const urlHost = host.includes(':') ? `[${host}]` : host
  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    accessKeyId,
    accessKeySecret,
    instanceName,
    indexLagMs,
    tableReadyMs,
    indexReadyMs,
    secondaryIndexLagMs,
    maxTables,
    requests,
    requestCounts: () => Object.fromEntries(counts),
    resetRequestCounts: () => counts.clear(),
    faults,
    indexingFailures: () => state.search.all().flatMap((i) => i.failures),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }),
  }
}
