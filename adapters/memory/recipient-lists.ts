/**
 * @module Recipient lists stored once in the LMDB record store. A group's messages between two
 * membership changes carry the same list (the bench corpus: 144 ids a message on average), and
 * writing it into every row made a batch of 500 messages about 700 KB to encode, compress and
 * commit. A row now names a long list by a hash of its ids, and the list is written once, in the
 * transaction of the first message naming it, so a committed row's list is always there (a crash
 * keeps both or neither). Rows of the earlier format, with the ids inline, read as before; short
 * lists (direct messages) stay inline. Lists are never deleted: one may outlive its messages, and
 * it is small beside them.
 */
import { createHash } from 'node:crypto'
import type { Database } from 'lmdb'

/** Lists shorter than this stay inline: their ids take about what a key does. */
export const SHARED_MIN = 4

/** Decoded lists kept by key: enough for every group active at once, small beside the index. */
const DECODED = 4096

/**
 * A list's key: 132 bits of SHA-256 over its ids, each ended by a NUL (ids hold none: a
 * collision is detected and kept inline, never trusted). One `update` for the whole list: one per
 * id made hashing a fifth of a batch's store work.
 */
export function listKey(ids: readonly string[]): string {
  return createHash('sha256')
    .update(`${ids.join('\u0000')}\u0000`)
    .digest('base64url')
    .slice(0, 22)
}

export class RecipientLists {
  readonly #db: Database<readonly string[], string>
  /** Each list array given to {@link share} → its key: a group's array is hashed once, not per message. */
  readonly #keys = new WeakMap<readonly string[], string>()
  /**
   * Arrays whose list is committed under their key (stored, or found equal to the list there):
   * lists are never deleted, so these are neither looked up nor compared again. Most messages of
   * a batch name a list an earlier batch stored: a lookup each was a tenth of the batch's writes.
   */
  readonly #committed = new WeakSet<readonly string[]>()
  /** Arrays checked in the open write transaction, which sees its own writes (see {@link takeChecked}). */
  readonly #checked = new Set<readonly string[]>()
  /** Lists by key, frozen and shared by every message naming them (the search index finds them by identity). */
  readonly #decoded = new Map<string, readonly string[]>()

  constructor(db: Database<readonly string[], string>) {
    this.#db = db
  }

  /**
   * Inside a write transaction: the key naming `ids` in a row, storing the list unless it is
   * there already; `undefined` when the ids stay inline (a short list, or a different list under
   * the same key). Whether a list is stored is asked of the transaction, which sees its own writes.
   */
  share(ids: readonly string[]): string | undefined {
    if (ids.length < SHARED_MIN) return undefined
    let key = this.#keys.get(ids)
    if (key === undefined) {
      key = listKey(ids)
      this.#keys.set(ids, key)
    }
    if (!this.#committed.has(ids) && !this.#checked.has(ids)) {
      if (!this.#db.doesExist(key)) this.#db.putSync(key, ids)
      else if (!sameIds(this.#db.get(key) as readonly string[], ids)) return undefined
      this.#checked.add(ids)
    }
    // A frozen array (the ingestion's member lists) is what a read of this list can answer.
    if (Object.isFrozen(ids) && !this.#decoded.has(key)) this.#keep(key, ids)
    return key
  }

  /**
   * At the end of a write transaction's function: the arrays it checked, for {@link committed}
   * once the transaction is on disk.
   */
  takeChecked(): readonly (readonly string[])[] {
    const checked = [...this.#checked]
    this.#checked.clear()
    return checked
  }

  /** The transaction that checked `checked` ({@link takeChecked}) is committed: their lists are stored for good. */
  committed(checked: readonly (readonly string[])[]): void {
    for (const ids of checked) this.#committed.add(ids)
  }

  /** After a failed write transaction: what it wrote may not be stored, so it is checked again. */
  forgetUncommitted(): void {
    this.#checked.clear()
    this.#decoded.clear()
  }

  /** The list a row names, decoded once while kept. */
  get(key: string): readonly string[] {
    const kept = this.#decoded.get(key)
    if (kept) return kept
    const ids = this.#db.get(key)
    if (ids === undefined) throw new Error(`[im-search] [lmdb] recipient list ${key} is missing`)
    // Shared by every message that names it: frozen, so that no reader can change the others'.
    this.#keep(key, Object.freeze(ids))
    return ids
  }

  #keep(key: string, ids: readonly string[]): void {
    if (this.#decoded.size >= DECODED) this.#decoded.delete(this.#decoded.keys().next().value as string)
    this.#decoded.set(key, ids)
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
