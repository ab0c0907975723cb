/**
 * @module What one record costs the embedded engine's indexes, for sizing the process before a
 * data dir is loaded (`src/services/memory-budget.ts`).
 */
import type { BytesPerRecord } from '../../src/services/memory-budget.ts'

/**
 * Measured by `bench/profile/startup-heap.ts`: the heap plus typed-array buffers a start-up from
 * an LMDB data dir of the bench corpus leaves, after full collections, per record of each kind
 * (one run each at 100k and 300k messages, 2026-12-05): messages 1,027 and 1,227 B, users 1,811
 * and 1,492, groups 3,947 and 4,026, contact rows 672 and 618. The bench corpus is the heavy case
 * (144 recipients a message on average, a new recipient list at every membership change); the
 * message figure grows with the corpus as lists multiply, which the budget's headroom absorbs up
 * to about a quarter. Not the bench's "heap per message" (856 B at 1M): that index is filled
 * through the port from the generated corpus, whose strings it shares.
 */
export const BYTES_PER_RECORD: BytesPerRecord = {
  messages: 1280,
  users: 2048,
  groups: 4096,
  contacts: 768,
}
