/**
 * @module A child process for the snapshot crash test (issue 15): starts as `npm start` does on
 * the embedded backend (snapshot loaded and brought up to date, or indexes rebuilt), snapshots
 * every few changes, and writes as fast as it can: messages, recalls, and renames of a user whose
 * name contact rows show. It prints `ready <mode> <replayed>`, `ack <id> <seq>`, `recalling <id>`, `recalled <id>`,
 * `renamed <name>`, `saving` (a snapshot begins) and `saved`; the parent kills it with SIGKILL at
 * moments it picks from those lines. `snapshot-child.ts <dir> <prefix>`.
 */
import { join } from 'node:path'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import type { IndexSnapshots } from '../../src/ports/index-snapshots.ts'
import { createServices } from '../../src/services/index.ts'
import { IndexSnapshotter } from '../../src/services/index-snapshotter.ts'
import { startIndexes } from '../../src/services/index-startup.ts'
import { crashMessage } from './crash-message.ts'

const [dir, prefix] = process.argv.slice(2)
if (!dir || !prefix) throw new Error('usage: snapshot-child.ts <dir> <prefix>')
/** The ids' prefix, checked above (a closure does not keep the check's narrowing). */
const idPrefix: string = prefix
const say = (line: string) => process.stdout.write(`${line}\n`)

const store = new LmdbRecordStore(dir)
const backend = createMemoryBackend({ snapshotDir: join(dir, 'index-snapshot') })
const snapshots = backend.snapshots as IndexSnapshots
// Told when a save begins, so that the parent can kill the child while the snapshot is written.
const save = snapshots.save.bind(snapshots)
snapshots.save = (marker) => {
  say('saving')
  return save(marker)
}
const startup = await startIndexes({ store, backend, feed: store })
const services = createServices({ store, backend })
const snapshotter = new IndexSnapshotter({
  snapshots,
  feed: store,
  writes: services.writes,
  queue: services.queue,
  covered: startup.covered,
  policy: { everyChanges: 20, maxAgeMs: 1_000, checkEveryMs: 5 },
  onSaved: () => say('saved'),
  onFailed: (error) => {
    throw error
  },
})
const { ingestion } = services
for (const [userId, name] of [
  ['u1', '张伟'],
  ['u2', '李娜'],
  ['u3', 'Wei Zhang'],
] as const)
  if (!(await store.getUser(userId)))
    await ingestion.putUser(userId, { name, tags: [], discoverable: true, profile: {} })
if (!(await store.getGroup('g1')))
  await ingestion.putGroup('g1', {
    name: '崩溃测试群',
    description: '周末徒步 hiking',
    tags: [],
    visibility: 'public',
    ownerId: 'u1',
  })
await ingestion.addMember('g1', 'u2')
await ingestion.putContact('u1', 'u2', {})
await ingestion.putContact('u3', 'u2', { nickname: '娜娜' })
snapshotter.start()
say(`ready ${startup.mode} ${startup.replayed}`)

let next = 0
async function worker(): Promise<void> {
  for (;;) {
    const i = next++
    if (i % 11 === 10) {
      const name = i % 22 === 10 ? '李四' : '李娜'
      await ingestion.putUser('u2', { name, tags: [], discoverable: true, profile: {} })
      say(`renamed ${name}`)
    } else if (i % 7 === 6) {
      const id = `${prefix}-${i - 6}`
      if (await store.getMessage(id)) {
        // Said first: a recall the kill cuts short may still have removed the message.
        say(`recalling ${id}`)
        await ingestion.recallMessage(id)
        say(`recalled ${id}`)
      }
    } else {
      const { receipt } = await ingestion.postMessage(crashMessage(idPrefix, i))
      say(`ack ${receipt.messageId} ${receipt.sequenceId}`)
    }
  }
}
await Promise.all([worker(), worker(), worker(), worker()])
