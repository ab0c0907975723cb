/**
 * @module What one record costs the embedded engine's indexes, for sizing the process before a
 * data dir is loaded (`src/services/memory-budget.ts`).
 */
import type { BytesPerRecord } from '../../src/services/memory-budget.ts'

/**
 * Messages: measured by the bench (`bench/README.md`, "heap per message": JS heap plus
 * typed-array buffers after full GCs, ÷ N) at 1M messages, 856 B in the 2026-11-24 run. Users,
 * groups and contact rows: not measured, generous estimates from their documents (a user carries
 * name forms, pinyin, typo forms, tags and a location); a corpus holds ten to a hundred messages
 * per user, so they move the total little.
 */
export const BYTES_PER_RECORD: BytesPerRecord = {
  messages: 856,
  users: 4096,
  groups: 2048,
  contacts: 512,
}
