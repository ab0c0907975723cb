/**
 * @module The load mix in process, by query word: runs the whole mix (every user × word, `repeat`
 * times a round) one search at a time, in rounds, and prints searches/s, the CPU time a search
 * took (steadier than wall time on a busy machine) and the mean time of each word. Profile it
 * with `node --cpu-prof` (the ingest is in the profile too: read the searches' share with
 * inclusive-profile.ts under `pass`).
 * `node --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/mix-kinds.ts 200000 [rounds] [repeat]`
 */
import { PAGE } from '../phases/queries.ts'
import { searchMix } from '../phases/search-mix.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 200_000)
const rounds = Number(process.argv[3] ?? 5)
const repeat = Number(process.argv[4] ?? 5)
const { corpus, port, services, searchers } = await ingestedCorpus(n)
const mix = searchMix(corpus, port.visible, searchers, 48)

/** One pass over the mix, one search at a time: total seconds and milliseconds per word. */
async function pass() {
  const byWord = new Map<string, number>()
  const began = performance.now()
  const cpu = process.cpuUsage()
  for (let r = 0; r < repeat; r++)
    for (const { userId, q } of mix.searches) {
      const t = performance.now()
      await services.messages.search(userId, { q, limit: PAGE })
      byWord.set(q, (byWord.get(q) ?? 0) + performance.now() - t)
    }
  const used = process.cpuUsage(cpu)
  return { seconds: (performance.now() - began) / 1000, cpuMicros: used.user + used.system, byWord }
}

await pass()
for (let round = 1; round <= rounds; round++) {
  const { seconds, cpuMicros, byWord } = await pass()
  const perWord = mix.users.length * repeat
  const words = [...byWord].map(([q, ms]) => `${q} ${(ms / perWord).toFixed(3)}`).join(', ')
  process.stdout.write(
    `round ${round}: ${Math.round((mix.searches.length * repeat) / seconds)} searches/s, ${Math.round(cpuMicros / (mix.searches.length * repeat))} µs CPU a search; ms per search: ${words}\n`,
  )
}
