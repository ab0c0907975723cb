/**
 * @module The engine's share of the HTTP load: every request of the load's mix (the users and
 * queries of `phases/search-mix.ts`) run through the services alone, without HTTP, warm; prints the
 * mean time per request and the costliest requests with their totals.
 * `node --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/http-mix-cost.ts 1000000`
 */
import { PAGE } from '../phases/queries.ts'
import { searchMix } from '../phases/search-mix.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 200_000)
const { corpus, port, services, searchers } = await ingestedCorpus(n)
const mix = searchMix(corpus, port.visible, searchers, 48)
const rows: { userId: string; q: string; ms: number; total: number }[] = []
for (const userId of mix.users)
  for (const q of mix.words) {
    const params = { q, limit: PAGE }
    for (let i = 0; i < 5; i++) await services.messages.search(userId, params)
    const began = performance.now()
    let total = 0
    for (let i = 0; i < 50; i++) total = (await services.messages.search(userId, params)).total
    rows.push({ userId, q, ms: (performance.now() - began) / 50, total })
  }
rows.sort((a, b) => b.ms - a.ms)
const meanMs = rows.reduce((sum, row) => sum + row.ms, 0) / rows.length
process.stdout.write(
  `${JSON.stringify({ messages: n, requests: rows.length, meanMs, costliest: rows.slice(0, 20) }, null, 1)}\n`,
)
