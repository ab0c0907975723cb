/** @module A per-caller token bucket, in memory: the optional `IMSEARCH_RATE_LIMIT`. */
import type { RateLimiter } from './context.ts'

export type { RateLimiter } from './context.ts'

/** Options for {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per window, which is also the burst size. */
  limit: number
  /** @default 60_000 (one minute) */
  windowMs?: number
  /** Clock, for tests. @default Date.now */
  now?: () => number
  /**
   * Buckets kept before idle ones are swept; bounds memory when many callers come and go.
   * @default 10_000
   */
  maxKeys?: number
}

interface Bucket {
  tokens: number
  updatedAt: number
}

/**
 * A token bucket per key rather than a fixed window: a caller can burst up to `limit` but never
 * gets twice the limit across a window boundary. One process, in memory: with several replicas
 * each enforces its own share, which is the documented behaviour.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit } = options
  const windowMs = options.windowMs ?? 60_000
  const now = options.now ?? Date.now
  const maxKeys = options.maxKeys ?? 10_000
  const perMs = limit / windowMs
  const buckets = new Map<string, Bucket>()

  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(limit, bucket.tokens + (at - bucket.updatedAt) * perMs)
    bucket.updatedAt = at
  }

  const sweep = (at: number) => {
    for (const [key, bucket] of buckets) {
      refill(bucket, at)
      if (bucket.tokens >= limit) buckets.delete(key)
    }
  }

  return {
    take(key) {
      const at = now()
      let bucket = buckets.get(key)
      if (!bucket) {
        if (buckets.size >= maxKeys) sweep(at)
        bucket = { tokens: limit, updatedAt: at }
        buckets.set(key, bucket)
      } else {
        refill(bucket, at)
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))
    },
  }
}
