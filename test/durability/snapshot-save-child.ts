/**
 * @module The snapshot crash test's child: applies batch after batch and saves an index snapshot
 * after each, printing `saved <j>` once snapshot j is whole, until the parent kills it.
 * Usage: `node --import ./loader/register.mjs test/durability/snapshot-save-child.ts <snapshotDir>`
 */
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import { applyBatch } from './snapshot-batches.ts'

const dir = process.argv[2]
if (!dir) throw new Error('usage: snapshot-save-child.ts <snapshotDir>')
const backend = new MemoryBackend({ snapshotDir: dir })
for (let j = 1; ; j++) {
  await applyBatch(backend, j)
  await backend.snapshots?.save({ storeId: 'crash-test', covered: j })
  process.stdout.write(`saved ${j}\n`)
}
