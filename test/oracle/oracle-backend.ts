/**
 * @module A search backend made of the oracle: every search is a brute-force scan. It exists to
 * prove the contract suite itself (a contract that the obviously-correct backend fails is a wrong
 * contract), never to serve. Scores of text matches are the oracle's stand-in (the boost), which
 * honours every ordering rule the contract states without reproducing BM25.
 */
import type { DocumentOf } from '../../src/ports/documents.ts'
import type { GroupedSearchPage, GroupedSearchRequest } from '../../src/ports/facets.ts'
import {
  InvalidPageTokenError,
  type SearchBackend,
  type SearchPage,
  type SearchRequest,
} from '../../src/ports/search-backend.ts'
import { ID_FIELDS, INDEX_NAMES, type IndexName } from '../../src/query/index-schemas.ts'
import { oracleFacets, oracleGroups } from './aggregate.ts'
import { oracleSearch } from './evaluate.ts'

export function createOracleBackend(): SearchBackend {
  const stores = Object.fromEntries(
    INDEX_NAMES.map((index) => [index, new Map<string, unknown>()]),
  ) as Record<IndexName, Map<string, unknown>>
  const store = <I extends IndexName>(index: I) => stores[index] as Map<string, DocumentOf<I>>
  const touched = new Map<IndexName, Set<string>>()
  const generations: Record<IndexName, number> = { messages: 1, users: 1, groups: 1, contacts: 1 }
  return {
    name: 'oracle',
    async index(index, documents) {
      for (const doc of documents) {
        const id = String((doc as unknown as Record<string, unknown>)[ID_FIELDS[index]])
        store(index).set(id, structuredClone(doc))
        touched.get(index)?.add(id)
      }
    },
    async remove(index, ids) {
      for (const id of ids) {
        stores[index].delete(id)
        touched.get(index)?.add(id)
      }
    },
    async rebuild(index, options) {
      // Obviously correct, not fast: rebuild a copy, let live writes win, swap.
      const seen = new Set<string>()
      touched.set(index, seen)
      const next = new Map<string, unknown>()
      let done = 0
      for await (const page of options.documents()) {
        for (const doc of page) {
          const id = String((doc as unknown as Record<string, unknown>)[ID_FIELDS[index]])
          if (!seen.has(id)) next.set(id, structuredClone(doc))
        }
        done += page.length
        options.onProgress?.(done)
      }
      for (const id of seen) {
        const live = stores[index].get(id)
        if (live === undefined) next.delete(id)
        else next.set(id, live)
      }
      stores[index] = next
      touched.delete(index)
      return ++generations[index]
    },
    async search<I extends IndexName>(index: I, request: SearchRequest): Promise<SearchPage<I>> {
      const fingerprint = JSON.stringify([index, request.query, request.sort ?? null, request.limit])
      let offset = 0
      if (request.after !== undefined) offset = readToken(request.after, fingerprint)
      const docs = [...store(index).values()]
      const result = oracleSearch(index, docs, request.query, request.sort)
      const hits = result.hits
        .map((h) => ({ id: h.id, score: h.score.score, document: h.document }))
        .sort((a, b) => result.compare(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      const page = hits.slice(offset, offset + request.limit)
      const end = offset + page.length
      return {
        hits: page.map((h) => ({ ...h, document: structuredClone(h.document) })),
        total: result.total,
        next: end < hits.length ? writeToken(end, fingerprint) : undefined,
        ...(request.facets ? { facets: oracleFacets(result.hits, request.facets) } : {}),
      }
    },
    async searchGrouped<I extends IndexName>(
      index: I,
      request: GroupedSearchRequest,
    ): Promise<GroupedSearchPage<I>> {
      const fingerprint = JSON.stringify([index, request.query, request.field, request.sort, request.limit])
      const offset = request.after === undefined ? 0 : readToken(request.after, fingerprint)
      const groups = oracleGroups(index, [...store(index).values()], request)
      const page = groups.slice(offset, offset + request.limit)
      const end = offset + page.length
      return {
        groups: page.map(({ value, count, top }) => ({
          value,
          count,
          top: { id: top.id, score: top.score.score, document: structuredClone(top.document) },
        })),
        total: groups.length,
        next: end < groups.length ? writeToken(end, fingerprint) : undefined,
      }
    },
    async stats(index) {
      return { documents: stores[index].size, generation: generations[index], rebuilding: touched.has(index) }
    },
    async close() {
      for (const s of Object.values(stores)) s.clear()
    },
  }
}

function writeToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ offset, fingerprint })).toString('base64url')
}

function readToken(token: string, fingerprint: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown
    if (typeof parsed === 'object' && parsed !== null) {
      const { offset, fingerprint: f } = parsed as { offset?: unknown; fingerprint?: unknown }
      if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 && f === fingerprint)
        return offset
    }
  } catch {
    // fall through: not a token of ours
  }
  throw new InvalidPageTokenError('[im-search] [oracle] invalid page token')
}
