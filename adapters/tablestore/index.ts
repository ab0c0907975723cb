/** @module The Tablestore adapter: the search backend and the record store on Alibaba Cloud Tablestore. */
import type { TablestoreOptions } from './config.ts'
import { ADAPTER_NAME } from './constants.ts'
import { TablestoreRecordStore } from './record-store.ts'

export type { RetryPolicy, TablestoreOptions } from './config.ts'
export { describeOptions } from './config.ts'
export { BackendUnavailableError, TablestoreError, TablestoreQueryError } from './errors.ts'
export { ADAPTER_NAME, TablestoreRecordStore }

export function createTablestoreRecordStore(options: TablestoreOptions): TablestoreRecordStore {
  return new TablestoreRecordStore(options)
}
