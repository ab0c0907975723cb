/**
 * @module Where reindex jobs are kept, so that their state outlives a request and, on a shared
 * backend, is seen by every replica.
 */
import type { IndexName } from '../query/index-schemas.ts'

export type ReindexTarget = IndexName | 'all'
export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface ReindexJob {
  jobId: string
  index: ReindexTarget
  state: JobState
  /** Documents written to the new generations so far. */
  processed: number
  /** Documents expected: the live indexes' sizes when the job started (an estimate). */
  total: number
  startedAt: number
  finishedAt?: number | undefined
  error?: string | undefined
  /**
   * When the process running the job last saved it. A running job whose heartbeat is older than
   * the reindexer's staleness bound was abandoned by a process that died. Internal: not shown by
   * the API.
   */
  heartbeatAt?: number | undefined
  /**
   * Another process asked the one running the job to cancel it; the runner notices at its next
   * heartbeat. Internal: not shown by the API.
   */
  cancelRequested?: boolean | undefined
}

/**
 * Reindex jobs by id. A store shared by several processes (replicas) should also make a finished
 * job final: a put of a job whose stored state is no longer `running` is ignored (a conditional
 * write), so that a late heartbeat or cancel request from another replica never reopens it; and
 * keep a cancel request: a put of a running job is ignored once the stored one has
 * `cancelRequested`, so that the runner's heartbeat, read before the request landed, never erases
 * it (its next heartbeat sees the request and stops). A store used by one process may simply
 * replace.
 */
export interface JobStore {
  /** Creates or replaces the job (all its fields: an absent optional field is removed). */
  putJob(job: ReindexJob): Promise<void>
  getJob(jobId: string): Promise<ReindexJob | undefined>
  /** Newest first. */
  listJobs(): Promise<ReindexJob[]>
}
