/**
 * @module A child process for the crash tests: ingests messages as fast as it can, four at a time,
 * and prints `ack <messageId> <sequenceId>` for each acknowledged write. The parent kills it with
 * SIGKILL at a random moment. The store is the embedded one in an LMDB directory, or Tablestore
 * (the parent's emulator) with its search backend: `ingest-child.ts <store> <prefix>`, where
 * `<store>` is a directory or the JSON of the Tablestore options.
 */

import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import {
  createTablestoreBackend,
  createTablestoreRecordStore,
  type TablestoreOptions,
} from '../../adapters/tablestore/index.ts'
import { errorOfRefusal } from '../../src/services/errors.ts'
import { Ingestion } from '../../src/services/ingestion.ts'
import { crashMessage, GROUP_MEMBERS } from './crash-message.ts'

const [where, prefix] = process.argv.slice(2)
if (!where || !prefix) throw new Error('usage: ingest-child.ts <dir | tablestore options JSON> <prefix>')
/** The ids' prefix, checked above (a closure does not keep the check's narrowing). */
const idPrefix: string = prefix
const tablestore = where.startsWith('{') ? (JSON.parse(where) as TablestoreOptions) : undefined
const ingestion = tablestore
  ? new Ingestion({
      store: createTablestoreRecordStore(tablestore),
      backend: createTablestoreBackend(tablestore),
    })
  : new Ingestion({ store: new LmdbRecordStore(where), backend: createMemoryBackend() })
await ingestion.putGroup('g1', {
  name: '崩溃测试群',
  description: '',
  tags: [],
  visibility: 'public',
  ownerId: 'u1',
})
// Four members and more: the embedded store keeps such a list once and names it from the rows.
for (const member of GROUP_MEMBERS) await ingestion.addMember('g1', member)
process.stdout.write('ready\n')

let next = 0
async function worker(): Promise<void> {
  for (;;) {
    const i = next++
    const { receipt } = await ingestion.postMessage(crashMessage(idPrefix, i))
    process.stdout.write(`ack ${receipt.messageId} ${receipt.sequenceId}\n`)
  }
}
/** Batches of four, one store write each: acknowledged together once committed. */
async function batchWorker(): Promise<void> {
  for (;;) {
    const inputs = [0, 1, 2, 3].map(() => crashMessage(idPrefix, next++))
    for (const item of await ingestion.postMessages(inputs)) {
      if (!('outcome' in item)) throw errorOfRefusal(item.refusal)
      const { receipt } = item.outcome
      process.stdout.write(`ack ${receipt.messageId} ${receipt.sequenceId}\n`)
    }
  }
}
/** A member joins and leaves g1 all along, so its messages name a new recipient list each time. */
async function churn(): Promise<void> {
  for (;;) {
    await ingestion.addMember('g1', 'u6')
    await ingestion.removeMember('g1', 'u6')
  }
}
await Promise.all([worker(), worker(), batchWorker(), batchWorker(), churn()])
