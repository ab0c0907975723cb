/**
 * @module `npm run backup` (issue 6, operations): a snapshot asked for by another process while the
 * service keeps writing holds every write acknowledged before it started, opens as a store, and
 * never overwrites an earlier backup; one process at a time owns a data dir (data-dir-owner.ts).
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { BackupError, backupDataDir } from '../../adapters/memory/backup.ts'
import {
  askForBackup,
  claimDataDir,
  DataDirClaim,
  requestBackup,
} from '../../adapters/memory/data-dir-owner.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { openOwnedStore } from '../../adapters/memory/owned-store.ts'
import { typescriptLoader } from '../../loader/index.ts'
import { deferred } from '../support/deferred.ts'

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
    // As the service does: the owner of the data dir, which the command asks for the copy.
    const { store, release } = await openOwnedStore(dataDir)
    await store.putUser({ userId: 'u1', name: '张伟', tags: [], discoverable: true, profile: {} })
    for (let i = 0; i < 200; i++) await store.insertMessage(message(i))
    // The service keeps writing while it copies; the writer pauses a millisecond between writes,
    // as requests do.
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
    await release()

    expect(stdout).toMatch(/backed up .* 1 users, 0 groups, 0 contacts, \d+ messages/)
    expect(stdout).toContain(`taken by the running service (pid ${process.pid})`)
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

  it('refuses, through the service, a target that is not empty', async () => {
    const dataDir = join(root, 'served')
    const { store, release } = await openOwnedStore(dataDir)
    try {
      await store.insertMessage(message(0))
      const used = join(root, 'used-by-service')
      mkdirSync(used)
      writeFileSync(join(used, 'keep.txt'), 'an earlier backup')
      await expect(backupDataDir(dataDir, used)).rejects.toThrow(BackupError)
      await expect(backupDataDir(dataDir, used)).rejects.toThrow(/is not empty/)
      const result = await backupDataDir(dataDir, join(root, 'served-copy'))
      expect(result.records).toMatchObject({ messages: 1 })
    } finally {
      await release()
    }
  })
})

describe('one owner per data dir', () => {
  const owned = (name: string) => {
    const dataDir = join(root, name)
    mkdirSync(dataDir, { recursive: true })
    return dataDir
  }

  it('a second service is refused, saying which process owns the data dir', async () => {
    const dataDir = owned('two-services')
    const first = await openOwnedStore(dataDir)
    try {
      await expect(openOwnedStore(dataDir)).rejects.toThrow(
        new RegExp(`in use by another im-search service \\(pid ${process.pid}\\)`),
      )
    } finally {
      await first.release()
    }
    // Given up: the next service opens it.
    const next = await openOwnedStore(dataDir)
    await next.release()
  })

  it('a service waits while a backup owns the data dir, and opens it once the backup is done', async () => {
    const dataDir = owned('service-waits')
    const held = (await claimDataDir(dataDir, 'backup')) as DataDirClaim
    const waiting = deferred()
    let opened = false
    const opening = openOwnedStore(dataDir, { onWaiting: () => waiting.resolve() }).then((store) => {
      opened = true
      return store
    })
    await waiting.promise
    expect(opened).toBe(false)
    await held.release()
    const { store, release } = await opening
    await store.putUser({ userId: 'u1', name: '张伟', tags: [], discoverable: true, profile: {} })
    await release()
  })

  it('a backup asked for while the owner opens its store waits for it; one asked for while it stops is refused', async () => {
    const dataDir = owned('owner-states')
    const claim = (await claimDataDir(dataDir, 'service')) as DataDirClaim
    try {
      const result = { file: '/copy/data.mdb', bytes: 1 }
      const arrived = deferred()
      const gate = deferred()
      expect(await askForBackup(dataDir, '/copy')).toMatchObject({
        status: 503,
        error: 'the service is starting',
        retry: true,
      })
      // Asked again until the store is open and backups are served.
      const early = requestBackup(dataDir, '/copy')
      claim.serveBackups(async () => {
        arrived.resolve()
        await gate.promise
        return result
      })
      await arrived.promise
      let stopped = false
      const stopping = claim.stopServing().then(() => {
        stopped = true
      })
      await expect(requestBackup(dataDir, '/copy')).rejects.toThrow(
        /did not take the backup \(503\): the service is stopping/,
      )
      // The running backup holds the stop until it is done.
      expect(stopped).toBe(false)
      gate.resolve()
      expect(await early).toEqual(result)
      await stopping
    } finally {
      await claim.release()
    }
  })

  it('an owner killed with -9 leaves a socket file nobody answers on: the next claim replaces it', async () => {
    const dataDir = owned('stale-owner')
    const socket = join(realpathSync(dataDir), 'owner.sock')
    const child = spawn(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => console.log('listening'))`,
    ])
    await new Promise((resolve) => child.stdout.once('data', resolve))
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    expect(existsSync(socket)).toBe(true)
    const claim = (await claimDataDir(dataDir, 'service')) as DataDirClaim
    expect(await claimDataDir(dataDir, 'backup')).toEqual({ role: 'service', pid: process.pid })
    await claim.release()
    // Given up in order: the file goes with the socket.
    expect(existsSync(socket)).toBe(false)
  })

  it('a data dir whose socket path would be too long is owned through a socket named after it', async () => {
    const dataDir = owned(join('a-long-path-'.repeat(6), 'data-dir-长路径'))
    const claim = await claimDataDir(dataDir, 'service')
    expect(claim).toBeInstanceOf(DataDirClaim)
    expect(await claimDataDir(dataDir, 'backup')).toEqual({ role: 'service', pid: process.pid })
    await (claim as DataDirClaim).release()
    expect(existsSync(join(dataDir, 'owner.sock'))).toBe(false)
  })

  it('a second backup while one runs is refused', async () => {
    const dataDir = join(root, 'two-backups')
    const store = new LmdbRecordStore(dataDir)
    await store.insertMessage(message(0))
    await store.close()
    const held = (await claimDataDir(dataDir, 'backup')) as DataDirClaim
    try {
      await expect(backupDataDir(dataDir, join(root, 'two-backups-copy'))).rejects.toThrow(
        /another backup .* is running/,
      )
    } finally {
      await held.release()
    }
  })
})
