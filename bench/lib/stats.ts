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
