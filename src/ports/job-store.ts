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
}

export interface JobStore {
  putJob(job: ReindexJob): Promise<void>
  getJob(jobId: string): Promise<ReindexJob | undefined>
  /** Newest first. */
  listJobs(): Promise<ReindexJob[]>
}
