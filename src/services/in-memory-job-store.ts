/** @module Reindex jobs in process memory: the default for one process without a durable job store. */
import type { JobStore, ReindexJob } from '../ports/job-store.ts'

export class InMemoryJobStore implements JobStore {
  readonly #jobs = new Map<string, ReindexJob>()

  async putJob(job: ReindexJob) {
    this.#jobs.set(job.jobId, { ...job })
  }
  async getJob(jobId: string) {
    const job = this.#jobs.get(jobId)
    return job && { ...job }
  }
  async listJobs() {
    return [...this.#jobs.values()].map((job) => ({ ...job })).sort((a, b) => b.startedAt - a.startedAt)
  }
}
