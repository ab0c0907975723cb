/**
 * @module Admin reindex: rebuild one index or all of them from the record store without
 * downtime. Each index is rebuilt beside the live one and swapped in atomically by the backend
 * (`SearchBackend.rebuild`); searches answer from the old generation meanwhile, and writes made
 * meanwhile reach the new one. Jobs are kept in a {@link JobStore}; a job that was running when
 * the service stopped is marked failed at the next start, never left running.
 */
import { randomUUID } from 'node:crypto'
import type { JobStore, ReindexJob, ReindexTarget } from '../ports/job-store.ts'
import type { RecordScanner } from '../ports/record-store.ts'
import { RebuildInProgressError, type SearchBackend } from '../ports/search-backend.ts'
import { INDEX_NAMES, type IndexName } from '../query/index-schemas.ts'
import { conflict, notFound } from './errors.ts'
import { documentPages } from './index-builder.ts'

export interface IndexInfo {
  index: IndexName
  documents: number
  generation: number
  rebuilding: boolean
}

export interface ReindexDeps {
  source: RecordScanner
  backend: SearchBackend
  jobs: JobStore
  now?: () => number
  /** How often progress is saved while a job runs. @default 500 */
  saveEveryMs?: number
  /** Records read per page. @default DEFAULT_PAGE_SIZE */
  pageSize?: number
}

export const INTERRUPTED = 'interrupted: the service stopped while the job ran; start it again'

export class Reindexer {
  readonly #deps: ReindexDeps
  readonly #now: () => number
  /** Jobs running in this process, with the means to cancel them. */
  readonly #running = new Map<string, { job: ReindexJob; controller: AbortController; done: Promise<void> }>()

  constructor(deps: ReindexDeps) {
    this.#deps = deps
    this.#now = deps.now ?? Date.now
  }

  /** At start-up: jobs left `running` by a previous process are failed, clearly. */
  async recoverInterrupted(): Promise<number> {
    let n = 0
    for (const job of await this.#deps.jobs.listJobs()) {
      if (job.state !== 'running' || this.#running.has(job.jobId)) continue
      await this.#deps.jobs.putJob({ ...job, state: 'failed', error: INTERRUPTED, finishedAt: this.#now() })
      n++
    }
    return n
  }

  async start(target: ReindexTarget): Promise<ReindexJob> {
    const indexes = target === 'all' ? INDEX_NAMES : [target]
    for (const { job } of this.#running.values()) {
      if (job.index === 'all' || target === 'all' || job.index === target)
        throw conflict(`reindex job ${job.jobId} of ${job.index} is running; wait for it or cancel it`)
    }
    const sizes = await Promise.all(
      indexes.map(async (index) => (await this.#deps.backend.stats(index)).documents),
    )
    const job: ReindexJob = {
      jobId: randomUUID(),
      index: target,
      state: 'running',
      processed: 0,
      total: sizes.reduce((a, b) => a + b, 0),
      startedAt: this.#now(),
    }
    await this.#deps.jobs.putJob(job)
    const controller = new AbortController()
    const entry = { job, controller, done: Promise.resolve() }
    this.#running.set(job.jobId, entry)
    entry.done = this.#run(job, indexes, controller.signal).finally(() => this.#running.delete(job.jobId))
    return { ...job }
  }

  async get(jobId: string): Promise<ReindexJob> {
    const running = this.#running.get(jobId)
    if (running) return { ...running.job }
    const job = await this.#deps.jobs.getJob(jobId)
    if (!job) throw notFound(`no reindex job ${jobId}`)
    return job
  }

  /** Stops a running job; the live indexes stay as they were. Resolves once it has stopped. */
  async cancel(jobId: string): Promise<ReindexJob> {
    const running = this.#running.get(jobId)
    if (!running) {
      const job = await this.get(jobId)
      throw conflict(`reindex job ${jobId} is ${job.state}, not running`)
    }
    running.controller.abort()
    await running.done
    return this.get(jobId)
  }

  /** Waits for every running job (tests). */
  async settle(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.done))
  }

  /** Cancels every running job and waits for them to stop (shutdown). */
  async stopAll(): Promise<void> {
    for (const running of this.#running.values()) running.controller.abort()
    await this.settle()
  }

  async indexes(): Promise<IndexInfo[]> {
    return Promise.all(
      INDEX_NAMES.map(async (index) => ({ index, ...(await this.#deps.backend.stats(index)) })),
    )
  }

  async #run(job: ReindexJob, indexes: readonly IndexName[], signal: AbortSignal): Promise<void> {
    const { backend, source, jobs } = this.#deps
    const saveEvery = this.#deps.saveEveryMs ?? 500
    let lastSave = this.#now()
    let before = 0
    try {
      for (const index of indexes) {
        let done = 0
        await backend.rebuild(index, {
          documents: () => documentPages(source, index, this.#deps.pageSize),
          signal,
          onProgress: (n) => {
            done = n
            job.processed = before + n
            if (this.#now() - lastSave >= saveEvery) {
              lastSave = this.#now()
              // Progress is advisory: a failed save must not fail the job (the final save is awaited).
              jobs.putJob({ ...job }).catch(() => {})
            }
          },
        })
        before += done
      }
      Object.assign(job, { state: 'succeeded', processed: before })
    } catch (error) {
      if (signal.aborted) job.state = 'cancelled'
      else {
        job.state = 'failed'
        job.error =
          error instanceof RebuildInProgressError
            ? 'another rebuild of this index is running'
            : error instanceof Error
              ? error.message
              : String(error)
      }
    }
    job.finishedAt = this.#now()
    try {
      await jobs.putJob({ ...job })
    } catch {
      // Never an unhandled rejection; a job whose final state could not be saved stays "running"
      // in the store until the next start marks it failed (recoverInterrupted).
    }
  }
}
