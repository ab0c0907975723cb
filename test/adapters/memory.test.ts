/** @module The embedded backend against the search-backend contract. */
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { runSearchBackendContract } from '../contract/search-backend.contract.ts'

runSearchBackendContract({ name: 'memory', create: () => createMemoryBackend() })
// Every caller's documents tested by their bits, as those of a caller who sees more than 65,536
// messages are (the contract's corpora are small: none would be otherwise), and deleted
// documents' postings dropped early, which makes the bits again.
runSearchBackendContract({
  name: 'memory (bits for every caller, early compactions)',
  create: () => new MemoryBackend({ mergedLimit: 0, compactAfterDead: 3 }),
})
