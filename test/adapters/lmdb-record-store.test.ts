/** @module The durable embedded record store against the record-store contract. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { runChangeFeedContract } from '../contract/change-feed.contract.ts'
import { runRecordScannerContract } from '../contract/record-scanner.contract.ts'
import { runRecordStoreContract } from '../contract/record-store.contract.ts'

const root = mkdtempSync(join(tmpdir(), 'imsearch-lmdb-'))
let n = 0
afterAll(() => rmSync(root, { recursive: true, force: true }))

runRecordStoreContract({
  name: 'lmdb',
  create: () => new LmdbRecordStore(join(root, String(n++))),
  numRuns: 40,
})

runRecordScannerContract({ name: 'lmdb', create: () => new LmdbRecordStore(join(root, String(n++))) })

runChangeFeedContract({
  name: 'lmdb',
  open: (place = join(root, String(n++))) => ({ store: new LmdbRecordStore(place), place }),
})
