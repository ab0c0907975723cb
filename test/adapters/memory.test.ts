/** @module The embedded backend against the search-backend contract. */
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { runSearchBackendContract } from '../contract/search-backend.contract.ts'

runSearchBackendContract({ name: 'memory', create: () => createMemoryBackend() })
