/**
 * @module Index snapshots on disk: a missing, torn, corrupt, foreign or half-written snapshot is
 * refused with a reason and leaves the indexes empty; a crashed save's leftovers do not hide the
 * previous whole snapshot; a save captures the indexes as they were when it was called, whatever
 * is written while it runs.
 */

import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { FORMAT_VERSION } from '../../adapters/memory/snapshot/format.ts'
import type { SearchRequest } from '../../src/ports/search-backend.ts'
import type { IndexName } from '../../src/query/index-schemas.ts'
import { messageDocument, userDocument } from '../../src/services/documents.ts'
import { T0 } from '../contract/fixtures.ts'

const CONTENTS = ['我家在上海东边', 'JWT 解析失败了', '上海 api 测试', 'pdf 文件在这里', '明天见 see you']

function message(i: number) {
  return messageDocument({
    messageId: `m${i}`,
    conversationId: `c${i % 3}`,
    conversationType: 'group',
    senderId: `u${i % 4}`,
    recipients: ['u0', 'u1', 'u2', 'u3'].slice(0, 2 + (i % 3)),
    type: 'text',
    content: CONTENTS[i % CONTENTS.length] as string,
    sentAt: T0 + i * 1000,
    sequenceId: i,
  })
}

const user = (i: number) =>
  userDocument({
    userId: `user${i}`,
    name: ['张伟', 'Anna Lee', '李娜'][i % 3] as string,
    tags: [{ name: '摄影', weight: 1 }],
    location: { lat: 31.2 + i / 100, lon: 121.4 },
    discoverable: true,
    profile: {},
  })

async function filled(dir: string, messages = 20): Promise<MemoryBackend> {
  const backend = new MemoryBackend({ snapshotDir: dir })
  await backend.index(
    'messages',
    Array.from({ length: messages }, (_, i) => message(i)),
  )
  await backend.index('users', [user(0), user(1), user(2)])
  return backend
}

const QUERIES: [IndexName, SearchRequest][] = [
  ['messages', { query: { match: { field: 'content', query: '上海' } }, limit: 100 }],
  [
    'messages',
    {
      query: {
        bool: { filter: [{ term: { field: 'recipients', value: 'u3' } }], must: [{ match_all: {} }] },
      },
      sort: [{ field: { name: 'sentAt', order: 'desc' } }],
      limit: 100,
    },
  ],
  ['users', { query: { prefix: { field: 'nameNormalized', value: '张' } }, limit: 100 }],
]

async function answers(backend: MemoryBackend) {
  return Promise.all(QUERIES.map(([index, request]) => backend.search(index, request)))
}

async function snapshotPath(dir: string): Promise<string> {
  const [name] = (await readdir(dir)).filter((n) => n.startsWith('snapshot-'))
  if (!name) throw new Error(`no snapshot in ${dir}`)
  return join(dir, name)
}

async function loadFresh(dir: string) {
  const backend = new MemoryBackend({ snapshotDir: dir })
  const result = await backend.snapshots?.load()
  return { backend, result }
}

async function expectRefused(dir: string, reason: RegExp) {
  const { backend, result } = await loadFresh(dir)
  expect(result).toEqual({ loaded: false, reason: expect.stringMatching(reason) })
  for (const index of ['messages', 'users', 'groups', 'contacts'] as const)
    expect((await backend.stats(index)).documents).toBe(0)
}

/** Rewrites the manifest of the snapshot in `dir`. */
async function editManifest(dir: string, edit: (manifest: Record<string, unknown>) => void) {
  const path = join(await snapshotPath(dir), 'manifest.json')
  const manifest = JSON.parse(await readFile(path, 'utf8'))
  edit(manifest)
  await writeFile(path, JSON.stringify(manifest))
}

describe('memory index snapshot files', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'im-search-snapshot-files-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('has no snapshots without a directory, and a loaded snapshot keeps generation 1', async () => {
    expect(createMemoryBackend().snapshots).toBeUndefined()
    const original = await filled(dir)
    await original.snapshots?.save({ storeId: 'store', covered: 20 })
    const { backend, result } = await loadFresh(dir)
    expect(result).toMatchObject({ loaded: true, marker: { storeId: 'store', covered: 20 } })
    expect(await backend.stats('messages')).toEqual({ documents: 20, generation: 1, rebuilding: false })
    expect(await answers(backend)).toEqual(await answers(original))
  })

  it('restored documents share their recipient list with its set, and empty lists, as upserted ones do', async () => {
    const original = await filled(dir)
    await original.snapshots?.save({ storeId: 'store', covered: 20 })
    const { backend } = await loadFresh(dir)
    const { hits } = await backend.search('messages', { query: { match_all: {} }, limit: 100 })
    const m0 = hits.find((h) => h.id === 'm0')?.document
    const m3 = hits.find((h) => h.id === 'm3')?.document
    expect(m0?.recipients).toEqual(['u0', 'u1'])
    expect(m3?.recipients).toBe(m0?.recipients)
    expect(m3?.conversationId).toBe('c0')
    expect(m0?.mentions).toEqual([])
    expect(m3?.mentions).toBe(m0?.mentions)
  })

  it('refuses a missing or empty directory', async () => {
    await expectRefused(join(dir, 'nowhere'), /no index snapshot yet/)
    await expectRefused(dir, /no index snapshot yet/)
  })

  it('refuses a truncated part', async () => {
    await (await filled(dir)).snapshots?.save({ storeId: 'store', covered: 1 })
    const path = join(await snapshotPath(dir), 'arrays.bin')
    await truncate(path, (await readFile(path)).byteLength - 8)
    await expectRefused(dir, /arrays\.bin is \d+ bytes where the manifest says \d+ \(torn write\)/)
  })

  it('refuses a part with a flipped byte', async () => {
    await (await filled(dir)).snapshots?.save({ storeId: 'store', covered: 1 })
    const path = join(await snapshotPath(dir), 'arrays.bin')
    const bytes = await readFile(path)
    const middle = bytes.byteLength >> 1
    bytes[middle] = (bytes[middle] as number) ^ 0x10
    await writeFile(path, bytes)
    await expectRefused(dir, /arrays\.bin fails its checksum/)
  })

  it('refuses a missing part, a missing manifest and a garbled one', async () => {
    await (await filled(dir)).snapshots?.save({ storeId: 'store', covered: 1 })
    const snapshot = await snapshotPath(dir)
    await rm(join(snapshot, 'meta.msgpack'))
    await expectRefused(dir, /meta\.msgpack cannot be opened \(ENOENT\)/)
    await writeFile(join(snapshot, 'manifest.json'), '{"format": 1, "parts": [')
    await expectRefused(dir, /manifest is not a valid manifest/)
    await rm(join(snapshot, 'manifest.json'))
    await expectRefused(dir, /no manifest \(never completed\)/)
  })

  it('refuses another format version and another schema digest', async () => {
    await (await filled(dir)).snapshots?.save({ storeId: 'store', covered: 1 })
    await editManifest(dir, (m) => {
      m.format = 0
    })
    await expectRefused(dir, new RegExp(`format version 0, this build reads version ${FORMAT_VERSION}`))
    await editManifest(dir, (m) => {
      m.format = FORMAT_VERSION
      m.schemaDigest = 'a'.repeat(64)
    })
    await expectRefused(dir, /other index schemas or another analyzer/)
  })

  it('refuses contents that pass their checksum but do not decode, without throwing', async () => {
    await (await filled(dir)).snapshots?.save({ storeId: 'store', covered: 1 })
    const garbage = Buffer.from([0x93, 0x01, 0xc1, 0xff, 0x00])
    await writeFile(join(await snapshotPath(dir), 'meta.msgpack'), garbage)
    await editManifest(dir, (m) => {
      ;(m.parts as Record<string, unknown>)['meta.msgpack'] = {
        bytes: garbage.byteLength,
        crc32: crc32(garbage),
      }
    })
    await expectRefused(dir, /contents do not decode/)
  })

  it('loads the previous whole snapshot beside a crashed save, and removes its leftovers', async () => {
    const original = await filled(dir)
    await original.snapshots?.save({ storeId: 'store', covered: 20 })
    const leftover = join(dir, '.tmp-crashed-save')
    await mkdir(leftover)
    await writeFile(join(leftover, 'arrays.bin'), Buffer.from('half written'))
    const { backend, result } = await loadFresh(dir)
    expect(result).toMatchObject({ loaded: true, marker: { covered: 20 } })
    expect(await answers(backend)).toEqual(await answers(original))
    expect(await readdir(dir)).not.toContain('.tmp-crashed-save')
  })

  it('keeps only the newest snapshot once a save is whole', async () => {
    const original = await filled(dir)
    await original.snapshots?.save({ storeId: 'store', covered: 20 })
    await original.index('messages', [message(20)])
    await original.snapshots?.save({ storeId: 'store', covered: 21 })
    expect((await readdir(dir)).filter((n) => n.startsWith('snapshot-'))).toEqual(['snapshot-000000000002'])
    const { backend, result } = await loadFresh(dir)
    expect(result).toMatchObject({ loaded: true, marker: { covered: 21 } })
    expect((await backend.stats('messages')).documents).toBe(21)
  })

  it('refuses to replace indexes that already hold documents', async () => {
    await (await filled(dir)).snapshots?.save({ storeId: 'store', covered: 1 })
    const backend = new MemoryBackend({ snapshotDir: dir })
    await backend.index('users', [user(5)])
    expect(await backend.snapshots?.load()).toEqual({
      loaded: false,
      reason: expect.stringMatching(/users index already holds documents/),
    })
    expect((await backend.stats('messages')).documents).toBe(0)
  })

  it('saves the indexes as they were when save was called, whatever is written while it runs', async () => {
    // Compaction after two deletions: the writes below rewrite postings in place during the save.
    const live = new MemoryBackend({ snapshotDir: dir, compactAfterDead: 2 })
    const expected = new MemoryBackend({ compactAfterDead: 2 })
    for (const backend of [live, expected]) {
      await backend.index(
        'messages',
        Array.from({ length: 40 }, (_, i) => message(i)),
      )
      await backend.index('users', [user(0), user(1), user(2)])
    }
    const saving = live.snapshots?.save({ storeId: 'store', covered: 40 })
    await live.remove(
      'messages',
      Array.from({ length: 30 }, (_, i) => `m${i}`),
    )
    await live.index(
      'messages',
      Array.from({ length: 50 }, (_, i) => message(100 + i)),
    )
    await live.index('users', [{ ...user(0), name: 'Someone Else' }, user(7)])
    const saved = await saving
    expect(saved?.captureMs).toBeLessThanOrEqual(saved?.ms ?? 0)
    const { backend, result } = await loadFresh(dir)
    expect(result).toMatchObject({ loaded: true })
    expect(await answers(backend)).toEqual(await answers(expected))
    expect(await answers(backend)).not.toEqual(await answers(live))
  })
})
