/**
 * @module The load mix on two checkouts' engines in one process, side by side: each checkout
 * ingests the corpus through its own port and services, both answer the whole mix once (they
 * must agree), then passes over the mix alternate between them, so a busy neighbour disturbs
 * both alike. Prints each pass (searches/s, CPU µs a search, ms a search by word) and the
 * medians and their ratio.
 * `node --expose-gc --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/mix-side-by-side.ts /path/to/base-checkout 200000 [rounds] [repeat]`
 * (a base checkout: `git archive <commit> | tar -x -C DIR` and a `node_modules` link.)
 */
import { resolve } from 'node:path'
import type { SearchMix } from '../phases/search-mix.ts'
import type { ingestedCorpus } from './ingested.ts'

type Services = Awaited<ReturnType<typeof ingestedCorpus>>['services']
interface Side {
  name: string
  services: Services
  mix: SearchMix
}
interface Pass {
  perSecond: number
  cpuMicros: number
  msByWord: Map<string, number>
}

const baseDir = resolve(process.argv[2] as string)
const n = Number(process.argv[3] ?? 200_000)
const rounds = Number(process.argv[4] ?? 10)
const repeat = Number(process.argv[5] ?? 3)
const PAGE = 20

async function sideOf(name: string, root: string): Promise<Side> {
  const ingested: typeof import('./ingested.ts') = await import(`${root}/bench/profile/ingested.ts`)
  const mixes: typeof import('../phases/search-mix.ts') = await import(`${root}/bench/phases/search-mix.ts`)
  const { corpus, port, services, searchers } = await ingested.ingestedCorpus(n)
  return { name, services, mix: mixes.searchMix(corpus, port.visible, searchers, 48) }
}

const sides = [await sideOf('base', baseDir), await sideOf('this', resolve(import.meta.dirname, '../..'))]
;(globalThis as { gc?: () => void }).gc?.()
const [base, ours] = sides as [Side, Side]
for (const { userId, q } of base.mix.searches) {
  const answer = async (side: Side) => {
    const { nextCursor: _, ...rest } = await side.services.messages.search(userId, { q, limit: PAGE })
    return JSON.stringify(rest)
  }
  if ((await answer(base)) !== (await answer(ours))) throw new Error(`the answers differ: ${userId} ${q}`)
}
process.stdout.write('answers identical on the whole mix\n')

async function pass(side: Side): Promise<Pass> {
  const msByWord = new Map<string, number>()
  const cpu = process.cpuUsage()
  const began = performance.now()
  for (let r = 0; r < repeat; r++)
    for (const { userId, q } of side.mix.searches) {
      const t = performance.now()
      await side.services.messages.search(userId, { q, limit: PAGE })
      msByWord.set(q, (msByWord.get(q) ?? 0) + performance.now() - t)
    }
  const used = process.cpuUsage(cpu)
  const searches = side.mix.searches.length * repeat
  for (const [q, ms] of msByWord) msByWord.set(q, ms / (side.mix.users.length * repeat))
  return {
    perSecond: searches / ((performance.now() - began) / 1000),
    cpuMicros: (used.user + used.system) / searches,
    msByWord,
  }
}

const passes = new Map<string, Pass[]>(sides.map((side) => [side.name, []]))
// Round 0 warms both up and is not counted; the order alternates each round.
for (let round = 0; round <= rounds; round++)
  for (const side of round % 2 ? [base, ours] : [ours, base]) {
    const result = await pass(side)
    const words = [...result.msByWord].map(([q, ms]) => `${q} ${ms.toFixed(3)}`).join(', ')
    process.stdout.write(
      `round ${round} ${side.name}: ${Math.round(result.perSecond)}/s, ${Math.round(result.cpuMicros)} µs CPU; ms a search: ${words}${round === 0 ? ' (warm-up)' : ''}\n`,
    )
    if (round > 0) passes.get(side.name)?.push(result)
  }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const summary = Object.fromEntries(
  [...passes].map(([name, results]) => [
    name,
    {
      searchesPerSecond: Math.round(median(results.map((r) => r.perSecond))),
      cpuMicros: Math.round(median(results.map((r) => r.cpuMicros))),
      msByWord: Object.fromEntries(
        [...(results[0]?.msByWord.keys() ?? [])].map((q) => [
          q,
          Math.round(median(results.map((r) => r.msByWord.get(q) ?? 0)) * 1000) / 1000,
        ]),
      ),
    },
  ]),
)
const ratio = (summary.this?.searchesPerSecond ?? 0) / (summary.base?.searchesPerSecond ?? 1)
process.stdout.write(
  `${JSON.stringify({ messages: n, rounds, repeat, ...summary, ratio: Math.round(ratio * 100) / 100 })}\n`,
)
