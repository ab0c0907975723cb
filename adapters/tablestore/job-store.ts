/**
 * @module Reindex jobs on Tablestore: one row per job in `<prefix>reindex_jobs`, so that every
 * replica reports a job another one runs, and a replica that starts later sees it. A finished job
 * is final: every put is conditional on the stored state being `running` (or the row missing), so
 * a late heartbeat, or a cancel request that crossed the job's end, never reopens it. A cancel
 * request stays: a put of a running job is also conditional on the stored row not asking to
 * cancel, so the runner's heartbeat that crossed the request cannot erase it.
 */
import type { JobState, JobStore, ReindexJob, ReindexTarget } from '../../src/ports/job-store.ts'
import { otsCode, TablestoreClient } from './client.ts'
import { type ResolvedOptions, resolveOptions, type TablestoreOptions } from './config.ts'
import { ADAPTER_NAME } from './constants.ts'
import { type ColumnTest, cells, condition, INF_MAX, INF_MIN, plainRow, readRange } from './rows.ts'
import { tableNames } from './schema.ts'
import { long, rowExists } from './sdk.ts'
import { tablesOnFirstUse } from './setup.ts'

export class TablestoreJobStore implements JobStore {
  readonly name = ADAPTER_NAME
  readonly #client: TablestoreClient
  readonly #options: ResolvedOptions
  readonly #table: string
  readonly #ensure: () => Promise<void>

  constructor(options: TablestoreOptions, client?: TablestoreClient) {
    this.#options = resolveOptions(options)
    this.#client = client ?? new TablestoreClient(this.#options)
    this.#ensure = tablesOnFirstUse(this.#client, this.#options, 'jobs')
    this.#table = tableNames(this.#options.tablePrefix).reindexJobs
  }

  async putJob(job: ReindexJob): Promise<void> {
    await this.#ensure()
    try {
      const stillRunning: ColumnTest = { name: 'state', equals: 'running', passIfMissing: true }
      const noCancelAsked: ColumnTest = { name: 'cancel_requested', notEquals: true, passIfMissing: true }
      // PutRow replaces the whole row, so an optional field left out is removed.
      await this.#client.call('putRow', {
        tableName: this.#table,
        condition:
          job.state === 'running'
            ? condition('IGNORE', stillRunning, noCancelAsked)
            : condition('IGNORE', stillRunning),
        primaryKey: cells({ job_id: job.jobId }),
        attributeColumns: cells(jobColumns(job)),
      })
    } catch (error) {
      // The stored job has finished, or is asked to cancel: it stays as it is (see the module doc).
      if (otsCode(error) !== 'OTSConditionCheckFail') throw error
    }
  }

  async getJob(jobId: string): Promise<ReindexJob | undefined> {
    await this.#ensure()
    const { row } = await this.#client.call('getRow', {
      tableName: this.#table,
      primaryKey: cells({ job_id: jobId }),
      maxVersions: 1,
    })
    return rowExists(row) ? jobOf(plainRow(row)) : undefined
  }

  /** Every job (a whole-table range read: jobs are few), newest first. */
  async listJobs(): Promise<ReindexJob[]> {
    await this.#ensure()
    const rows = await readRange(this.#client, {
      table: this.#table,
      start: { job_id: INF_MIN() },
      end: { job_id: INF_MAX() },
    })
    return rows.map((row) => jobOf(plainRow(row))).sort((a, b) => b.startedAt - a.startedAt)
  }

  async close(): Promise<void> {}
}

/** Integers as Int64 (a JS number would be stored as DOUBLE); absent fields are left out. */
function jobColumns(job: ReindexJob) {
  const optionalLong = (n: number | undefined) => (n === undefined ? undefined : long(n))
  return {
    index_name: job.index,
    state: job.state,
    processed: long(job.processed),
    total: long(job.total),
    started_at: long(job.startedAt),
    finished_at: optionalLong(job.finishedAt),
    error: job.error,
    heartbeat_at: optionalLong(job.heartbeatAt),
    cancel_requested: job.cancelRequested,
  }
}

function jobOf(row: Record<string, unknown>): ReindexJob {
  const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value })
  return {
    jobId: String(row.job_id),
    index: row.index_name as ReindexTarget,
    state: row.state as JobState,
    processed: Number(row.processed),
    total: Number(row.total),
    startedAt: Number(row.started_at),
    ...optional('finishedAt', row.finished_at as number | undefined),
    ...optional('error', row.error as string | undefined),
    ...optional('heartbeatAt', row.heartbeat_at as number | undefined),
    ...optional('cancelRequested', row.cancel_requested as boolean | undefined),
  }
}
