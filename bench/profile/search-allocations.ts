/**
 * @module What a search allocates (issue 15: at 10M the 10% user's p99 is the young generation's
 * collections, one every 0.4–0.55 s under its searches): every message query kind on an index loaded
 * from a snapshot (as `search-loaded-kinds.ts`), the V8 heap's growth across one search, median of
 * the searches no collection interrupted (run with a semi-space larger than a search allocates), and
 * with `--sample FILE` a sampling heap profile of every search, collected objects included (a
 * `.heapprofile`: Chrome DevTools' Memory panel opens it by allocating function). `KINDS` and
 * `AUDIENCE` as in `search-loaded-kinds.ts`:
 * `node --max-semi-space-size=128 --import ./loader/register.mjs bench/profile/search-allocations.ts DIR N [runs] [--sample FILE]`
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { chosenQueries, chosenSearchers, loadedServices, searchRun } from './loaded-services.ts'

const dir = process.argv[2] as string
const n = Number(process.argv[3] ?? 200_000)
const runs = Number(process.argv[4] ?? 50)
const at = process.argv.indexOf('--sample')
const sampleFile = at < 0 ? undefined : process.argv[at + 1]
const { corpus, visible, store, services } = await loadedServices(dir, n)
const session = new Session()
if (sampleFile) {
  session.connect()
  await session.post('HeapProfiler.enable')
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  })
}
for (const searcher of await chosenSearchers(corpus, visible, services)) {
  for (const query of chosenQueries()) {
    const run = searchRun(services, searcher, query)
    let matches = 0
    for (let i = 0; i < 5; i++) matches = (await run()).total
    const grown: number[] = []
    for (let i = 0; i < runs; i++) {
      const before = process.memoryUsage().heapUsed
      await run()
      const growth = process.memoryUsage().heapUsed - before
      // A collection during the search shrinks the heap: that search says nothing.
      if (growth > 0) grown.push(growth)
    }
    grown.sort((a, b) => a - b)
    const median = grown[grown.length >> 1] ?? Number.NaN
    process.stdout.write(
      `${searcher.audience.padEnd(4)} ${query.kind.padEnd(14)} total ${String(matches).padStart(7)}  ${(median / 1e6).toFixed(2).padStart(7)} MB a search  ${(median / Math.max(1, matches)).toFixed(1).padStart(6)} B a match  (${grown.length} of ${runs} uninterrupted)\n`,
    )
  }
}
if (sampleFile) {
  const { profile } = await session.post('HeapProfiler.stopSampling')
  writeFileSync(sampleFile, JSON.stringify(profile))
}
await store.close()
