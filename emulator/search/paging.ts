/**
 * @module Search paging: the documented offset/limit limits and the opaque `next_token`.
 *
 * A token carries the table, index, the encoded sort it was produced under, a digest of the query
 * and the sort key of the last row returned ("search after"). The next page resumes strictly after
 * that key, so rows are never skipped or repeated while the order is stable. Clients must treat it
 * as opaque bytes.
 *
 * A token sent with a different query is refused. Tablestore's sorting-and-paging pages say a token
 * is valid for the whole query and that the sort must not be resent with it (the Java SDK's
 * `setToken` clears the sort); they are silent on a token sent with a changed query, so the emulator
 * refuses it rather than answer pages of one query from the position of another.
 */
import { createHash } from 'node:crypto'
import { invalidParameter } from '../errors.ts'
import type { PkColumn, PrimaryKey } from '../model/row.ts'
import type { KeyPart, SortKey } from './sorting.ts'

/** Documented limits. */
export const DEFAULT_LIMIT = 10
export const MAX_LIMIT = 100
export const MAX_LIMIT_FROM_INDEX = 1000
export const MAX_OFFSET_PLUS_LIMIT = 100_000

/** Validates offset and limit; `fromIndex` raises the limit cap to 1000 as documented. */
export function checkPage(offset: number, limit: number, fromIndex: boolean): void {
  const max = fromIndex ? MAX_LIMIT_FROM_INDEX : MAX_LIMIT
  if (!Number.isInteger(limit) || limit < 0) throw invalidParameter(`Invalid limit ${limit}.`)
  if (limit > max) throw invalidParameter(`The limit ${limit} exceeds the maximum ${max}.`)
  if (!Number.isInteger(offset) || offset < 0) throw invalidParameter(`Invalid offset ${offset}.`)
  if (offset + limit > MAX_OFFSET_PLUS_LIMIT)
    throw invalidParameter(
      `offset + limit must not exceed ${MAX_OFFSET_PLUS_LIMIT}; use next_token for deep paging.`,
    )
}

type PartJson = null | { n: number } | { b: string } | { s: string } | { z: boolean }
type PkJson = { n: string; k: 'I' | 'S' | 'B'; v: string }

interface TokenJson {
  v: 1
  t: string
  i: string
  s: string | null
  /** Digest of the encoded query the token was produced for. */
  q: string
  p: PartJson[]
  k: PkJson[]
}

/** Decoded token state. */
export interface TokenState {
  readonly sortBytes: Uint8Array | undefined
  readonly after: SortKey
}

const MAGIC = 'tsemu1:'

function partToJson(p: KeyPart): PartJson {
  if (p === null) return null
  if (typeof p === 'number') return { n: p }
  if (typeof p === 'bigint') return { b: p.toString() }
  if (typeof p === 'string') return { s: p }
  return { z: p }
}

function partFromJson(p: PartJson): KeyPart {
  if (p === null) return null
  if ('n' in p) return p.n
  if ('b' in p) return BigInt(p.b)
  if ('s' in p) return p.s
  return p.z
}

function pkToJson(c: PkColumn): PkJson {
  const v = c.value
  if (v.kind === 'INTEGER') return { n: c.name, k: 'I', v: v.value.toString() }
  if (v.kind === 'STRING') return { n: c.name, k: 'S', v: v.value }
  return { n: c.name, k: 'B', v: v.value.toString('base64') }
}

function pkFromJson(c: PkJson): PkColumn {
  if (c.k === 'I') return { name: c.n, value: { kind: 'INTEGER', value: BigInt(c.v) } }
  if (c.k === 'S') return { name: c.n, value: { kind: 'STRING', value: c.v } }
  return { name: c.n, value: { kind: 'BINARY', value: Buffer.from(c.v, 'base64') } }
}

/** A digest of an encoded query, to tell whether a token is sent back with the query it came from. */
export function queryDigest(queryBytes: Uint8Array): string {
  return createHash('sha256').update(queryBytes).digest('base64url')
}

/** Builds the opaque token resuming after `after`. */
export function encodeToken(
  table: string,
  index: string,
  sortBytes: Uint8Array | undefined,
  after: SortKey,
  query: string,
): Buffer {
  const json: TokenJson = {
    v: 1,
    t: table,
    i: index,
    s: sortBytes ? Buffer.from(sortBytes).toString('base64') : null,
    q: query,
    p: after.parts.map(partToJson),
    k: after.pk.map(pkToJson),
  }
  return Buffer.from(MAGIC + Buffer.from(JSON.stringify(json)).toString('base64url'))
}

/** Parses a token and checks that it belongs to this table, index and query. */
export function decodeToken(bytes: Uint8Array, table: string, index: string, query: string): TokenState {
  const text = Buffer.from(bytes).toString('utf8')
  let json: TokenJson
  try {
    if (!text.startsWith(MAGIC)) throw new Error('bad prefix')
    json = JSON.parse(Buffer.from(text.slice(MAGIC.length), 'base64url').toString('utf8')) as TokenJson
    if (json.v !== 1 || !Array.isArray(json.p) || !Array.isArray(json.k)) throw new Error('bad shape')
  } catch {
    throw invalidParameter('Invalid next_token: it was not produced by this search index.')
  }
  if (json.t !== table || json.i !== index)
    throw invalidParameter('Invalid next_token: it belongs to a different table or search index.')
  if (json.q !== query)
    throw invalidParameter('Invalid next_token: it was produced for a different query; send the same query.')
  const pk: PrimaryKey = json.k.map(pkFromJson)
  return {
    sortBytes: json.s === null ? undefined : Buffer.from(json.s, 'base64'),
    after: { parts: json.p.map(partFromJson), pk },
  }
}
