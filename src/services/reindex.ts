/**
 * @module Admin reindex: rebuild one index or all of them from the record store without
 * downtime. Each index is rebuilt beside the live one and swapped in atomically by the backend
 * (`SearchBackend.rebuild`); searches answer from the old generation meanwhile, and writes made
 * meanwhile reach the new one.
 *
 * Jobs are kept in a {@link JobStore}, which replicas of the service may share (Tablestore):
 * - the process running a job saves it every `saveEveryMs` (progress and a heartbeat), so any
 *   replica reports it;
 * - a reindex of an index that a job of any replica is rebuilding is refused (409);
 * - a replica that does not run a job cancels it by recording a request in the store; the runner
 *   sees it at its next heartbeat and stops;
 * - a running job whose heartbeat is older than `staleAfterMs` was abandoned by a process that
 *   stopped: it is failed (and saved so) when it is read, listed at start-up or in the way of a new
 *   job. Nothing stays `running` forever, and a live replica's job is never failed.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { JobStore, ReindexJob, ReindexTarget } from '../ports/job-store.ts'
import type { RecordScanner } from '../ports/record-store.ts'
import { RebuildInProgressError, type SearchBackend } from '../ports/search-backend.ts'
import { INDEX_NAMES, type IndexName } from '../query/index-schemas.ts'
import { conflict, notFound, ServiceError } from './errors.ts'
import { startHeartbeat } from './heartbeat.ts'
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
  /**
   * How often the running process saves a job (progress and heartbeat) and looks for a cancel
   * request from another replica.
   * @default 500
   */
  saveEveryMs?: number
  /**
   * A running job whose heartbeat is older than this was abandoned by a stopped process, and is
   * failed. Keep it many heartbeats long (and above the replicas' clock skew). 0 means the job
   * store is not shared (the embedded backend): a running job that is not this process's was
   * abandoned.
   * @default DEFAULT_STALE_AFTER_MS
   */
  staleAfterMs?: number
  /** How long a cancel of a job another replica runs waits for that replica to stop it. @default 5000 */
  cancelWaitMs?: number
  /** Records read per page. @default DEFAULT_PAGE_SIZE */
  pageSize?: number
}

export const INTERRUPTED = 'interrupted: the service stopped while the job ran; start it again'
export const DEFAULT_STALE_AFTER_MS = 30_000
const WITHDRAWN = 'withdrawn: a reindex of an overlapping index started at the same moment on another replica'

/** A job as the API shows it: without the fields replicas coordinate through. */
export type ReindexJobView = Omit<ReindexJob, 'heartbeatAt' | 'cancelRequested'>

interface Running {
  job: ReindexJob
  controller: AbortController
  done: Promise<void>
}

export class Reindexer {
  readonly #deps: ReindexDeps
  readonly #now: () => number
  readonly #saveEvery: number
  readonly #staleAfter: number
  /** Jobs running in this process, with the means to cancel them. */
  readonly #running = new Map<string, Running>()

  constructor(deps: ReindexDeps) {
    this.#deps = deps
    this.#now = deps.now ?? Date.now
    this.#saveEvery = deps.saveEveryMs ?? 500
    this.#staleAfter = deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS
  }

  /** At start-up: jobs left `running` by a stopped process are failed, clearly; live replicas' are left alone. */
  async recoverInterrupted(): Promise<number> {
    const abandoned = (await this.#deps.jobs.listJobs()).filter((job) => this.#abandoned(job))
    for (const job of abandoned) await this.#fail(job)
    return abandoned.length
  }

  async start(target: ReindexTarget): Promise<ReindexJobView> {
    const indexes = target === 'all' ? INDEX_NAMES : [target]
    await this.#refuseOverlap(target)
    const sizes = await Promise.all(
      indexes.map(async (index) => (await this.#deps.backend.stats(index)).documents),
    )
    const startedAt = this.#now()
    const job: ReindexJob = {
      jobId: randomUUID(),
      index: target,
      state: 'running',
      processed: 0,
      total: sizes.reduce((a, b) => a + b, 0),
      startedAt,
      heartbeatAt: startedAt,
    }
    const entry: Running = { job, controller: new AbortController(), done: Promise.resolve() }
    // Registered before it is saved: this process never takes its own job for an abandoned one.
    this.#running.set(job.jobId, entry)
    try {
      await this.#deps.jobs.putJob({ ...job })
      // Replicas that passed the first check at the same moment: the earlier job wins.
      await this.#refuseOverlap(target, job)
    } catch (error) {
      this.#running.delete(job.jobId)
      // Never left running: withdrawn after a conflict, or failed when its save failed (it may have landed).
      const reason = error instanceof ServiceError ? WITHDRAWN : `not started: ${String(error)}`
      await this.#deps.jobs
        .putJob({ ...job, state: 'failed', error: reason, finishedAt: this.#now() })
        .catch(() => {})
      throw error
    }
    entry.done = this.#run(entry, indexes).finally(() => this.#running.delete(job.jobId))
    return view(job)
  }

  async get(jobId: string): Promise<ReindexJobView> {
    const running = this.#running.get(jobId)
    return view(running ? running.job : await this.#stored(jobId))
  }

  /**
   * Stops a running job; the live indexes stay as they were. A job of this process: resolves once
   * it has stopped. Another replica's: records the request and waits up to `cancelWaitMs` for that
   * replica to stop it, then answers the job as it is.
   */
  async cancel(jobId: string): Promise<ReindexJobView> {
    const running = this.#running.get(jobId)
    if (running) {
      running.controller.abort()
      await running.done
      return this.get(jobId)
    }
    let job = await this.#stored(jobId)
    if (job.state !== 'running') throw conflict(`reindex job ${jobId} is ${job.state}, not running`)
    const deadline = Date.now() + (this.#deps.cancelWaitMs ?? 5_000)
    // The shared store keeps the request until the job ends (see JobStore): asked once.
    await this.#deps.jobs.putJob({ ...job, cancelRequested: true })
    while (Date.now() < deadline) {
      await sleep(Math.min(100, this.#saveEvery))
      job = await this.#stored(jobId)
      if (job.state !== 'running') break
    }
    return view(job)
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

  /** A stored job; an abandoned one is failed first. */
  async #stored(jobId: string): Promise<ReindexJob> {
    const job = await this.#deps.jobs.getJob(jobId)
    if (!job) throw notFound(`no reindex job ${jobId}`)
    if (!this.#abandoned(job)) return job
    await this.#fail(job)
    // A shared store keeps a job that finished meanwhile as it finished: answer what it holds.
    return (await this.#deps.jobs.getJob(jobId)) ?? job
  }

  /** Running, not in this process, and no heartbeat within the staleness bound. */
  #abandoned(job: ReindexJob): boolean {
    return (
      job.state === 'running' &&
      !this.#running.has(job.jobId) &&
      this.#now() - (job.heartbeatAt ?? job.startedAt) >= this.#staleAfter
    )
  }

  async #fail(job: ReindexJob): Promise<void> {
    await this.#deps.jobs.putJob({ ...job, state: 'failed', error: INTERRUPTED, finishedAt: this.#now() })
  }

  /**
   * 409 when a running job of any replica rebuilds an index `target` covers. With `mine` (a job
   * already saved), only jobs that started before it count, so of two replicas that started at the
   * same moment exactly one goes on.
   */
  async #refuseOverlap(target: ReindexTarget, mine?: ReindexJob): Promise<void> {
    const blocks = (job: ReindexJob) =>
      job.jobId !== mine?.jobId &&
      job.state === 'running' &&
      (job.index === 'all' || target === 'all' || job.index === target) &&
      (!mine || precedes(job, mine))
    const refuse = (job: ReindexJob) =>
      conflict(`reindex job ${job.jobId} of ${job.index} is running; wait for it or cancel it`)
    for (const { job } of this.#running.values()) if (blocks(job)) throw refuse(job)
    for (const stored of await this.#deps.jobs.listJobs()) {
      if (!blocks(stored)) continue
      if (this.#abandoned(stored)) await this.#fail(stored)
      else throw refuse(stored)
    }
  }

  async #run(entry: Running, indexes: readonly IndexName[]): Promise<void> {
    const { backend, source, jobs } = this.#deps
    const { job, controller } = entry
    const { signal } = controller
    const stopHeartbeat = startHeartbeat(this.#saveEvery, () => this.#beat(entry))
    let before = 0
    try {
      for (const index of indexes) {
        let done = 0
        await backend.rebuild(index, {
          documents: () => documentPages(source, index, this.#deps.pageSize),
          signal,
          onProgress: (n) => {
            done = n
            // Saved by the next heartbeat.
            job.processed = before + n
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
    // No heartbeat may land after the final save.
    await stopHeartbeat()
    try {
      await jobs.putJob({ ...job })
    } catch {
      // Never an unhandled rejection; a job whose final state could not be saved stays "running"
      // in the store until its heartbeat is stale, and is then failed.
    }
  }

  /**
   * One heartbeat of a job this process runs: stop when another replica asked to cancel it (or
   * failed it as abandoned, after this process stalled past the bound); else save progress.
   */
  async #beat({ job, controller }: Running): Promise<void> {
    const stored = await this.#deps.jobs.getJob(job.jobId)
    if (stored?.cancelRequested || (stored && stored.state !== 'running')) {
      controller.abort()
      return
    }
    job.heartbeatAt = this.#now()
    await this.#deps.jobs.putJob({ ...job })
  }
}

/** Whether `a` started before `b` (job ids break ties, so every replica agrees). */
function precedes(a: ReindexJob, b: ReindexJob): boolean {
  return a.startedAt < b.startedAt || (a.startedAt === b.startedAt && a.jobId < b.jobId)
}

function view(job: ReindexJob): ReindexJobView {
  const { heartbeatAt: _heartbeat, cancelRequested: _cancel, ...shown } = job
  return { ...shown }
}
