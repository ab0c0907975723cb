/**
 * @module Every reindex job store against the job-store contract: in memory, LMDB (the embedded
 * backend's) and Tablestore through the real SDK and the local emulator, which replicas share.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect } from 'vitest'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { createTablestoreJobStore } from '../../adapters/tablestore/index.ts'
import { InMemoryJobStore } from '../../src/services/in-memory-job-store.ts'
import { runJobStoreContract, runningJob } from '../contract/job-store.contract.ts'
import { emulatorOptions, useTablestoreEmulator } from '../tablestore/emulator-options.ts'

const root = mkdtempSync(join(tmpdir(), 'imsearch-jobs-'))
const emu = useTablestoreEmulator(0)
let run = 0
afterAll(() => rmSync(root, { recursive: true, force: true }))

runJobStoreContract({ name: 'in memory', create: () => new InMemoryJobStore() })

runJobStoreContract({
  name: 'lmdb',
  create: () => new LmdbRecordStore(join(root, String(run++))),
  close: (store) => (store as LmdbRecordStore).close(),
})

runJobStoreContract({
  name: 'tablestore (emulator)',
  // A fresh table prefix per store: every test starts empty.
  create: () => createTablestoreJobStore(emulatorOptions(emu(), `js${++run}_`)),
  additionalTests: (test) => {
    test('shared by replicas: a finished job is final, a late heartbeat or cancel request is ignored', async (store) => {
      const job = runningJob('j1')
      const done = { ...job, state: 'cancelled' as const, finishedAt: job.startedAt + 10 }
      await store.putJob(done)
      await store.putJob({ ...job, processed: 5, heartbeatAt: job.startedAt + 20 })
      await store.putJob({ ...job, cancelRequested: true })
      expect(await store.getJob('j1')).toEqual(done)
    })
    test('shared by replicas: a heartbeat that crossed a cancel request does not erase it; the final put lands', async (store) => {
      const job = runningJob('j1')
      await store.putJob(job)
      const asked = { ...job, cancelRequested: true }
      await store.putJob(asked)
      await store.putJob({ ...job, processed: 5, heartbeatAt: job.startedAt + 20 })
      expect(await store.getJob('j1')).toEqual(asked)
      const cancelled = { ...job, state: 'cancelled' as const, finishedAt: job.startedAt + 30 }
      await store.putJob(cancelled)
      expect(await store.getJob('j1')).toEqual(cancelled)
    })
  },
})
