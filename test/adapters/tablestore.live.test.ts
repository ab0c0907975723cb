/**
 * @module Both contracts against real Tablestore, only when all four TABLESTORE_* variables are
 * set (see .env.example; unstorage's `test/drivers/s3.test.ts`). Each run uses its own table
 * prefix and creates its tables; it does not drop them (delete `imt<run>_*` tables afterwards).
 * Search indexes sync within seconds, so loads wait in `settle()`, and property runs are few.
 */
import { describe } from 'vitest'
import { createTablestoreBackend, createTablestoreRecordStore } from '../../adapters/tablestore/index.ts'
import { runRecordStoreContract } from '../contract/record-store.contract.ts'
import { runSearchBackendContract } from '../contract/search-backend.contract.ts'

const env = process.env
const configured = Boolean(
  env.TABLESTORE_ENDPOINT &&
    env.TABLESTORE_INSTANCE &&
    env.TABLESTORE_ACCESS_KEY_ID &&
    env.TABLESTORE_ACCESS_KEY_SECRET,
)
const run = Date.now().toString(36)
let n = 0
const options = () => ({
  endpoint: env.TABLESTORE_ENDPOINT ?? '',
  instance: env.TABLESTORE_INSTANCE ?? '',
  accessKeyId: env.TABLESTORE_ACCESS_KEY_ID ?? '',
  accessKeySecret: env.TABLESTORE_ACCESS_KEY_SECRET ?? '',
  tablePrefix: `imt${run}_${++n}_`,
  ensureTables: true,
  indexLagTimeoutMs: 90_000,
})

describe.skipIf(!configured)('tablestore (live)', { timeout: 600_000 }, () => {
  runRecordStoreContract({
    name: 'tablestore (live)',
    create: () => createTablestoreRecordStore(options()),
    numRuns: 3,
  })
  runSearchBackendContract({
    name: 'tablestore (live)',
    create: () => createTablestoreBackend(options()),
    numRuns: 3,
  })
})
