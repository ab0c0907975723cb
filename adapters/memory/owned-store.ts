/**
 * @module The service's embedded store. It claims the data dir before opening it (see
 * data-dir-owner.ts): it waits while `npm run backup` owns it, refuses a data dir another service
 * owns, and then takes the backups other processes ask for.
 */
import { mkdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { copyInto } from './backup.ts'
import { claimDataDir, type Owner } from './data-dir-owner.ts'
import { LmdbRecordStore } from './lmdb-record-store.ts'

/** How often a waiting service asks again whether the backup owning its data dir is done. */
const WAIT_POLL_MS = 200

export interface OwnedStore {
  store: LmdbRecordStore
  /** Lets the backups running finish, closes the store, then gives up the data dir. */
  release(): Promise<void>
}

export async function openOwnedStore(
  dataDir: string,
  options: { onWaiting?: (owner: Owner) => void } = {},
): Promise<OwnedStore> {
  // The claim names the data dir by its real path, so it must exist first.
  mkdirSync(dataDir, { recursive: true })
  for (let waited = false; ; waited = true) {
    const claim = await claimDataDir(dataDir, 'service')
    if ('release' in claim) {
      let store: LmdbRecordStore
      try {
        store = new LmdbRecordStore(dataDir)
      } catch (error) {
        await claim.release()
        throw error
      }
      claim.serveBackups((target) => copyInto(target, (dir) => store.backup(dir)))
      return {
        store,
        release: async () => {
          await claim.stopServing()
          await store.close()
          await claim.release()
        },
      }
    }
    if (claim.role === 'service')
      throw new Error(`the data dir ${dataDir} is in use by another im-search service (pid ${claim.pid})`)
    if (!waited) options.onWaiting?.(claim)
    await sleep(WAIT_POLL_MS)
  }
}
