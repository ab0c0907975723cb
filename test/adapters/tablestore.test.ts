/**
 * @module The Tablestore search backend against the search-backend contract, through the real SDK
 * and the local emulator, with a search-index lag like production's (asynchronous sync): every
 * load waits in `settle()`, which polls for the writes rather than sleeping.
 */
import { afterAll, beforeAll, expect } from 'vitest'
import { createTablestoreBackend, type TablestoreBackend } from '../../adapters/tablestore/index.ts'
import type { RunningEmulator } from '../../emulator/index.ts'
import { startEmulator } from '../../emulator/index.ts'
import { USERS } from '../contract/fixtures.ts'
import { runSearchBackendContract } from '../contract/search-backend.contract.ts'
import { SUITE_MAX_TABLES } from '../tablestore/emulator-options.ts'

let emu: RunningEmulator
let run = 0
beforeAll(async () => {
  emu = await startEmulator({ port: 0, indexLagMs: 15, maxTables: SUITE_MAX_TABLES })
})
afterAll(async () => {
  await emu?.close()
})

runSearchBackendContract({
  name: 'tablestore (emulator, 15 ms index lag)',
  // A fresh table prefix per backend: every test and property case starts empty.
  create: () =>
    createTablestoreBackend({
      endpoint: emu.endpoint,
      instance: emu.instanceName,
      accessKeyId: emu.accessKeyId,
      accessKeySecret: emu.accessKeySecret,
      tablePrefix: `sb${++run}_`,
      ensureTables: true,
      retry: { maxRetries: 0 },
      indexLagTimeoutMs: 5000,
    }),
  settle: (backend) => (backend as TablestoreBackend).settle(),
  // Each property case creates its tables and pages through the emulator over HTTP.
  numRuns: 60,
  additionalTests: (ctx) => {
    ctx.test(
      'tablestore: rebuild fills a new generation beside the live one; live writes win',
      async (backend) => {
        const [first, second, third] = USERS
        if (!first || !second || !third) throw new Error('fixtures changed')
        await ctx.load(backend, 'users', [first, second])
        const renamed = { ...second, name: 'live write' }
        const generation = await backend.rebuild('users', {
          documents: async function* () {
            // A live write lands while the rebuild reads older records: it must win.
            await backend.index('users', [renamed])
            yield [first, second, third]
          },
        })
        await (backend as TablestoreBackend).settle()
        expect(generation).toBe(2)
        expect(await backend.stats('users')).toEqual({ documents: 3, generation: 2, rebuilding: false })
        const page = await backend.search('users', { query: { match_all: {} }, limit: 10 })
        expect(page.hits.map((h) => [h.id, h.document.name]).sort()).toEqual(
          [
            [first.userId, first.name],
            [second.userId, 'live write'],
            [third.userId, third.name],
          ].sort(),
        )
      },
    )
  },
})
