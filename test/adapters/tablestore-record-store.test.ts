/** @module The Tablestore record store against the record-store contract, through the real SDK and the local emulator. */
import { createTablestoreRecordStore } from '../../adapters/tablestore/index.ts'
import { runRecordStoreContract } from '../contract/record-store.contract.ts'
import { emulatorOptions, useTablestoreEmulator } from '../tablestore/emulator-options.ts'

const emu = useTablestoreEmulator(0)
let run = 0

runRecordStoreContract({
  name: 'tablestore (emulator)',
  // A fresh table prefix per store: every test and property case starts empty.
  create: () =>
    createTablestoreRecordStore({ ...emulatorOptions(emu(), `rs${++run}_`), insertLeaseMs: 2000 }),
})
