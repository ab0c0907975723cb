/** @module The embedded record store against the record-store contract. */
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import { runRecordScannerContract } from '../contract/record-scanner.contract.ts'
import { runRecordStoreContract } from '../contract/record-store.contract.ts'

runRecordStoreContract({ name: 'memory', create: () => new MemoryRecordStore() })
runRecordScannerContract({ name: 'memory', create: () => new MemoryRecordStore() })
