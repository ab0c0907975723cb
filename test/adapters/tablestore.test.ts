/**
 * @module The Tablestore search backend against the search-backend contract, through the real SDK
 * and the strict local emulator: new tables not ready at once, new search indexes syncing, and a
 * search-index lag like production's (asynchronous sync), short by default and seconds under
 * `IMSEARCH_LONG=1`. Every load waits in the port's `settle()`, which polls for the writes rather
 * than sleeping.
 */
import { expect } from 'vitest'
import { createTablestoreBackend } from '../../adapters/tablestore/index.ts'
import { USERS } from '../contract/fixtures.ts'
import { runSearchBackendContract } from '../contract/search-backend.contract.ts'
import { emulatorOptions, LONG, STRICT, useTablestoreEmulator } from '../tablestore/emulator-options.ts'

const emulator = useTablestoreEmulator()
let run = 0

runSearchBackendContract({
  name: `tablestore (emulator, ${STRICT.indexLagMs} ms index lag, ${STRICT.tableReadyMs} ms table readiness)`,
  // A fresh table prefix per backend: every test and property case starts empty.
  create: () => createTablestoreBackend(emulatorOptions(emulator(), `sb${++run}_`)),
  // Each property case creates its tables (waiting for them) and pages through the emulator.
  numRuns: LONG ? 4 : 60,
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
        await backend.settle?.()
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
