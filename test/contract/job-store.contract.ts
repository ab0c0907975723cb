/**
 * @module The job-store contract: what every `JobStore` must do for reindex jobs (issue 6): keep
 * every field exactly, replace on put, list newest first. Run by `test/adapters/job-stores.test.ts`.
 */
import { describe, expect, it } from 'vitest'
import type { JobStore, ReindexJob } from '../../src/ports/job-store.ts'

export interface JobStoreContractOptions {
  name: string
  /** A fresh, empty store; called once per test. */
  create: () => JobStore | Promise<JobStore>
  close?: (store: JobStore) => Promise<void>
  /** Tests only some stores pass (e.g. what a store shared by replicas must do). */
  additionalTests?: (test: JobStoreTest) => void
}

export type JobStoreTest = (title: string, fn: (store: JobStore) => Promise<void>) => void

/** A job started at `startedAt`; epoch milliseconds, so integers beyond 32 bits are exercised. */
export const runningJob = (jobId: string, startedAt = 1_767_225_600_123): ReindexJob => ({
  jobId,
  index: 'messages',
  state: 'running',
  processed: 0,
  total: 1200,
  startedAt,
  heartbeatAt: startedAt,
})

export function runJobStoreContract(options: JobStoreContractOptions): void {
  const test: JobStoreTest = (title, fn) =>
    it(title, async () => {
      const store = await options.create()
      try {
        await fn(store)
      } finally {
        await options.close?.(store)
      }
    })

  describe(`JobStore contract: ${options.name}`, () => {
    test('an unknown job is undefined; an empty store lists nothing', async (store) => {
      expect(await store.getJob('nope')).toBeUndefined()
      expect(await store.listJobs()).toEqual([])
    })

    test('keeps every field exactly, the optional ones included', async (store) => {
      const job = { ...runningJob('j1'), index: 'all' as const, processed: 7, cancelRequested: true }
      await store.putJob(job)
      expect(await store.getJob('j1')).toEqual(job)
      const finished: ReindexJob = {
        ...runningJob('j2'),
        index: 'users',
        state: 'failed',
        processed: 3,
        finishedAt: 1_767_225_700_456,
        error: '索引失败: boom',
      }
      await store.putJob(finished)
      expect(await store.getJob('j2')).toEqual(finished)
    })

    test('a put replaces the job: progress moves on, an optional field left out is gone', async (store) => {
      const { heartbeatAt: _, ...job } = runningJob('j1')
      await store.putJob({ ...job, heartbeatAt: job.startedAt + 500 })
      await store.putJob({ ...job, processed: 600 })
      expect(await store.getJob('j1')).toEqual({ ...job, processed: 600 })
      const done: ReindexJob = {
        ...job,
        state: 'succeeded',
        processed: 1200,
        finishedAt: job.startedAt + 900,
      }
      await store.putJob(done)
      expect(await store.getJob('j1')).toEqual(done)
    })

    test('lists every job, newest first', async (store) => {
      const base = 1_767_225_600_000
      for (const [id, at] of [
        ['b', base + 2],
        ['a', base + 3],
        ['c', base + 1],
      ] as const)
        await store.putJob(runningJob(id, at))
      expect((await store.listJobs()).map((j) => j.jobId)).toEqual(['a', 'b', 'c'])
      expect((await store.listJobs())[0]).toEqual(runningJob('a', base + 3))
    })

    options.additionalTests?.(test)
  })
}
