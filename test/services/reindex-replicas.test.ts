/**
 * @module Reindex jobs across replicas on Tablestore (issue 6): each replica has its own
 * backend, record store, job store and Reindexer (what a process holds), over one emulator. Any
 * replica reports a job another runs, refuses an overlapping one, cancels it; a replica that stops
 * mid-job (it is frozen: no more heartbeats, no more work) has its job failed once the heartbeat is
 * stale, and a live replica's job is never failed.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TablestoreClient } from '../../adapters/tablestore/client.ts'
import { resolveOptions } from '../../adapters/tablestore/config.ts'
import {
  createTablestoreBackend,
  createTablestoreJobStore,
  createTablestoreRecordStore,
  TablestoreBackend,
  type TablestoreOptions,
} from '../../adapters/tablestore/index.ts'
import type { RunningEmulator } from '../../emulator/index.ts'
import { startEmulator } from '../../emulator/index.ts'
import type { JobStore, ReindexJob } from '../../src/ports/job-store.ts'
import type { RecordKind, RecordKinds, RecordScanner } from '../../src/ports/record-store.ts'
import { Ingestion } from '../../src/services/ingestion.ts'
import { INTERRUPTED, Reindexer, type ReindexJobView } from '../../src/services/reindex.ts'
import { deferred } from '../support/deferred.ts'
import { emulatorOptions } from '../tablestore/emulator-options.ts'

const SAVE_EVERY_MS = 40
const STALE_AFTER_MS = 1000
const USERS = 30
const GROUPS = 10

let emu: RunningEmulator
beforeAll(async () => {
  emu = await startEmulator({ port: 0 })
})
afterAll(async () => {
  await emu?.close()
})

let prefixes = 0

/** Records every replica shares: users and groups under a fresh table prefix. */
async function cluster() {
  // The backend's rebuild marker goes stale with the job's heartbeat; short cache and grace.
  const options = {
    ...emulatorOptions(emu, `rr${++prefixes}_`),
    rebuildStaleMs: STALE_AFTER_MS,
    generationTtlMs: 50,
    rebuildGraceMs: 150,
  }
  const ingestion = new Ingestion({
    store: createTablestoreRecordStore(options),
    backend: createTablestoreBackend(options),
  })
  for (let i = 0; i < USERS; i++)
    await ingestion.putUser(`u${i}`, { name: `用户${i}`, tags: [], discoverable: true, profile: {} })
  for (let i = 0; i < GROUPS; i++)
    await ingestion.putGroup(`g${i}`, {
      name: `群${i}`,
      description: '',
      tags: [],
      visibility: 'public',
      ownerId: 'u0',
    })
  return {
    jobs: createTablestoreJobStore(options),
    /**
     * A replica whose reindex reads a page (2 records) every `pageDelayMs`, so a job lasts a while;
     * with `hold`, no page after the first is read until it settles, so the job is surely running.
     */
    replica: (pageDelayMs: number, hold?: Promise<void>) => replica(options, pageDelayMs, hold),
  }
}

/** A promise that never settles: what a call to a stopped process amounts to. */
const never = <T>() => new Promise<T>(() => {})

function replica(options: TablestoreOptions, pageDelayMs: number, hold?: Promise<void>) {
  let frozen = false
  const store = createTablestoreRecordStore(options)
  const shared = createTablestoreJobStore(options)
  const jobs: JobStore = {
    putJob: (job) => (frozen ? never() : shared.putJob(job)),
    getJob: (jobId) => (frozen ? never() : shared.getJob(jobId)),
    listJobs: () => (frozen ? never() : shared.listJobs()),
  }
  const source: RecordScanner = {
    async *scan<K extends RecordKind>(kind: K, pageSize: number): AsyncIterable<RecordKinds[K][]> {
      let pages = 0
      for await (const page of store.scan(kind, pageSize)) {
        await sleep(pageDelayMs)
        if (pages++ > 0) await hold
        if (frozen) await never()
        yield page
      }
    },
  }
  // A stopped process's backend stops too: no more heartbeats of its rebuild marker.
  const client = new (class extends TablestoreClient {
    override call = ((...args: Parameters<TablestoreClient['call']>) =>
      frozen ? never() : super.call(...args)) as TablestoreClient['call']
  })(resolveOptions(options))
  const backend = new TablestoreBackend(options, client)
  const reindexer = new Reindexer({
    source,
    backend,
    jobs,
    saveEveryMs: SAVE_EVERY_MS,
    staleAfterMs: STALE_AFTER_MS,
    cancelWaitMs: 3000,
    pageSize: 2,
  })
  /** Stops the replica as a crash would: its heartbeat and its rebuild never move again. */
  const freeze = () => {
    frozen = true
  }
  return { reindexer, backend, freeze }
}

/** Polls `read` until `done` holds (5 s at most). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000
  for (;;) {
    const job = await read()
    if (done(job)) return job
    if (Date.now() > deadline) throw new Error(`gave up waiting; last seen ${JSON.stringify(job)}`)
    await sleep(20)
  }
}

describe('reindex across replicas (Tablestore emulator)', () => {
  it('another replica reports the job and its progress, refuses an overlapping one, and cancels it', async () => {
    const c = await cluster()
    // The job waits after its first page until the cancel below is recorded: it cannot finish
    // first, however slowly the machine runs this test.
    const held = deferred()
    const a = c.replica(300, held.promise)
    const b = c.replica(0)
    const job = await a.reindexer.start('users')
    const seen = await until(
      () => b.reindexer.get(job.jobId),
      (j) => j.processed > 0,
    )
    expect(seen).toMatchObject({ jobId: job.jobId, index: 'users', state: 'running' })
    // The fields replicas coordinate through are not shown.
    expect(Object.keys(seen).sort()).toEqual(['index', 'jobId', 'processed', 'startedAt', 'state', 'total'])
    await expect(b.reindexer.start('users')).rejects.toMatchObject({ status: 409 })
    await expect(b.reindexer.start('all')).rejects.toMatchObject({ status: 409 })

    // Longer than the staleness bound: a live replica's heartbeat keeps its job alive.
    await sleep(STALE_AFTER_MS * 1.5)
    expect(await b.reindexer.recoverInterrupted()).toBe(0)
    expect((await b.reindexer.get(job.jobId)).state).toBe('running')

    const cancelling = b.reindexer.cancel(job.jobId)
    await until(
      () => c.jobs.getJob(job.jobId),
      (stored) => stored?.cancelRequested === true,
    )
    held.resolve()
    const cancelled = await cancelling
    expect(cancelled).toMatchObject({ state: 'cancelled', finishedAt: expect.any(Number) })
    await a.reindexer.settle()
    expect((await a.reindexer.get(job.jobId)).state).toBe('cancelled')
    expect(await b.backend.stats('users')).toMatchObject({ generation: 1, documents: USERS })
    await expect(b.reindexer.cancel(job.jobId)).rejects.toMatchObject({ status: 409 })
  })

  it('fails the job of a replica that stopped once its heartbeat is stale, never before', async () => {
    const c = await cluster()
    const users = c.replica(300)
    const groups = c.replica(300)
    const jobs = [await users.reindexer.start('users'), await groups.reindexer.start('groups')]
    const other = c.replica(0)
    for (const job of jobs)
      await until(
        () => other.reindexer.get(job.jobId),
        (j) => j.processed > 0,
      )
    users.freeze()
    groups.freeze()
    const [usersJob, groupsJob] = jobs as [ReindexJobView, ReindexJobView]

    // Too early to tell a stopped replica from a live one.
    const restarted = c.replica(0)
    expect(await restarted.reindexer.recoverInterrupted()).toBe(0)
    expect((await restarted.reindexer.get(usersJob.jobId)).state).toBe('running')
    await expect(restarted.reindexer.start('users')).rejects.toMatchObject({ status: 409 })

    await sleep(STALE_AFTER_MS + 200)
    // Reading a stale job reports it failed, and saves that.
    const failed = { state: 'failed', error: INTERRUPTED, finishedAt: expect.any(Number) }
    expect(await other.reindexer.get(groupsJob.jobId)).toMatchObject(failed)
    expect(await c.jobs.getJob(groupsJob.jobId)).toMatchObject(failed)
    // The restarted replica fails the one left.
    expect(await restarted.reindexer.recoverInterrupted()).toBe(1)
    expect(await c.jobs.getJob(usersJob.jobId)).toMatchObject(failed)

    const again = await restarted.reindexer.start('users')
    await restarted.reindexer.settle()
    expect(await other.reindexer.get(again.jobId)).toMatchObject({ state: 'succeeded', processed: USERS })
  })

  it('of two replicas starting the same index at the same moment, exactly one runs', async () => {
    const c = await cluster()
    const a = c.replica(0)
    const b = c.replica(0)
    const outcomes = await Promise.allSettled([a.reindexer.start('groups'), b.reindexer.start('groups')])
    const started = outcomes.filter((o) => o.status === 'fulfilled')
    const refused = outcomes.filter((o) => o.status === 'rejected')
    expect(started).toHaveLength(1)
    expect(refused.map((o) => (o.reason as { status: number }).status)).toEqual([409])
    await Promise.all([a.reindexer.settle(), b.reindexer.settle()])
    // Nothing is left running: the refused one, if it was saved, was withdrawn.
    const states = (await c.jobs.listJobs()).map((j: ReindexJob) => j.state)
    expect(states).not.toContain('running')
    expect(states.filter((s) => s === 'succeeded')).toHaveLength(1)
  })
})
