/**
 * @module The one-conversation listing (newest first) for the 1% user, ours through the services
 * against flexsearch called bare, on the same corpus in one process: each round measures both in
 * alternating chunks of 10 runs with the same warm-up and number of runs (`measureAlternating`),
 * so a busy neighbour or a GC disturbs both alike. Prints each round's p50 and p99, the medians,
 * and the median of the rounds' flexsearch ÷ ours p99.
 * With `ours` as the last argument it runs only our side, under the inspector's profiler from the
 * first round on (not the ingest), and writes `/tmp/conversation-ours.cpuprofile`.
 * `node --expose-gc --max-old-space-size=16384 --max-semi-space-size=64 --import ./loader/register.mjs bench/profile/conversation-side-by-side.ts 200000 [rounds] [runs] [ours]`
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { FlexSearchTagged } from '../competitors/flexsearch.ts'
import { ScanCorpus } from '../competitors/scan-corpus.ts'
import { corpusMessages } from '../corpus/index.ts'
import { measure, measureAlternating, percentile } from '../lib/stats.ts'
import { messageParams } from '../phases/ours.ts'
import { MESSAGE_QUERIES } from '../phases/queries.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 200_000)
const rounds = Number(process.argv[3] ?? 10)
const runs = Number(process.argv[4] ?? 1000)
const oursOnly = process.argv[5] === 'ours'

const { corpus, services, searchers } = await ingestedCorpus(n)
const searcher = searchers.find((s) => s.audience === '1%')
const query = MESSAGE_QUERIES.find((q) => q.kind === 'filter-only')
if (!searcher || !query) throw new Error('no 1% searcher or filter-only query')
const params = messageParams(query, searcher)
const sides: { name: string; run: () => unknown }[] = [
  { name: 'ours', run: () => services.messages.search(searcher.userId, params) },
]
if (!oursOnly) {
  const scan = new ScanCorpus()
  for (const m of corpusMessages(corpus)) scan.add(m)
  scan.sealed()
  const flex = new FlexSearchTagged(scan)
  let doc = 0
  for (const m of corpusMessages(corpus)) flex.add(doc++, m)
  const q = { q: undefined, userId: searcher.userId, conversationId: searcher.conversationId }
  sides.push({ name: 'flexsearch', run: () => flex.search(q) })
}
process.stdout.write(
  `${searcher.userId} sees ${searcher.visible}; conversation ${searcher.conversationId} (${searcher.conversationMessages} visible)\n`,
)
;(globalThis as { gc?: () => void }).gc?.()

const p99s = new Map<string, number[]>(sides.map((s) => [s.name, []]))
const p50s = new Map<string, number[]>(sides.map((s) => [s.name, []]))
const ratios: number[] = []
const budget = { warmup: 20, minRuns: runs, maxRuns: runs, maxMs: 0 }
const session = oursOnly ? new Session() : undefined
session?.connect()
await session?.post('Profiler.enable')
await session?.post('Profiler.start')
for (let round = 0; round < rounds; round++) {
  // Two sides: alternating chunks of 10 runs (measureAlternating), so a preempted stretch of this
  // busy machine falls on both alike; one side: plain runs for the profile.
  const [ours, flex] = sides as [(typeof sides)[0], (typeof sides)[0] | undefined]
  const measured = flex
    ? await measureAlternating(ours.run, flex.run, budget)
    : { a: await measure(ours.run, budget), b: undefined }
  for (const [side, latency] of [
    [ours, measured.a],
    [flex, measured.b],
  ] as const) {
    if (!side || !latency) continue
    p99s.get(side.name)?.push(latency.p99)
    p50s.get(side.name)?.push(latency.p50)
    process.stdout.write(
      `round ${round} ${side.name}: p50 ${latency.p50} p99 ${latency.p99} max ${latency.max}\n`,
    )
  }
  if (measured.b) ratios.push(measured.b.p99 / measured.a.p99)
}
if (session) {
  const { profile } = await session.post('Profiler.stop')
  writeFileSync('/tmp/conversation-ours.cpuprofile', JSON.stringify(profile))
  session.disconnect()
}
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  )
for (const side of sides) {
  const p99 = p99s.get(side.name) ?? []
  process.stdout.write(
    `${side.name}: p50 median ${median(p50s.get(side.name) ?? [])}, p99 median ${median(p99)} (${Math.min(...p99)}–${Math.max(...p99)})\n`,
  )
}
if (ratios.length > 0)
  process.stdout.write(
    `flexsearch ÷ ours p99, per round: median ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})\n`,
  )
