/** @module The embedded record store against the record-store contract. */
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import { runRecordStoreContract } from '../contract/record-store.contract.ts'

runRecordStoreContract({ name: 'memory', create: () => new MemoryRecordStore() })
