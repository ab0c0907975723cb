/**
 * @module Message search: the caller's query becomes a DSL query with the permission filter in
 * it, before any backend sees it. The caller is always an argument, never part of the request.
 * Facets are counted by the backend over the same query, so they count only what the caller may see.
 */

import type { Attachment } from '../domain/message.ts'
import type { MessageDocument } from '../ports/documents.ts'
import type { FacetCounts, FacetRequest, FacetValue } from '../ports/facets.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import type { Query } from '../query/dsl.ts'
import type { Sort } from '../query/sort.ts'
import { highlight } from '../text/highlight.ts'
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, type QueryTerm } from '../text/query-terms.ts'
import { clauseCount, parseSearch, type SearchSyntax, SearchSyntaxError } from '../text/search-syntax.ts'
import type { CursorCodec } from './cursor.ts'
import { invalidInput } from './errors.ts'
import { buildMessageQuery, type MessageFilters } from './message-query.ts'
import { runPage } from './paging.ts'
import type { People } from './people.ts'

export { permissionFilter } from './message-query.ts'

export type MessageSort = 'relevance' | 'newest' | 'oldest'

export const FACET_NAMES = ['conversation', 'sender', 'type', 'day'] as const
export type FacetName = (typeof FACET_NAMES)[number]
/** Values per facet. */
export const FACET_SIZE = 20

export interface MessageSearchParams extends MessageFilters {
  /** Terms, `-excluded` terms and operators (`text/search-syntax.ts`). */
  q?: string | undefined
  /** Default: `relevance` with a term, `newest` without. */
  sort?: MessageSort | undefined
  /** Facets to count over every match. */
  facets?: readonly FacetName[] | undefined
  limit: number
  cursor?: string | undefined
}

/** The message without its permission fields, with its sender's name, score and highlight. */
export interface MessageHit {
  messageId: string
  conversationId: string
  sequenceId: number
  senderId: string
  /** The sender's current name; null when the sender no longer exists. */
  senderName: string | null
  type: string
  content: string
  sentAt: number
  mentions: string[]
  mentionAll: boolean
  attachments: Attachment[]
  score: number
  highlight: string
}

export interface MessageSearchResult {
  hits: MessageHit[]
  total: number
  nextCursor?: string | undefined
  facets?: Partial<Record<FacetName, FacetValue[]>> | undefined
}

/** A parsed, bounded message search: its query, or `undefined` when nothing can match. */
export interface PreparedSearch {
  syntax: SearchSyntax
  query: Query | undefined
}

/** `q` as the service reads it; a malformed one is a 400 naming `q`. */
export function prepareMessageSearch(callerId: string, params: MessageSearchParams): PreparedSearch {
  const q = params.q?.trim() ?? ''
  if (q.length > MAX_QUERY_LENGTH)
    throw invalidInput('query too long', [{ path: 'q', message: `at most ${MAX_QUERY_LENGTH} characters` }])
  let syntax: SearchSyntax
  try {
    syntax = parseSearch(q)
  } catch (error) {
    if (!(error instanceof SearchSyntaxError)) throw error
    throw invalidInput(`malformed ${error.operator}: operator`, [{ path: 'q', message: error.message }])
  }
  if (clauseCount(syntax) > MAX_QUERY_TERMS)
    throw invalidInput('too many terms', [{ path: 'q', message: `at most ${MAX_QUERY_TERMS} terms` }])
  // A query of only punctuation has nothing that can match: nothing is found, and nothing is
  // listed instead (that would answer a search with the caller's whole history).
  if (q.length > 0 && clauseCount(syntax) === 0) return { syntax, query: undefined }
  return { syntax, query: buildMessageQuery(callerId, params, syntax) }
}

export const MESSAGE_SORTS: Record<MessageSort, Sort[]> = {
  relevance: [
    { score: { order: 'desc' } },
    { field: { name: 'sentAt', order: 'desc' } },
    { field: { name: 'sequenceId', order: 'desc' } },
  ],
  newest: [{ field: { name: 'sentAt', order: 'desc' } }, { field: { name: 'sequenceId', order: 'desc' } }],
  oldest: [{ field: { name: 'sentAt', order: 'asc' } }, { field: { name: 'sequenceId', order: 'asc' } }],
}

function facetRequests(names: readonly FacetName[], tz: string): Record<string, FacetRequest> {
  const requests: Record<FacetName, FacetRequest> = {
    conversation: { kind: 'terms', field: 'conversationId', size: FACET_SIZE },
    sender: { kind: 'terms', field: 'senderId', size: FACET_SIZE },
    type: { kind: 'terms', field: 'type', size: FACET_SIZE },
    day: { kind: 'day', field: 'sentAt', timeZone: tz, size: FACET_SIZE },
  }
  return Object.fromEntries(names.map((name) => [name, requests[name]]))
}

export class MessageSearch {
  constructor(
    private readonly backend: SearchBackend,
    private readonly cursors: CursorCodec,
    private readonly people: People,
  ) {}

  async search(callerId: string, params: MessageSearchParams): Promise<MessageSearchResult> {
    const { syntax, query } = prepareMessageSearch(callerId, params)
    const facetNames = params.facets && params.facets.length > 0 ? [...new Set(params.facets)] : []
    if (!query)
      return {
        hits: [],
        total: 0,
        ...(facetNames.length > 0 ? { facets: Object.fromEntries(facetNames.map((n) => [n, []])) } : {}),
      }
    const sort = params.sort ?? (syntax.terms.length > 0 ? 'relevance' : 'newest')
    const page = await runPage(this.backend, this.cursors, callerId, 'messages', searchScope(params, sort), {
      query,
      sort: MESSAGE_SORTS[sort],
      limit: params.limit,
      cursor: params.cursor,
      facets: facetNames.length > 0 ? facetRequests(facetNames, params.tz ?? 'UTC') : undefined,
      checked: true,
    })
    const names = await this.people.names(page.hits.map((h) => h.document.senderId))
    const result: MessageSearchResult = {
      hits: page.hits.map(({ document, score }) => toMessageHit(document, score, syntax.terms, names)),
      total: page.total,
      nextCursor: page.nextCursor,
    }
    if (page.facets) result.facets = page.facets as FacetCounts
    return result
  }
}

/**
 * What a cursor is bound to: every parameter that changes the hits or their order, named one by
 * one (the type requires each filter parameter, so a new one cannot be left out), not copied by
 * rest and spread, V8's generic copy. Page size and facets are not part of it: a cursor continues
 * the search with another limit, with or without facets.
 */
function searchScope(
  params: MessageSearchParams,
  sort: MessageSort,
): {
  [K in Exclude<keyof MessageSearchParams, 'limit' | 'cursor' | 'facets'>]-?:
    | MessageSearchParams[K]
    | undefined
} {
  return {
    q: params.q,
    conversationId: params.conversationId,
    senderId: params.senderId,
    type: params.type,
    after: params.after,
    before: params.before,
    tz: params.tz,
    sort,
  }
}

/**
 * A hit shows the message, never its recipient list (the permission data stays inside). Fields
 * are named, not copied by rest and spread: V8's generic copy was a quarter of a listing's time.
 */
export function toMessageHit(
  doc: MessageDocument,
  score: number,
  terms: readonly QueryTerm[],
  names: ReadonlyMap<string, string>,
): MessageHit {
  return {
    messageId: doc.messageId,
    conversationId: doc.conversationId,
    sequenceId: doc.sequenceId,
    senderId: doc.senderId,
    senderName: names.get(doc.senderId) ?? null,
    type: doc.type,
    content: doc.content,
    sentAt: doc.sentAt,
    mentions: doc.mentions,
    mentionAll: doc.mentionAll,
    attachments: doc.attachments,
    score,
    highlight: highlight(doc.content, terms),
  }
}
