/**
 * @module `message-kinds.ts` on an index loaded from a snapshot: every message query kind (plain,
 * grouped, four facets) for the 1% and 10% searchers through the services, p50/p99 and total per
 * kind, without ingesting again. Takes a directory that `index-snapshot.ts N --keep DIR` left and
 * the same N; `KINDS=common-zh,conversations` runs only those (for `node --cpu-prof`), `AUDIENCE=10%`
 * only that searcher:
 * `node --max-semi-space-size=64 --import tsx bench/profile/search-loaded-kinds.ts DIR 1000000 [runs]`
 */
import { join } from 'node:path'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { createServices } from '../../src/services/index.ts'
import { corpusEvents, corpusOf } from '../corpus/index.ts'
import { measure } from '../lib/stats.ts'
import { messageParams } from '../phases/ours.ts'
import { pickSearchers } from '../phases/pick-users.ts'
import { IM_QUERIES, MESSAGE_QUERIES } from '../phases/queries.ts'

/** The bench's four facets (`ours.ts`). */
const FOUR_FACETS = ['conversation', 'sender', 'type', 'day'] as const
const dir = process.argv[2] as string
const n = Number(process.argv[3] ?? 200_000)
const runs = Number(process.argv[4] ?? 300)
const kinds = process.env.KINDS?.split(',')
const audience = process.env.AUDIENCE
const budget = { warmup: 20, minRuns: runs, maxRuns: runs, maxMs: 0 }
const corpus = corpusOf(n)
// Messages each user may see, as the bench counts them to pick its searchers.
const visible = new Int32Array(corpus.users.length)
for (const event of corpusEvents(corpus))
  if (event.kind === 'message')
    for (const i of event.message.recipientIdx) visible[i] = (visible[i] as number) + 1
const backend = createMemoryBackend({ snapshotDir: join(dir, 'index-snapshots') })
const load = await backend.snapshots?.load()
if (!load?.loaded) throw new Error(`no snapshot loaded: ${load?.reason}`)
const store = new LmdbRecordStore(join(dir, 'data'))
const services = createServices({ store, backend })
for (const searcher of await pickSearchers(corpus, visible, services)) {
  if (audience && searcher.audience !== audience) continue
  for (const query of [...MESSAGE_QUERIES, ...IM_QUERIES]) {
    if (kinds && !kinds.includes(query.kind)) continue
    const params = messageParams(query, searcher)
    const run =
      query.kind === 'conversations'
        ? () => services.conversations.search(searcher.userId, params)
        : query.kind === 'four-facets'
          ? () =>
              services.messages.search(searcher.userId, {
                ...params,
                facets: FOUR_FACETS,
                tz: 'Asia/Shanghai',
              })
          : () => services.messages.search(searcher.userId, params)
    const { total } = await run()
    const cpu = process.cpuUsage()
    const { p50, p99 } = await measure(run, budget)
    // CPU time a query (every thread, GC helpers too): steadier than wall time on a busy machine.
    const { user, system } = process.cpuUsage(cpu)
    const cpuMs = (user + system) / 1000 / (budget.warmup + runs)
    process.stdout.write(
      `${searcher.audience.padEnd(4)} ${query.kind.padEnd(14)} total ${String(total).padStart(7)}  p50 ${p50.toFixed(2).padStart(7)}  p99 ${p99.toFixed(2).padStart(7)} ms  cpu ${cpuMs.toFixed(2).padStart(7)} ms\n`,
    )
  }
}
await store.close()
