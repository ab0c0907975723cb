/** @module The Tablestore record store against the record-store contract, through the real SDK and the local emulator. */
import { afterAll, beforeAll } from 'vitest'
import type { RunningEmulator } from '../../adapters/tablestore/emulator/index.ts'
import { startEmulator } from '../../adapters/tablestore/emulator/index.ts'
import { createTablestoreRecordStore } from '../../adapters/tablestore/index.ts'
import { runRecordStoreContract } from '../contract/record-store.contract.ts'

let emu: RunningEmulator
let run = 0
beforeAll(async () => {
  emu = await startEmulator({ port: 0 })
})
afterAll(async () => {
  await emu?.close()
})

runRecordStoreContract({
  name: 'tablestore (emulator)',
  // A fresh table prefix per store: every test and property case starts empty.
  create: () =>
    createTablestoreRecordStore({
      endpoint: emu.endpoint,
      instance: emu.instanceName,
      accessKeyId: emu.accessKeyId,
      accessKeySecret: emu.accessKeySecret,
      tablePrefix: `rs${++run}_`,
      ensureTables: true,
      retry: { maxRetries: 0 },
      insertLeaseMs: 2000,
    }),
})
