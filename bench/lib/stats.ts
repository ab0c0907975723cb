/** @module Latency samples → percentiles, and a bounded measuring loop. */

export interface LatencySummary {
  runs: number
  p50: number
  p95: number
  p99: number
  mean: number
  max: number
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1] as number
}

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (x: number) => Math.round(x * 1000) / 1000
  return {
    runs: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  }
}

export interface Budget {
  warmup: number
  minRuns: number
  maxRuns: number
  /** Stop after this much measuring time once `minRuns` are done. */
  maxMs: number
}

/** Runs `fn` (warm-up first), timing each call in ms, until the budget is spent. */
export async function measure(fn: () => unknown, budget: Budget): Promise<LatencySummary> {
  for (let i = 0; i < budget.warmup; i++) await fn()
  const samples: number[] = []
  const started = performance.now()
  while (
    samples.length < budget.maxRuns &&
    (samples.length < budget.minRuns || performance.now() - started < budget.maxMs)
  ) {
    const t = performance.now()
    await fn()
    samples.push(performance.now() - t)
  }
  return summarize(samples)
}

/**
 * Two functions measured side by side: the same warm-up and the same number of timed runs each,
 * in alternating chunks (up to 10 runs of one, then as many of the other, the order swapped every
 * chunk), so a busy neighbour, a GC or the heap's state falls on both alike. The warm-up stops
 * early once it has taken a tenth of `maxMs` (a competitor's slow query is not warmed 20 times);
 * `maxMs` bounds the pair's measuring time together.
 */
export async function measureAlternating(
  a: () => unknown,
  b: () => unknown,
  budget: Budget,
): Promise<{ a: LatencySummary; b: LatencySummary }> {
  const warming = performance.now()
  for (let i = 0; i < budget.warmup && (i === 0 || performance.now() - warming < budget.maxMs / 10); i++) {
    await a()
    await b()
  }
  const samples: [number[], number[]] = [[], []]
  const fns = [a, b] as const
  const started = performance.now()
  const timed = async (side: 0 | 1) => {
    const t = performance.now()
    await fns[side]()
    samples[side].push(performance.now() - t)
  }
  for (let chunk = 0; ; chunk++) {
    const runs = samples[0].length
    if (runs >= budget.maxRuns || (runs >= budget.minRuns && performance.now() - started >= budget.maxMs))
      break
    const [first, second] = chunk % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const)
    const chunkStart = performance.now()
    let k = 0
    while (
      k < 10 &&
      runs + k < budget.maxRuns &&
      (k === 0 || performance.now() - chunkStart < budget.maxMs / 20)
    ) {
      await timed(first)
      k++
    }
    for (let i = 0; i < k; i++) await timed(second)
  }
  return { a: summarize(samples[0]), b: summarize(samples[1]) }
}
