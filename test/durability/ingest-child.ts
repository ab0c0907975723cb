/**
 * @module A child process for the crash test: ingests messages into an LMDB store as fast as it
 * can, four at a time, and prints `ack <messageId> <sequenceId>` for each acknowledged write. The
 * parent kills it with SIGKILL at a random moment.
 */

import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { Ingestion } from '../../src/services/ingestion.ts'

const [dir, prefix] = process.argv.slice(2)
if (!dir || !prefix) throw new Error('usage: ingest-child.ts <dir> <prefix>')
const store = new LmdbRecordStore(dir)
const ingestion = new Ingestion({ store, backend: createMemoryBackend() })
await ingestion.putGroup('g1', {
  name: '崩溃测试群',
  description: '',
  tags: [],
  visibility: 'public',
  ownerId: 'u1',
})
await ingestion.addMember('g1', 'u2')
process.stdout.write('ready\n')

let next = 0
async function worker(): Promise<void> {
  for (;;) {
    const i = next++
    const group = i % 2 === 0
    const { receipt } = await ingestion.postMessage({
      messageId: `${prefix}-${i}`,
      conversationId: group ? 'g1' : 'dm:u1:u3',
      senderId: 'u1',
      type: 'text',
      content: `第 ${i} 条消息 message ${i}`,
      ...(group ? {} : { recipients: ['u3'] }),
    })
    process.stdout.write(`ack ${receipt.messageId} ${receipt.sequenceId}\n`)
  }
}
await Promise.all([worker(), worker(), worker(), worker()])
