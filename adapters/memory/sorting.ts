/**
 * @module Sort keys, their comparison, and the page token that resumes after a hit. Missing
 * values sort last in either direction; ties end on the document id, a total order, so pages
 * neither skip nor repeat.
 */

import type { GeoPoint } from '../../src/domain/geo-point.ts'
import { haversineMetres } from '../../src/geo/distance.ts'
import { InvalidPageTokenError } from '../../src/ports/search-backend.ts'
import type { Sort } from '../../src/query/sort.ts'
import type { DocumentFields } from './stored-documents.ts'

export type SortValue = number | string | boolean | null

export interface Ranked {
  docNo: number
  id: string
  score: number
  keys: SortValue[]
}

/** Writes document `docNo`'s sort keys (its score given) into `keys`: a candidate that does not make the page allocates no array. */
export type KeysInto = (docNo: number, score: number, keys: SortValue[]) => void

export interface SortSpec {
  /** How many keys a hit has (a page token holds as many). */
  readonly keyCount: number
  /** The keys of `docs`' documents, each field read from its column (made once for `docs`). */
  keysFor(docs: DocumentFields): KeysInto
  /**
   * An array for a {@link KeysInto} that keeps each key as it is. A literal `[]` given only numbers
   * (a `sentAt` sort) holds them as raw doubles, and V8 then makes a heap number at each read of a
   * key: in a grouped search, each match compared (0.09 MB a search at 1M).
   */
  keysArray(): SortValue[]
  /**
   * The field of the first key when it is sorted descending: visiting the newest documents first
   * fills the page early (and, when the field ascends with document numbers, lets it stop early).
   */
  readonly newestField: string | undefined
  /**
   * Candidates are best visited by descending document number (documents mostly arrive in time
   * order): the first key is a field sorted descending ({@link newestField}), or the score
   * descending and then such a field (relevance, then newest). A common word's matches tie on
   * score by the thousand; met newest first, the older ties are refused, where met oldest first
   * each newer one displaced the page's worst in turn (the 10% user's 今天 at ten million
   * messages: 72 admitted to the page a search against 2,755). The page is the same in any order.
   */
  readonly newestFirst: boolean
  /** The first key is the score, descending: a candidate scoring below the page's worst hit cannot make it. */
  readonly scoreFirst: boolean
  /** Some key is the score: without one, a search need not score every match, only its hits. */
  readonly usesScore: boolean
  /** The order of two hits by their keys, 0 when every key ties; then {@link compareIds} decides. */
  compareKeys(a: { keys: SortValue[] }, b: { keys: SortValue[] }): number
}

/**
 * Specs by sort, for the sorts a service passes again and again (its constant message sorts):
 * building one makes a handful of closures (3% of the load mix's time when the sources ran through
 * tsx, which made each closure an `Object.defineProperty` call). A spec only reads its sort, never
 * changes.
 */
const specs = new WeakMap<readonly Sort[], SortSpec>()

/** The spec of `sort` (sorts are never changed once made, so it is kept for the same array). */
export function sortSpec(sort: readonly Sort[]): SortSpec {
  let spec = specs.get(sort)
  if (!spec) {
    spec = buildSortSpec(sort)
    specs.set(sort, spec)
  }
  return spec
}

function buildSortSpec(sort: readonly Sort[]): SortSpec {
  const keys = sort.length > 0 ? sort : [{ score: { order: 'desc' } } as const]
  /** A document's key, read by number through `docs`' columns. */
  const extractorOf = (key: Sort | { score: { order: 'desc' } }, docs: DocumentFields) => {
    if ('score' in key) return (_docNo: number, score: number): SortValue => score
    if ('field' in key) {
      const read = docs.reader(key.field.name)
      return (docNo: number): SortValue => {
        const v = read(docNo)
        return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : null
      }
    }
    const { field, center } = key.geo_distance
    const read = docs.reader(field)
    return (docNo: number): SortValue => {
      const p = read(docNo) as GeoPoint | undefined
      return p ? haversineMetres(center, p) : null
    }
  }
  // A spec is kept per sort (see `specs`) and its readers per index's documents.
  const bound = new WeakMap<DocumentFields, KeysInto>()
  const directions = keys.map((key) => {
    const order = 'score' in key ? key.score.order : 'field' in key ? key.field.order : key.geo_distance.order
    return order === 'desc' ? -1 : 1
  })
  const [first, second] = keys
  const descendingField = (key: Sort | undefined): key is Extract<Sort, { field: unknown }> =>
    key !== undefined && 'field' in key && key.field.order === 'desc'
  const scoreFirst = first !== undefined && 'score' in first && first.score.order === 'desc'
  const compareKeys = (a: { keys: SortValue[] }, b: { keys: SortValue[] }): number => {
    for (let i = 0; i < directions.length; i++) {
      const c = compareValues(a.keys[i] ?? null, b.keys[i] ?? null, directions[i] as number)
      if (c !== 0) return c
    }
    return 0
  }
  return {
    keyCount: keys.length,
    keysArray: () => new Array<SortValue>(keys.length).fill(null),
    keysFor: (docs) => {
      let into = bound.get(docs)
      if (!into) {
        const extractors = keys.map((key) => extractorOf(key, docs))
        into = (docNo, score, out) => {
          for (let i = 0; i < extractors.length; i++)
            out[i] = (extractors[i] as (typeof extractors)[0])(docNo, score)
        }
        bound.set(docs, into)
      }
      return into
    },
    scoreFirst,
    newestFirst: descendingField(first) || (scoreFirst && descendingField(second)),
    usesScore: keys.some((key) => 'score' in key),
    newestField: descendingField(first) ? first.field.name : undefined,
    compareKeys,
  }
}

/** The ids' order, the last tie-break of every sort. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The order of groups (see `GroupedSearchRequest`): by the first key of their best document, in
 * the first sort's direction, then by the group's value ascending.
 */
export function groupOrder(
  sort: readonly Sort[],
): (aKey: SortValue, aValue: string, bKey: SortValue, bValue: string) => number {
  const first = sort[0]
  const direction = first && 'field' in first && first.field.order === 'desc' ? -1 : 1
  return (aKey, aValue, bKey, bValue) =>
    compareValues(aKey, bKey, direction) || (aValue < bValue ? -1 : aValue > bValue ? 1 : 0)
}

function compareValues(a: SortValue, b: SortValue, direction: number): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return (a < b ? -1 : 1) * direction
}

interface PageToken {
  keys: SortValue[]
  id: string
}

export function encodePageToken(hit: Ranked): string {
  return Buffer.from(JSON.stringify({ k: hit.keys, i: hit.id })).toString('base64url')
}

export function decodePageToken(token: string, keyCount: number): PageToken {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidPageTokenError('page token is not one this backend issued')
  }
  const { k, i } = (parsed ?? {}) as { k?: unknown; i?: unknown }
  const valid =
    Array.isArray(k) &&
    k.length === keyCount &&
    k.every((v) => v === null || ['number', 'string', 'boolean'].includes(typeof v)) &&
    typeof i === 'string'
  if (!valid) throw new InvalidPageTokenError('page token does not fit this query')
  return { keys: k as SortValue[], id: i as string }
}
