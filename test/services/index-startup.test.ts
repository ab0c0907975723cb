/**
 * @module Start-up with index snapshots (issue 15): a snapshot the records can bring up to date
 * is loaded and the changes after it replayed; one that is missing, torn, of another data dir,
 * ahead of the records or behind the listed changes is refused with the reason, and the indexes
 * are rebuilt and saved again. Every start answers like indexes rebuilt from the records.
 */
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { FORMAT_VERSION } from '../../adapters/memory/snapshot/format.ts'
import { createServices } from '../../src/services/index.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
import { type IndexStartup, startIndexes } from '../../src/services/index-startup.ts'
import { indexAnswers } from '../durability/index-answers.ts'

const root = mkdtempSync(join(tmpdir(), 'imsearch-startup-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let dirs = 0
const freshDir = () => join(root, String(dirs++))
const snapshotDir = (dir: string) => join(dir, 'index-snapshot')

/** Starts on `dir` as `npm start` does, checks the answers against a rebuild, and closes. */
async function start(
  dir: string,
  write?: (services: ReturnType<typeof createServices>, store: LmdbRecordStore) => Promise<void>,
): Promise<IndexStartup> {
  const store = new LmdbRecordStore(dir)
  try {
    const backend = createMemoryBackend({ snapshotDir: snapshotDir(dir) })
    const startup = await startIndexes({ store, backend, feed: store })
    const oracle = createMemoryBackend()
    await buildIndexes(store, oracle)
    expect(await indexAnswers(backend)).toEqual(await indexAnswers(oracle))
    await write?.(createServices({ store, backend }), store)
    return startup
  } finally {
    await store.close()
  }
}

/** Saves a snapshot of what `dir` holds now (what the snapshotter does). */
async function snapshot(dir: string): Promise<void> {
  const store = new LmdbRecordStore(dir)
  try {
    const backend = createMemoryBackend({ snapshotDir: snapshotDir(dir) })
    await buildIndexes(store, backend)
    await backend.snapshots?.save({ storeId: store.storeId, covered: store.lastChange() })
  } finally {
    await store.close()
  }
}

async function post(services: ReturnType<typeof createServices>, from: number, to: number) {
  for (let i = from; i < to; i++)
    await services.ingestion.postMessage({
      messageId: `m${i}`,
      conversationId: 'dm:u1:u3',
      senderId: 'u1',
      type: 'text',
      content: `第 ${i} 条消息 message ${i}`,
      recipients: ['u3'],
    })
}

async function people(services: ReturnType<typeof createServices>) {
  await services.ingestion.putUser('u1', { name: '张伟', tags: [], discoverable: true, profile: {} })
  await services.ingestion.putUser('u2', { name: '李娜', tags: [], discoverable: true, profile: {} })
  await services.ingestion.putContact('u1', 'u2', {})
}

/** Writes the people and messages `m0`…`m{count - 1}`: a start's `write`. */
const peopleAndMessages = (count: number) => async (services: ReturnType<typeof createServices>) => {
  await people(services)
  await post(services, 0, count)
}

describe('start-up with index snapshots', () => {
  it('rebuilds an empty data dir and saves a snapshot, which the next start loads', async () => {
    const dir = freshDir()
    const first = await start(dir, peopleAndMessages(30))
    expect(first).toMatchObject({ mode: 'rebuilt', replayed: 0 })
    expect(first.reason).toBeTruthy()
    // The writes after the first snapshot are replayed: 3 people changes (2 users, 2 contact rows) + 30.
    const second = await start(dir)
    expect(second).toMatchObject({ mode: 'snapshot', replayed: 34 })
  })

  it('replays records written without reaching the indexes (a crash between the two), renames included', async () => {
    const dir = freshDir()
    await start(dir, peopleAndMessages(10))
    await snapshot(dir)
    // Written to the store only: as if the process died before the index tasks ran.
    const store = new LmdbRecordStore(dir)
    await store.putUser({ userId: 'u2', name: '李四', tags: [], discoverable: true, profile: {} })
    await store.deleteMessage('m3')
    await store.close()
    const restarted = await start(dir, async (_services, store) => {
      expect((await store.getUser('u2'))?.name).toBe('李四')
    })
    expect(restarted).toMatchObject({ mode: 'snapshot', replayed: 2 })
  })

  it('refuses a snapshot copied from another data dir', async () => {
    const [mine, theirs] = [freshDir(), freshDir()]
    await start(mine, (services) => post(services, 0, 5))
    await start(theirs, (services) => post(services, 0, 8))
    rmSync(snapshotDir(mine), { recursive: true })
    cpSync(snapshotDir(theirs), snapshotDir(mine), { recursive: true })
    const refused = await start(mine)
    expect(refused.mode).toBe('rebuilt')
    expect(refused.reason).toMatch(/another data dir/)
    expect(await start(mine)).toMatchObject({ mode: 'snapshot', replayed: 0 })
  })

  it('refuses a snapshot ahead of the records (records restored from an older copy)', async () => {
    const dir = freshDir()
    await start(dir, (services) => post(services, 0, 5))
    const older = freshDir()
    cpSync(dir, older, { recursive: true })
    await start(dir, (services) => post(services, 5, 12))
    await snapshot(dir)
    rmSync(snapshotDir(older), { recursive: true })
    cpSync(snapshotDir(dir), snapshotDir(older), { recursive: true })
    const refused = await start(older)
    expect(refused.mode).toBe('rebuilt')
    expect(refused.reason).toMatch(/older backup/)
  })

  it('refuses a snapshot older than the changes still listed', async () => {
    const dir = freshDir()
    await start(dir, (services) => post(services, 0, 5))
    const kept = freshDir()
    cpSync(snapshotDir(dir), kept, { recursive: true })
    await start(dir, (services) => post(services, 5, 12))
    // A newer snapshot prunes the changes the kept one would need.
    const store = new LmdbRecordStore(dir)
    await store.pruneChanges(store.lastChange())
    await store.close()
    rmSync(snapshotDir(dir), { recursive: true })
    cpSync(kept, snapshotDir(dir), { recursive: true })
    const refused = await start(dir)
    expect(refused.mode).toBe('rebuilt')
    expect(refused.reason).toMatch(/no longer listed/)
  })

  it('rebuilds over a snapshot an older build wrote (an earlier format), and the next start loads the new one', async () => {
    const dir = freshDir()
    await start(dir, peopleAndMessages(10))
    await snapshot(dir)
    const [name] = readdirSync(snapshotDir(dir)).filter((n) => n.startsWith('snapshot-'))
    const manifestPath = join(snapshotDir(dir), name as string, 'manifest.json')
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, format: FORMAT_VERSION - 1 }))
    const refused = await start(dir)
    expect(refused.mode).toBe('rebuilt')
    expect(refused.reason).toMatch(
      new RegExp(`format version ${FORMAT_VERSION - 1}, this build reads version ${FORMAT_VERSION}`),
    )
    expect(await start(dir)).toMatchObject({ mode: 'snapshot', replayed: 0 })
  })

  it('refuses a torn snapshot and says why', async () => {
    const dir = freshDir()
    await start(dir, peopleAndMessages(20))
    const largest = largestFile(snapshotDir(dir))
    truncateSync(largest, Math.floor(statSync(largest).size / 2))
    const refused = await start(dir)
    expect(refused.mode).toBe('rebuilt')
    expect(refused.reason).toBeTruthy()
    expect(await start(dir)).toMatchObject({ mode: 'snapshot' })
  })
})

function largestFile(dir: string): string {
  let best = { path: '', size: -1 }
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    const size = statSync(path).size
    if (size > best.size) best = { path, size }
  }
  return best.path
}
