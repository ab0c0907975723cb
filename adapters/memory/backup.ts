/**
 * @module A consistent snapshot of the embedded store. The process that owns the data dir copies
 * it (see data-dir-owner.ts): the running service when there is one, asked over its socket, or
 * this process, which then owns the data dir for the copy (a service starting meanwhile waits for
 * it). LMDB's copy runs inside one read transaction, on a thread of its own, so it holds exactly
 * one committed state and blocks neither the writer nor the service's requests. This process then
 * reads the copy back (seconds at a million messages: never in the service).
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { open } from 'lmdb'
import type { RecordKind } from '../../src/ports/record-store.ts'
import { BackupError, type CopyResult, claimDataDir, type Owner, requestBackup } from './data-dir-owner.ts'
import { LmdbRecordStore } from './lmdb-record-store.ts'

export { BackupError }

const KINDS: readonly RecordKind[] = ['users', 'groups', 'contacts', 'messages']

export interface BackupResult extends CopyResult {
  /** Records per kind, read back from the copy (which proves it opens and reads). */
  records: Record<RecordKind, number>
  /** The process that copied. */
  by: Owner
}

/**
 * Copies the store at `dataDir` into the empty or missing directory `target`, then opens the copy
 * and counts its records. Another backup of the same data dir running is refused.
 */
export async function backupDataDir(dataDir: string, target: string): Promise<BackupResult> {
  if (!existsSync(join(dataDir, 'data.mdb'))) throw new BackupError(`no LMDB store in ${dataDir}`)
  // The owner may run in another directory: it gets the path as this process means it.
  const absolute = resolve(target)
  const claim = await claimDataDir(dataDir, 'backup')
  if (!('release' in claim)) {
    if (claim.role !== 'service')
      throw new BackupError(`another backup of ${dataDir} is running (pid ${claim.pid})`)
    const copied = await requestBackup(dataDir, absolute)
    return { ...copied, records: await countRecords(absolute), by: claim }
  }
  try {
    // Nothing else writes while this process owns the data dir.
    const source = open({ path: dataDir, readOnly: true, noSubdir: false })
    try {
      const copied = await copyInto(absolute, (dir) => source.backup(dir, true))
      return { ...copied, records: await countRecords(absolute), by: { role: 'backup', pid: process.pid } }
    } finally {
      await source.close()
    }
  } finally {
    await claim.release()
  }
}

/**
 * Checks `target` and has `copy` write the environment there: LMDB's compacting copy, which walks
 * the trees of its own read transaction and writes their pages and a meta page of its own,
 * leaving free pages out (at 1M messages it took as long as the plain copy, 7.6 s against 7.4,
 * most of it the count of the copy).
 */
export async function copyInto(target: string, copy: (dir: string) => Promise<void>): Promise<CopyResult> {
  // Never overwrite: a half-replaced earlier backup would be worse than none.
  if (existsSync(target) && readdirSync(target).length > 0)
    throw new BackupError(`${target} is not empty; back up into a new directory`)
  mkdirSync(target, { recursive: true })
  await copy(target)
  const file = join(target, 'data.mdb')
  return { file, bytes: statSync(file).size }
}

async function countRecords(target: string): Promise<Record<RecordKind, number>> {
  const records = {} as Record<RecordKind, number>
  const copied = new LmdbRecordStore(target)
  try {
    for (const kind of KINDS) {
      records[kind] = 0
      for await (const page of copied.scan(kind, 1000)) records[kind] += page.length
    }
  } finally {
    await copied.close()
  }
  return records
}
