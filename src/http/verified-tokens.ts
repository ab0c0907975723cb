/**
 * @module Tokens already verified, by their exact string. A client sends the same bearer token
 * with every request, and verifying it again (jose: decode, an HMAC through WebCrypto's thread
 * pool or an RSA/ECDSA signature, the claims) was 13% of a search request's CPU under load. A token
 * string is its signature: the same string verifies the same way for as long as the keys do, so
 * its caller is reused until the token expires, to the millisecond jose would refuse it, and for
 * at most `maxAgeMs` (so a token whose key leaves a JWKS is refused at most that much later than
 * without this cache; jose keeps a fetched key set up to 10 minutes anyway). There is no revocation
 * list to consult: a token is good until `exp`. Failures are never remembered: a token refused as
 * not yet valid is verified again on its next use.
 */

/** Options for {@link createVerifiedTokens}. */
export interface VerifiedTokensOptions {
  /** Tokens remembered at most; past it the least recently used is forgotten. */
  maxEntries: number
  /** A token is verified again at least this often, whatever its `exp`. */
  maxAgeMs: number
  /** Epoch milliseconds; jose reads `Date` too, so both see the same (possibly faked) clock. */
  now?: () => number
}

/** A bounded map from token string to what verifying it gave, each entry with its deadline. */
export interface VerifiedTokens<T> {
  /** The value remembered for `token`, while its deadline has not passed. */
  get(token: string): T | undefined
  /** Remembers `value` until `validUntilMs` (epoch ms, exclusive) or `maxAgeMs` from now. */
  set(token: string, value: T, validUntilMs: number): void
  readonly size: number
}

/** An entry, linked in order of use: the list's head is the least recently used. */
interface Entry<T> {
  token: string
  value: T
  until: number
  older: Entry<T> | undefined
  newer: Entry<T> | undefined
}

export function createVerifiedTokens<T>(options: VerifiedTokensOptions): VerifiedTokens<T> {
  const now = options.now ?? Date.now
  // Recency in a linked list rather than by deleting and re-inserting into the Map on every use:
  // that re-insertion, per request, cost several times the lookup itself (measured 2026-12-06).
  const entries = new Map<string, Entry<T>>()
  let oldest: Entry<T> | undefined
  let newest: Entry<T> | undefined
  const unlink = (entry: Entry<T>) => {
    if (entry.older) entry.older.newer = entry.newer
    else oldest = entry.newer
    if (entry.newer) entry.newer.older = entry.older
    else newest = entry.older
    entry.older = entry.newer = undefined
  }
  const append = (entry: Entry<T>) => {
    entry.older = newest
    if (newest) newest.newer = entry
    else oldest = entry
    newest = entry
  }
  const forget = (entry: Entry<T>) => {
    unlink(entry)
    entries.delete(entry.token)
  }
  return {
    get(token) {
      const entry = entries.get(token)
      if (entry === undefined) return undefined
      if (now() >= entry.until) {
        forget(entry)
        return undefined
      }
      if (entry !== newest) {
        unlink(entry)
        append(entry)
      }
      return entry.value
    },
    set(token, value, validUntilMs) {
      if (options.maxEntries < 1) return
      const known = entries.get(token)
      if (known) forget(known)
      if (entries.size >= options.maxEntries && oldest) forget(oldest)
      const entry: Entry<T> = {
        token,
        value,
        until: Math.min(validUntilMs, now() + options.maxAgeMs),
        older: undefined,
        newer: undefined,
      }
      entries.set(token, entry)
      append(entry)
    },
    get size() {
      return entries.size
    },
  }
}

/**
 * The first epoch millisecond at which jose refuses a token expiring at `exp` (seconds, possibly
 * fractional) with `toleranceSec` of clock skew. jose calls a token expired when
 * `exp <= floor(now) - tolerance`, now in whole seconds: the answer is the first whole second for
 * which that holds, found with jose's own arithmetic so that rounding cannot make them disagree.
 * A token without `exp` never expires.
 */
export function expiryOf(exp: number | undefined, toleranceSec: number): number {
  if (exp === undefined) return Number.POSITIVE_INFINITY
  const expired = (second: number) => exp <= second - toleranceSec
  let second = Math.ceil(exp + toleranceSec)
  // Beyond 2^53 seconds, whole seconds are no longer all distinct numbers: a date no token reaches.
  if (!Number.isSafeInteger(second)) return second > 0 ? Number.POSITIVE_INFINITY : 0
  while (expired(second - 1)) second--
  while (!expired(second)) second++
  return second * 1000
}
