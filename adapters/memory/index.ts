/** @module The embedded search backend (minisearch's radix tree plus permission-first planning). */
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { ADAPTER_NAME, MemoryBackend } from './backend.ts'

export { ADAPTER_NAME }

/**
 * The embedded backend. With `snapshotDir` (a directory in the data dir) its indexes can be saved
 * and loaded (`snapshots`); without one (tests, `:memory:` runs) `snapshots` is undefined.
 */
export function createMemoryBackend(options: { snapshotDir?: string | undefined } = {}): SearchBackend {
  return new MemoryBackend({ snapshotDir: options.snapshotDir })
}
export { BYTES_PER_RECORD } from './bytes-per-record.ts'
