/**
 * @module Names of people for search results: a client renders a hit without another request.
 * Names come from the record store through a small cache, so that a page of message hits costs
 * no store read in steady state (issue #12: a message search in at most 2 round trips to
 * Tablestore, and the sender names of issue #13 would be a third).
 */
import type { RecordStore } from '../ports/record-store.ts'

export interface People {
  /** The current names of the users that exist among `userIds`. */
  names(userIds: readonly string[]): Promise<Map<string, string>>
}

/** A {@link People} whose answers may be cached: `forget` drops what it knows of a user. */
export interface CachedPeople extends People {
  /** Called after this process wrote or deleted the user: the next answer reads the store. */
  forget(userId: string): void
}

export interface PeopleCacheOptions {
  /**
   * How long a name (or a user's absence) is served from the cache. It is the staleness bound
   * for changes made by OTHER processes sharing the store: this process's own writes go through
   * `forget` and show at once. 0 turns the cache off.
   */
  ttlMs: number
  /** Users remembered at most; those not read for longest go first (second chance). @default 10_000 */
  maxEntries?: number
  now?: () => number
}

/** Five seconds: a rename or deletion on another replica shows in its hits within this. */
export const DEFAULT_NAMES_TTL_MS = 5_000

interface Entry {
  /** undefined: the user does not exist (cached too, so a deleted sender costs no read). */
  name: string | undefined
  expiresAt: number
  /** Read since it was stored or last spared from eviction. */
  read: boolean
}

export function peopleOf(
  store: RecordStore,
  options: PeopleCacheOptions = { ttlMs: DEFAULT_NAMES_TTL_MS },
): CachedPeople {
  const { ttlMs, maxEntries = 10_000, now = Date.now } = options
  // A Map keeps insertion order: re-inserting on every hit makes its first key the least recent.
  const cache = new Map<string, Entry>()
  // Bumped by every `forget`: a read that began before one may carry the forgotten name, so its
  // answer is served but not cached.
  let epoch = 0
  return {
    async names(userIds) {
      const out = new Map<string, string>()
      let missing: string[] | undefined
      const at = now()
      for (const id of userIds) {
        const entry = cache.get(id)
        if (!entry || entry.expiresAt <= at) {
          missing ??= []
          if (!missing.includes(id)) missing.push(id)
          continue
        }
        entry.read = true
        if (entry.name !== undefined) out.set(id, entry.name)
      }
      if (!missing) return out
      const started = epoch
      const users = await store.getUsers(missing)
      const found = new Map(users.map((user) => [user.userId, user.name]))
      for (const id of missing) {
        const name = found.get(id)
        if (name !== undefined) out.set(id, name)
        if (ttlMs > 0 && epoch === started) remember(id, { name, expiresAt: now() + ttlMs, read: false })
      }
      return out
    },
    forget(userId) {
      epoch++
      cache.delete(userId)
    },
  }

  /**
   * Second chance, not a strict LRU: a read only marks its entry (moving it to the end of the
   * map on every read cost more than a microsecond a name, a tenth of a listing's time); the
   * eviction moves marked entries to the end, clearing the mark, and drops the first unmarked one.
   */
  function remember(id: string, entry: Entry): void {
    cache.delete(id)
    cache.set(id, entry)
    for (const [oldest, candidate] of cache) {
      if (cache.size <= maxEntries) break
      cache.delete(oldest)
      if (candidate.read) {
        candidate.read = false
        cache.set(oldest, candidate)
      }
    }
  }
}
