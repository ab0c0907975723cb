/** @module The embedded search backend (minisearch's radix tree plus permission-first planning). */
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { ADAPTER_NAME, MemoryBackend } from './backend.ts'

export { ADAPTER_NAME }

export function createMemoryBackend(): SearchBackend {
  return new MemoryBackend()
}
export { BYTES_PER_RECORD } from './bytes-per-record.ts'
