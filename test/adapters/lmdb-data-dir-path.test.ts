/**
 * @module A data dir is a directory whatever its name: lmdb-js takes a path whose last part has a
 * dot (`data.v2`) for a file name unless told otherwise, and `IMSEARCH_DATA_DIR=./data.v2` failed
 * with "Is a directory". Every name gets the one layout, `data.mdb` and `lock.mdb` inside the dir.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { backupDataDir } from '../../adapters/memory/backup.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'

const root = mkdtempSync(join(tmpdir(), 'imsearch-lmdb-path-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const message = {
  messageId: 'm1',
  conversationId: 'dm:u1:u2',
  senderId: 'u1',
  recipients: ['u1', 'u2'],
  type: 'text' as const,
  content: '数据目录 data dir',
  sentAt: 1_700_000_000_000,
  conversationType: 'single' as const,
}

/** Writes a user and a message, closes, and reads them back from a store opened afresh. */
async function writeAndReopen(dataDir: string) {
  const store = new LmdbRecordStore(dataDir)
  await store.putUser({ userId: 'u1', name: '张伟', tags: [], discoverable: true, profile: {} })
  await store.insertMessage(message)
  await store.close()
  const reopened = new LmdbRecordStore(dataDir)
  try {
    return { user: await reopened.getUser('u1'), message: await reopened.getMessage('m1') }
  } finally {
    await reopened.close()
  }
}

describe('the data dir path', () => {
  it.each([
    ['a plain name (the layout existing data dirs have)', 'data'],
    ['a dot in its last part', 'data.v2'],
    ['a dot in a parent', 'im.search/data'],
    ['a leading dot', '.imsearch'],
  ])('opens a directory named with %s, holding data.mdb and lock.mdb', async (_, name) => {
    const dataDir = join(root, name)
    const read = await writeAndReopen(dataDir)
    expect(read.user).toMatchObject({ name: '张伟' })
    expect(read.message).toMatchObject({ content: '数据目录 data dir' })
    expect(readdirSync(dataDir).sort()).toEqual(['data.mdb', 'lock.mdb'])
    // Nothing beside it: lmdb-js's file layout would have put `data.v2-lock` there.
    expect(existsSync(`${dataDir}-lock`)).toBe(false)
  })

  it('backs up a dotted data dir into a dotted target, as a directory', async () => {
    const dataDir = join(root, 'backup-source.v2')
    await writeAndReopen(dataDir)
    const target = join(root, 'backup.2026-12-05')
    const result = await backupDataDir(dataDir, target)
    expect(result.file).toBe(join(target, 'data.mdb'))
    expect(result.records).toMatchObject({ users: 1, messages: 1 })
  })
})
