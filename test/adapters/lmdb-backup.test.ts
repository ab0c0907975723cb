/**
 * @module `npm run backup` (issue 6, operations): a snapshot taken by another process while the
 * service keeps writing holds every write acknowledged before it started, opens as a store, and
 * never overwrites an earlier backup.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { typescriptLoader } from '../../loader/index.ts'

const run = promisify(execFile)
const CLI = join(import.meta.dirname, '../../adapters/memory/backup-cli.ts')
const root = mkdtempSync(join(tmpdir(), 'imsearch-backup-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const backup = (...args: string[]) => run(process.execPath, [...typescriptLoader, CLI, ...args])

/** A group's member lists, each stored once and named from its messages' rows. */
const groupLists = [0, 1, 2].map((k) => Object.freeze(['u1', 'u2', 'u3', '张伟', `u${10 + k}`]))

/** Every third message to a group (its list changing every ten), the others a direct chat. */
const message = (i: number) => ({
  messageId: `m${i}`,
  conversationId: i % 3 === 0 ? 'g1' : 'dm:u1:u2',
  senderId: 'u1',
  recipients: i % 3 === 0 ? (groupLists[Math.floor(i / 10) % 3] as string[]) : ['u1', 'u2'],
  type: 'text' as const,
  content: `备份测试 ${i} backup`,
  sentAt: 1_700_000_000_000 + i,
  conversationType: i % 3 === 0 ? ('group' as const) : ('single' as const),
})

describe('backup of the embedded store', () => {
  it('copies a live store: every write acknowledged before it started is in the snapshot', async () => {
    const dataDir = join(root, 'live')
    const store = new LmdbRecordStore(dataDir)
    await store.putUser({ userId: 'u1', name: '张伟', tags: [], discoverable: true, profile: {} })
    for (let i = 0; i < 200; i++) await store.insertMessage(message(i))
    // The service keeps writing while the other process copies. LMDB's copy takes the writer
    // lock for a moment to read the meta pages; a loop that never lets go of it (a commit chained
    // to the next with nothing between) can starve that moment on a loaded machine (a CI run
    // timed out so once): the writer pauses a millisecond between writes, as requests do.
    let writing = true
    let written = 200
    const writer = (async () => {
      while (writing) {
        await store.insertMessage(message(written++))
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
    })()
    const target = join(root, 'snapshot')
    const { stdout } = await backup('--data-dir', dataDir, '--to', target)
    writing = false
    await writer
    await store.close()

    expect(stdout).toMatch(/backed up .* 1 users, 0 groups, 0 contacts, \d+ messages/)
    const copy = new LmdbRecordStore(target)
    try {
      const ids = new Set<string>()
      for await (const page of copy.scan('messages', 100))
        for (const m of page) {
          ids.add(m.messageId)
          expect(m.recipients).toEqual(message(Number(m.messageId.slice(1))).recipients)
        }
      for (let i = 0; i < 200; i++) expect(ids.has(`m${i}`)).toBe(true)
      // One committed state: a prefix of the writes, never a gap.
      expect([...ids].every((id) => Number(id.slice(1)) < ids.size)).toBe(true)
      expect(Number(/(\d+) messages/.exec(stdout)?.[1])).toBe(ids.size)
      expect(await copy.getUser('u1')).toMatchObject({ name: '张伟' })
    } finally {
      await copy.close()
    }
  })

  it('refuses a non-empty target and a directory without a store, with exit code 2', async () => {
    const used = join(root, 'used')
    mkdirSync(used)
    writeFileSync(join(used, 'keep.txt'), 'an earlier backup')
    await expect(backup('--data-dir', join(root, 'live'), '--to', used)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is not empty'),
    })
    await expect(backup('--data-dir', join(root, 'nothing'), '--to', join(root, 'x'))).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no LMDB store'),
    })
    await expect(backup('--data-dir', root)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage'),
    })
  })
})
