/**
 * @module The contract run against the oracle itself: a contract the brute-force backend fails is
 * a wrong contract. Fewer property runs: this proves the suite, not a backend.
 */
import { runSearchBackendContract } from '../contract/search-backend.contract.ts'
import { createOracleBackend } from './oracle-backend.ts'

runSearchBackendContract({ name: 'oracle', create: () => createOracleBackend(), numRuns: 50 })
