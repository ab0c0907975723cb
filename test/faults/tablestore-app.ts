/**
 * @module The real HTTP app over the Tablestore adapters, pointed at an emulator whose faults the
 * tests control. Client settings are scaled down for tests (a 250 ms call timeout, millisecond
 * backoffs, a short insert lease) so that a run with hundreds of injected faults stays quick.
 */

import { TablestoreClient } from '../../adapters/tablestore/client.ts'
import { resolveOptions } from '../../adapters/tablestore/config.ts'
import {
  createTablestoreBackend,
  createTablestoreRecordStore,
  type TablestoreBackend,
  type TablestoreOptions,
  type TablestoreRecordStore,
} from '../../adapters/tablestore/index.ts'
import { batchGet, INF_MAX, INF_MIN, plainRow, readRange } from '../../adapters/tablestore/rows.ts'
import { tableNames } from '../../adapters/tablestore/schema.ts'
import type { RunningEmulator } from '../../emulator/index.ts'
import { buildApp } from '../../src/build-app.ts'
import type { Scope } from '../../src/http/context.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { createLogger } from '../../src/logger.ts'
import { emulatorOptions, STRICT, startStrictEmulator } from '../tablestore/emulator-options.ts'

const JWT_SECRET = 'fault-tests-secret-0123456789-abcdefghij'

/** How long one Tablestore call may take before the client abandons it. */
export const CALL_TIMEOUT_MS = 250

/**
 * When the indexing queue runs a task with a failed attempt again (against writes landing late):
 * after a late write can land, and after a recall has waited out the index lag (a removal first
 * waits for earlier writes to show), so that a test still sees the repair pending.
 */
export const REPAIR_DELAY_MS = CALL_TIMEOUT_MS * 6 + 4 * (STRICT.indexLagMs ?? 0)

/** Retries after a call's first attempt before the client gives up on it (and the write answers 503). */
export const MAX_RETRIES = 5

/** How long an unfinished insert's claim on its message id is left to its writer. */
export const INSERT_LEASE_MS = 2_000

export interface Reply {
  status: number
  contentType: string
  // biome-ignore lint/suspicious/noExplicitAny: bodies are asserted field by field.
  body: any
  headers: Headers
}

export interface FaultyApp {
  emu: RunningEmulator
  store: TablestoreRecordStore
  backend: TablestoreBackend
  /** Table names under this app's prefix, for faults aimed at one table. */
  tables: ReturnType<typeof tableNames>
  call(method: string, path: string, as: string, scope: Scope, body?: unknown): Promise<Reply>
  /** Rows of the message table carrying this id, orphans included (read straight from the table). */
  rawRows(conversationId: string, messageId: string): Promise<number>
  /** The claim row of a message id, read straight from the table: when claimed, and its message once named. */
  claim(messageId: string): Promise<{ claimedAt: number; sequenceId: number | undefined } | undefined>
  close(): Promise<void>
}

let apps = 0

/** Starts a strict emulator (faults off) and the app over it; tables are created on first use. */
export async function startFaultyApp(seed: number): Promise<FaultyApp> {
  const emu = await startStrictEmulator({ faultSeed: seed })
  const tablePrefix = `flt${++apps}_`
  const options: TablestoreOptions = {
    ...emulatorOptions(emu, tablePrefix),
    requestTimeoutMs: CALL_TIMEOUT_MS,
    retry: { maxRetries: MAX_RETRIES, baseDelayMs: 2, maxDelayMs: 40 },
    insertLeaseMs: INSERT_LEASE_MS,
  }
  const store = createTablestoreRecordStore(options)
  const backend = createTablestoreBackend(options)
  const { app } = buildApp({
    config: { auth: { jwtSecret: JWT_SECRET }, rateLimitPerMinute: undefined, cursorSecret: 'faults' },
    logger: createLogger({ level: 'silent' }),
    store,
    backend,
    indexRepairDelayMs: REPAIR_DELAY_MS,
  })
  const call = async (method: string, path: string, as: string, scope: Scope, body?: unknown) => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await signToken({ secret: JWT_SECRET, sub: as, scopes: [scope] })}`,
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const contentType = res.headers.get('content-type') ?? ''
    const text = await res.text()
    return {
      status: res.status,
      contentType,
      body: text && /json/.test(contentType) ? JSON.parse(text) : text,
      headers: res.headers,
    }
  }
  const tables = tableNames(tablePrefix)
  const raw = new TablestoreClient(resolveOptions(options))
  const rawRows = async (conversationId: string, messageId: string) => {
    const rows = await readRange(raw, {
      table: tables.message,
      start: { timeline_id: conversationId, sequence_id: INF_MIN() },
      end: { timeline_id: conversationId, sequence_id: INF_MAX() },
    })
    return rows.filter((r) => plainRow(r).message_id === messageId).length
  }
  const claim = async (messageId: string) => {
    const [r] = await batchGet(raw, tables.messageId, [{ message_id: messageId }])
    if (!r) return undefined
    return {
      claimedAt: Number(r.claimed_at),
      sequenceId: typeof r.sequence_id === 'number' ? r.sequence_id : undefined,
    }
  }
  return {
    emu,
    store,
    backend,
    tables,
    call,
    rawRows,
    claim,
    close: async () => {
      await backend.close()
      await store.close()
      await emu.close()
    },
  }
}
