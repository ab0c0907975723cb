/**
 * @module Both contracts and the documented behaviours the emulator models, against real
 * Tablestore, only when all four TABLESTORE_* variables are set (see .env.example; unstorage's
 * `test/drivers/s3.test.ts`), so that the first run on a real instance checks the emulator's
 * assumptions. Each backend gets its own table prefix and drops its tables when closed: the
 * instance holds 64 tables (a deployment uses 15), so they cannot pile up. Search indexes sync
 * within seconds and new tables take about a minute, so loads wait in `settle()` and property runs
 * are few.
 */
import { describe, expect, it } from 'vitest'
import { TablestoreClient } from '../../adapters/tablestore/client.ts'
import { resolveOptions } from '../../adapters/tablestore/config.ts'
import {
  createTablestoreBackend,
  createTablestoreRecordStore,
  type TablestoreOptions,
} from '../../adapters/tablestore/index.ts'
import { countTables } from '../../adapters/tablestore/quota.ts'
import { ensureTables, specsFor } from '../../adapters/tablestore/setup.ts'
import { loadConfig } from '../../src/config.ts'
import type { MessageDocument } from '../../src/ports/documents.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { messageDocument } from '../../src/services/documents.ts'
import { runRecordStoreContract } from '../contract/record-store.contract.ts'
import { runSearchBackendContract } from '../contract/search-backend.contract.ts'

const connection = loadConfig({ ...process.env, IMSEARCH_BACKEND: 'memory' }).tablestore
const run = Date.now().toString(36)
let n = 0
const options = (): TablestoreOptions & { tablePrefix: string } => ({
  ...(connection ?? { endpoint: '', instance: '', accessKeyId: '', accessKeySecret: '' }),
  tablePrefix: `imt${run}_${++n}_`,
  ensureTables: true,
  indexLagTimeoutMs: 90_000,
})

/** Drops every table (and its search indexes) of a prefix. */
async function dropDeployment(prefix: string): Promise<void> {
  const client = new TablestoreClient(resolveOptions({ ...options(), tablePrefix: prefix }))
  const { tableNames } = await client.call('listTable', {})
  for (const tableName of tableNames.filter((name) => name.startsWith(prefix))) {
    const { indices } = await client.call('listSearchIndex', { tableName })
    for (const { indexName } of indices) await client.call('deleteSearchIndex', { tableName, indexName })
    await client.call('deleteTable', { tableName })
  }
}

/** A store or backend in its own prefix whose `close()` drops its tables. */
function disposable<T extends { close(): Promise<void> }>(make: (o: TablestoreOptions) => T): T {
  const o = options()
  const made = make(o)
  const close = made.close.bind(made)
  return Object.assign(made, {
    close: async () => {
      await close()
      await dropDeployment(o.tablePrefix)
    },
  })
}

const disposableBackend = (): SearchBackend => disposable(createTablestoreBackend)

describe.skipIf(!connection)('tablestore (live)', { timeout: 900_000 }, () => {
  it('setup: a second run finds every search index as the code defines it (server defaults are not differences)', async () => {
    const o = options()
    const client = new TablestoreClient(resolveOptions(o))
    try {
      await ensureTables(client, specsFor(o.tablePrefix))
      const again = await ensureTables(client, specsFor(o.tablePrefix))
      expect(again.filter((a) => a.action !== 'exists')).toEqual([])
      expect((await countTables(client, o.tablePrefix)).deployment).toBe(15)
    } finally {
      await dropDeployment(o.tablePrefix)
    }
  })

  it('scores come back with highlighting on the empty _score column; 100 messages of 16,384 CJK characters index', async () => {
    const backend = disposableBackend()
    try {
      const content = '表格存储的批量写入有行数与字节两个上限'.repeat(900).slice(0, 16_384)
      const docs: MessageDocument[] = Array.from({ length: 100 }, (_, i) =>
        messageDocument({
          messageId: `m${i}`,
          conversationId: 'c',
          sequenceId: i,
          senderId: 'u1',
          type: 'text',
          content,
          sentAt: i,
          conversationType: 'single',
          recipients: ['u1', 'u2'],
        }),
      )
      await backend.index('messages', docs)
      await backend.settle?.()
      const page = await backend.search('messages', {
        query: { match_phrase: { field: 'content', query: '批量写入' } },
        limit: 10,
      })
      expect(page.total).toBe(100)
      for (const hit of page.hits) expect(hit.score).toBeGreaterThan(0)
    } finally {
      await backend.close()
    }
  })

  runRecordStoreContract({
    name: 'tablestore (live)',
    create: () => disposable(createTablestoreRecordStore),
    numRuns: 3,
  })
  runSearchBackendContract({
    name: 'tablestore (live)',
    create: disposableBackend,
    numRuns: 3,
  })
})
