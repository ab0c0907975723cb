/**
 * @module The adapter survives Tablestore as documented (issue #12), on the strict emulator with
 * windows long enough to matter: a new table refuses reads and writes for a while (CreateTable,
 * https://www.alibabacloud.com/help/doc-detail/27312.html), a new search index leaves out the rows
 * before it while it syncs and writes reach search late ("Search index limits",
 * https://www.alibabacloud.com/help/en/tablestore/search-index-limits), an instance holds at most
 * 64 tables, secondary indexes included ("Tablestore limits",
 * https://www.alibabacloud.com/help/en/tablestore/general-limits-of-tablestore), and a search may
 * answer from part of the index (`is_all_succeeded`, Search,
 * https://www.alibabacloud.com/help/en/tablestore/developer-reference/search).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { TablestoreClient } from '../../adapters/tablestore/client.ts'
import { resolveOptions } from '../../adapters/tablestore/config.ts'
import {
  createTablestoreBackend,
  createTablestoreRecordStore,
  type TablestoreBackend,
  type TablestoreOptions,
} from '../../adapters/tablestore/index.ts'
import { countTables, TableQuotaError } from '../../adapters/tablestore/quota.ts'
import { generationOf } from '../../adapters/tablestore/schema.ts'
import { specsFor } from '../../adapters/tablestore/setup.ts'
import type { EmulatorOptions, RunningEmulator } from '../../emulator/index.ts'
import type { UserDocument } from '../../src/ports/documents.ts'
import { BackendUnavailableError } from '../../src/ports/search-backend.ts'
import { nameFields } from '../../src/services/documents.ts'
import { IndexQueue } from '../../src/services/index-queue.ts'
import { Ingestion } from '../../src/services/ingestion.ts'
import { emulatorOptions, startStrictEmulator } from './emulator-options.ts'

const user = (n: number): UserDocument => ({
  userId: `u${String(n).padStart(3, '0')}`,
  ...nameFields(n % 2 ? `张伟 ${n}` : `William ${n}`),
  tags: [],
  discoverable: true,
})
const USERS = Array.from({ length: 30 }, (_, n) => user(n))

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close()
})

let prefixes = 0
async function world(emulator: EmulatorOptions = {}, adapter: Partial<TablestoreOptions> = {}) {
  const emu = await startStrictEmulator(emulator)
  open.push(emu)
  const options = {
    ...emulatorOptions(emu, `sv${++prefixes}_`),
    generationTtlMs: 50,
    rebuildGraceMs: 100,
    ...adapter,
  }
  const backend = createTablestoreBackend(options)
  open.push(backend)
  const client = new TablestoreClient(resolveOptions(options))
  return { emu, options, backend, client }
}

async function everyone(backend: TablestoreBackend): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = []
  let total = -1
  let after: string | undefined
  do {
    const page = await backend.search('users', { query: { match_all: {} }, limit: 7, after })
    ids.push(...page.hits.map((hit) => hit.id))
    total = page.total
    after = page.next
  } while (after)
  return { ids: ids.sort(), total }
}

const rebuildUsers = (backend: TablestoreBackend) =>
  backend.rebuild('users', {
    documents: async function* () {
      yield USERS
    },
  })

async function userTables(emu: RunningEmulator, prefix: string): Promise<number[]> {
  const client = new TablestoreClient(resolveOptions(emulatorOptions(emu, prefix)))
  const { tableNames } = await client.call('listTable', {})
  return tableNames
    .map((name) => generationOf(prefix, 'users', name))
    .filter((g): g is number => g !== undefined)
    .sort()
}

describe('Tablestore as documented: the adapter survives it', () => {
  it('new tables that refuse reads and writes for a while: the first writes wait for them, nothing fails', async () => {
    const { backend, emu } = await world({ tableReadyMs: 400, indexLagMs: 100 })
    await backend.index('users', USERS)
    await backend.settle()
    expect(await everyone(backend)).toEqual({ ids: USERS.map((u) => u.userId).sort(), total: USERS.length })
    // The readiness was waited for by reading, not by writing into refusals.
    expect(emu.requestCounts().GetRange ?? 0).toBeGreaterThan(0)
  })

  it('a service started on a new deployment ingests at once: no dead letters while the tables get ready', async () => {
    const { emu, options } = await world({ tableReadyMs: 400, indexLagMs: 100 })
    const store = createTablestoreRecordStore(options)
    open.push(store)
    const backend = createTablestoreBackend(options)
    open.push(backend)
    const queue = new IndexQueue({ store, backend })
    const ingestion = new Ingestion({ store, backend, queue })
    for (let n = 0; n < 5; n++)
      await ingestion.postMessage({
        messageId: `m${n}`,
        conversationId: 'dm-1',
        senderId: 'u1',
        type: 'text',
        content: `新部署的第${n}条消息`,
        recipients: ['u2'],
      })
    expect(queue.status().deadLetters).toEqual([])
    await backend.settle()
    const page = await backend.search('messages', {
      query: { match_phrase: { field: 'content', query: '新部署' } },
      limit: 10,
    })
    expect(page.total).toBe(5)
    expect(emu.requestCounts().CreateTable).toBeGreaterThan(0)
  })

  it('a rebuild waits for its new table and its new index to catch up, then swaps; search never misses a row', async () => {
    const { backend } = await world({ tableReadyMs: 300, indexReadyMs: 400, indexLagMs: 150 })
    await backend.index('users', USERS)
    await backend.settle()
    const rebuilt = rebuildUsers(backend)
    // Meanwhile the live generation answers in full.
    expect((await everyone(backend)).total).toBe(USERS.length)
    expect(await rebuilt).toBe(2)
    expect(await backend.stats('users')).toEqual({
      documents: USERS.length,
      generation: 2,
      rebuilding: false,
    })
    expect(await everyone(backend)).toEqual({ ids: USERS.map((u) => u.userId).sort(), total: USERS.length })
  })

  it('rebuild after rebuild leaves the live generation and at most one previous one', async () => {
    const { backend, emu, options } = await world()
    await backend.index('users', USERS)
    await backend.settle()
    for (let i = 0; i < 3; i++) await rebuildUsers(backend)
    expect(await userTables(emu, options.tablePrefix ?? '')).toEqual([3, 4])
    expect((await everyone(backend)).total).toBe(USERS.length)
  })

  it('a rebuild that would pass the table quota (64) is refused before it creates anything', async () => {
    const { backend, client, options, emu } = await world({ maxTables: 64 }, { tableQuota: 64 })
    await backend.index('users', USERS.slice(0, 3))
    await backend.settle()
    // Other deployments fill the instance up to Tablestore's quota.
    const used = await countTables(client, options.tablePrefix ?? '')
    for (let i = used.instance; i < 64; i++)
      await client.call('createTable', {
        tableMeta: { tableName: `other_${i}`, primaryKey: [{ name: 'id', type: 'STRING' }] },
        reservedThroughput: { capacityUnit: { read: 0, write: 0 } },
        tableOptions: { timeToLive: -1, maxVersions: 1 },
      })
    const before = (await client.call('listTable', {})).tableNames.sort()
    const refused = await rebuildUsers(backend).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(TableQuotaError)
    expect(String((refused as Error).message)).toMatch(/64 of its 64/)
    expect((await client.call('listTable', {})).tableNames.sort()).toEqual(before)
    expect(await backend.stats('users')).toEqual({ documents: 3, generation: 1, rebuilding: false })
    expect(await userTables(emu, options.tablePrefix ?? '')).toEqual([1])
  })

  it('the tables a deployment uses are counted as the quota counts them, secondary indexes included', async () => {
    const { client, options } = await world()
    const { ensureTables } = await import('../../adapters/tablestore/setup.ts')
    const prefix = options.tablePrefix ?? ''
    await ensureTables(client, specsFor(prefix))
    const expected = specsFor(prefix).reduce((n, spec) => n + 1 + (spec.secondaryIndexes?.length ?? 0), 0)
    expect(await countTables(client, prefix)).toEqual({ instance: expected, deployment: expected })
  })

  it('a search answered from part of the index is asked again: never a short page or a lowered total', async () => {
    const { backend, emu } = await world()
    await backend.index('users', USERS)
    await backend.settle()
    const whole = await everyone(backend)
    emu.faults.inject({ kind: 'partial', operations: ['Search'], count: 3 })
    expect(await everyone(backend)).toEqual(whole)
    expect(emu.faults.counts().partial).toBe(3)
  })

  it('a search that keeps answering from part of the index fails as unavailable (503), bounded', async () => {
    const { backend, emu } = await world()
    await backend.index('users', USERS)
    await backend.settle()
    emu.faults.inject({ kind: 'partial', operations: ['Search'] })
    const failed = await backend
      .search('users', { query: { match_all: {} }, limit: 10 })
      .catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(BackendUnavailableError)
    // The first answer and three more (`partialRetries`), then the error.
    expect(emu.faults.counts().partial).toBe(4)
  })
})
