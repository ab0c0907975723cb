/**
 * @module Heavy-tailed draws and a fast weighted sampler for a large population (the fixtures'
 * `sampleWeighted` sorts the whole population per draw, which is too slow for 20,000 groups over
 * 100,000 users).
 */
import { type Rng, searchCumulative } from '../../fixtures/generator/prng.ts'

/** Pareto with scale `min` and shape `alpha`: median min·2^(1/alpha). */
export function pareto(rng: Rng, min: number, alpha: number): number {
  return min / (1 - rng()) ** (1 / alpha)
}

/** Log-normal with median 1. */
export function logNormal(rng: Rng, sigma: number): number {
  const u = 1 - rng()
  const v = rng()
  return Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v))
}

/** Draws indexes in proportion to fixed weights in O(log n) each. */
export class WeightedIndex {
  readonly #cumulative: Float64Array
  readonly #total: number

  constructor(weights: ArrayLike<number>) {
    this.#cumulative = new Float64Array(weights.length)
    let total = 0
    for (let i = 0; i < weights.length; i++) {
      total += Math.max(0, weights[i] as number)
      this.#cumulative[i] = total
    }
    if (total <= 0) throw new Error('WeightedIndex: all weights are zero')
    this.#total = total
  }

  get size(): number {
    return this.#cumulative.length
  }

  draw(rng: Rng): number {
    return searchCumulative(this.#cumulative, rng() * this.#total)
  }

  /** `k` distinct indexes (k ≤ size), rejecting repeats; falls back to a sweep when rejection stalls. */
  distinct(rng: Rng, k: number, exclude?: number): number[] {
    const chosen = new Set<number>()
    if (exclude !== undefined) chosen.add(exclude)
    const wanted = k + chosen.size
    let misses = 0
    while (chosen.size < wanted && misses < 50 * wanted) {
      const i = this.draw(rng)
      if (chosen.has(i)) misses++
      else chosen.add(i)
    }
    for (let i = 0; chosen.size < wanted && i < this.size; i++) chosen.add(i)
    if (exclude !== undefined) chosen.delete(exclude)
    return [...chosen]
  }
}
