/**
 * @module Bounded waits for what Tablestore does asynchronously: a new table becoming readable
 * and writable, a search index showing what its table holds. Each polls a condition (5 ms growing
 * to 1 s) until it holds or its bound passes; never a blind sleep.
 */
import type { TablestoreClient } from './client.ts'
import { BackendUnavailableError, TablestoreError } from './errors.ts'
import { cells, INF_MAX, INF_MIN } from './rows.ts'
import type { TableSpec } from './schema.ts'

export interface PollOptions {
  timeoutMs: number
  /** What is waited for, for the error past the bound: "the table x to be ready". */
  what: string
  /** @default 1000 */
  maxIntervalMs?: number
  signal?: AbortSignal
}

/** Polls `check` until it holds; past `timeoutMs`, throws a TablestoreError naming `what`. */
export async function pollUntil(check: () => Promise<boolean>, options: PollOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs
  let wait = 5
  while (!(await check())) {
    options.signal?.throwIfAborted()
    if (Date.now() > deadline)
      throw new TablestoreError(
        `gave up waiting for ${options.what} after ${options.timeoutMs} ms`,
        'wait',
        undefined,
        undefined,
      )
    await new Promise((resolve) => setTimeout(resolve, wait))
    wait = Math.min(options.maxIntervalMs ?? 1_000, Math.ceil(wait * 1.5))
  }
}

/**
 * Waits until a new table answers reads. "After a data table is created, it takes about one
 * minute to load ... reads and writes on it fail during that time" (CreateTable,
 * https://www.alibabacloud.com/help/doc-detail/27312.html); the refusal is retryable, so a refused
 * or unanswered read (what the client gives up on as BackendUnavailableError) means "not yet".
 */
export async function waitTableReady(
  client: TablestoreClient,
  spec: Pick<TableSpec, 'name' | 'primaryKey'>,
  timeoutMs: number,
): Promise<void> {
  const bound = (value: () => object) =>
    cells(Object.fromEntries(spec.primaryKey.map((pk) => [pk.name, value()])))
  await pollUntil(
    async () => {
      try {
        await client.call('getRange', {
          tableName: spec.name,
          direction: 'FORWARD',
          inclusiveStartPrimaryKey: bound(INF_MIN),
          exclusiveEndPrimaryKey: bound(INF_MAX),
          limit: 1,
          maxVersions: 1,
        })
        return true
      } catch (error) {
        if (error instanceof BackendUnavailableError) return false
        throw error
      }
    },
    { timeoutMs, what: `the new table ${spec.name} to take reads and writes` },
  )
}
