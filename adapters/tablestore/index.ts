/**
 * @module The Tablestore adapter: the search backend, the record store and the reindex job store
 * on Alibaba Cloud Tablestore.
 */
import { TablestoreBackend } from './backend.ts'
import type { TablestoreOptions } from './config.ts'
import { ADAPTER_NAME } from './constants.ts'
import { TablestoreJobStore } from './job-store.ts'
import { TablestoreRecordStore } from './record-store.ts'

export type { RetryPolicy, TablestoreOptions } from './config.ts'
export { describeOptions } from './config.ts'
export {
  BackendUnavailableError,
  TablestoreError,
  TablestoreLimitError,
  TablestoreQueryError,
} from './errors.ts'
export { ADAPTER_NAME, TablestoreBackend, TablestoreJobStore, TablestoreRecordStore }

/** The search backend (eventually consistent); `settle()` waits for completed writes to be searchable. */
export function createTablestoreBackend(options: TablestoreOptions): TablestoreBackend {
  return new TablestoreBackend(options)
}

/** The record store on the seeds' tables. */
export function createTablestoreRecordStore(options: TablestoreOptions): TablestoreRecordStore {
  return new TablestoreRecordStore(options)
}

/** Reindex jobs, shared by every replica on the instance. */
export function createTablestoreJobStore(options: TablestoreOptions): TablestoreJobStore {
  return new TablestoreJobStore(options)
}
