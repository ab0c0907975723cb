/**
 * @module Recipient sets: the permission filter at any group size (see the README's cost model).
 *
 * A Tablestore array field holds at most 256 values, and a group has up to 2,000 members. So a
 * message does not list its recipients: each distinct sorted recipient list is a set, named by
 * a hash of the list, stored once (`recipient_set`: id → members) with one row per member
 * (`recipient_set_member`: user → set ids), and the message stores only its set id (a keyword).
 * "recipients include u" becomes "recipient_set is one of u's sets": one GetRange for u's set
 * ids, then a TermsQuery (chunked by 1,024) inside the search. A group's messages between two
 * membership changes share one set, so sets are few and are written only when first seen.
 *
 * Sets are immutable (the id is the hash of the members), so every process can cache them.
 * Member rows are written before the set row, and a set counts as existing only once its row
 * does: a crash in between leaves member rows that the next writer of that set rewrites.
 */
import { createHash } from 'node:crypto'
import type { TablestoreClient } from './client.ts'
import { batchGet, batchWrite, cells, condition, INF_MAX, INF_MIN, plainRow, readRange } from './rows.ts'
import { long, rowExists } from './sdk.ts'

/** The id of a recipient list: a hash of its sorted, distinct members. */
export function recipientSetId(recipients: readonly string[]): string {
  const canonical = [...new Set(recipients)].sort()
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 24)
}

/** How many sets' members a process keeps in memory. */
const CACHE_SETS = 10_000

export class RecipientSets {
  readonly #client: TablestoreClient
  readonly #setTable: string
  readonly #memberTable: string
  /** Set id → members, for sets known to exist (insertion order is the eviction order). */
  readonly #cache = new Map<string, string[]>()

  constructor(client: TablestoreClient, tables: { setTable: string; memberTable: string }) {
    this.#client = client
    this.#setTable = tables.setTable
    this.#memberTable = tables.memberTable
  }

  /** Makes sure the set of these recipients exists; resolves with its id. */
  async ensure(recipients: readonly string[]): Promise<string> {
    const members = [...new Set(recipients)].sort()
    const id = recipientSetId(members)
    if (this.#cache.has(id)) return id
    const { row } = await this.#client.call('getRow', {
      tableName: this.#setTable,
      primaryKey: cells({ set_id: id }),
      maxVersions: 1,
    })
    if (!rowExists(row)) {
      await batchWrite(
        this.#client,
        this.#memberTable,
        members.map((userId) => ({ type: 'PUT', key: { user_id: userId, set_id: id }, columns: {} })),
      )
      await this.#client.call('putRow', {
        tableName: this.#setTable,
        condition: condition('IGNORE'),
        primaryKey: cells({ set_id: id }),
        attributeColumns: cells({ members: JSON.stringify(members), size: long(members.length) }),
      })
    }
    this.#remember(id, members)
    return id
  }

  /** The ids of every set the user is in (strongly consistent: a table range read). */
  async setsOf(userId: string): Promise<string[]> {
    const rows = await readRange(this.#client, {
      table: this.#memberTable,
      start: { user_id: userId, set_id: INF_MIN() },
      end: { user_id: userId, set_id: INF_MAX() },
    })
    return rows.map((r) => String(plainRow(r).set_id))
  }

  /** Members of the sets, from the cache or the set table. */
  async membersOf(ids: Iterable<string>): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>()
    const missing: string[] = []
    for (const id of new Set(ids)) {
      const cached = this.#cache.get(id)
      if (cached) out.set(id, cached)
      else missing.push(id)
    }
    if (missing.length > 0) {
      const rows = await batchGet(
        this.#client,
        this.#setTable,
        missing.map((id) => ({ set_id: id })),
      )
      for (const row of rows) {
        const members = JSON.parse(String(row.members)) as string[]
        this.#remember(String(row.set_id), members)
        out.set(String(row.set_id), members)
      }
    }
    return out
  }

  #remember(id: string, members: string[]): void {
    this.#cache.set(id, members)
    if (this.#cache.size > CACHE_SETS) {
      const oldest = this.#cache.keys().next().value
      if (oldest !== undefined) this.#cache.delete(oldest)
    }
  }
}
