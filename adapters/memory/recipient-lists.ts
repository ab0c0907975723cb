/**
 * @module Recipient lists stored once in the LMDB record store. A group's messages between two
 * membership changes share one list (the 1M bench corpus: 144 recipients a message on average,
 * 166,611 distinct lists), so a message row names its list by content hash instead of carrying
 * about a kilobyte of ids: the data dir shrinks, and opening it decodes each list once. Lists are
 * never deleted: one outlives its messages, and they are few. Reads share one array per list, so
 * the search index also recognises a repeated list by identity.
 */
import { createHash } from 'node:crypto'
import type { Database } from 'lmdb'
import { sameValues } from './recipient-set-index.ts'

/** Lists kept decoded (the arrays are shared with the search index, which keeps every one anyway). */
const CACHED_LISTS = 1 << 18

/** The list's key: 132 bits of SHA-256 over its ids; a collision is detected, never trusted. */
export function listRef(recipients: readonly string[]): string {
  const hash = createHash('sha256')
  for (const id of recipients) hash.update(id).update('\u0000')
  return hash.digest('base64url').slice(0, 22)
}

export class RecipientLists {
  readonly #db: Database<readonly string[], string>
  readonly #decoded = new Map<string, readonly string[]>()

  constructor(db: Database<readonly string[], string>) {
    this.#db = db
  }

  /**
   * Inside a write transaction: stores `recipients` under `ref` unless a list is there already.
   * False when a different list is there (a hash collision): the caller keeps the ids inline.
   * Existence is asked of the database, never of the cache, which may hold a list whose
   * transaction a full disk refused.
   */
  share(ref: string, recipients: readonly string[]): boolean {
    if (!this.#db.doesExist(ref)) {
      this.#db.putSync(ref, recipients)
      return true
    }
    return sameValues(this.#decoded.get(ref) ?? (this.#db.get(ref) as readonly string[]), recipients)
  }

  /** The list a stored message names, decoded once. */
  get(ref: string): readonly string[] {
    const cached = this.#decoded.get(ref)
    if (cached) return cached
    const list = this.#db.get(ref)
    if (list === undefined) throw new Error(`[im-search] [lmdb] recipient list ${ref} is missing`)
    // Shared by every message that names it: frozen, so that no reader can change the others'.
    Object.freeze(list)
    if (this.#decoded.size >= CACHED_LISTS) this.#decoded.delete(this.#decoded.keys().next().value as string)
    this.#decoded.set(ref, list)
    return list
  }
}
