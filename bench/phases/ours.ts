/**
 * @module Our latency, through the services (`createServices`), so the measured query is the real
 * DSL with the permission filter; and, for the "never slower than unfiltered" target, that DSL
 * straight on the backend with and without the permission filter (the services add highlighting
 * and cursor signing per hit, which is not the filter's cost).
 */
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import type { Sort } from '../../src/query/sort.ts'
import type { Services } from '../../src/services/index.ts'
import {
  MESSAGE_SORTS,
  type MessageSearchParams,
  prepareMessageSearch,
} from '../../src/services/message-search.ts'
import { type Budget, type LatencySummary, measure } from '../lib/stats.ts'
import type { Searcher } from './pick-users.ts'
import { DISCOVERY_QUERIES, type DiscoveryKind, type IM_QUERIES, type MessageQuery, PAGE } from './queries.ts'

export interface MessageLatency {
  kind: MessageQuery['kind']
  label: string
  audience: Searcher['audience']
  userId: string
  total: number
  hits: number
  /**
   * The first call of the kind in this process, through the services, in ms: what a caller waits
   * for after a start, when it makes what the indexes build on first use (facet columns, counts
   * by recipient set). Taken in the bench's order: a structure an earlier kind made is not
   * made again.
   */
  firstMs: number
  /** Through the services: what a caller waits for. */
  filtered: LatencySummary
  /** The services' query, permission filter included, straight on the backend. */
  backendFiltered: LatencySummary
  /** The same without the permission filter, straight on the backend. */
  unfiltered: LatencySummary
  unfilteredTotal: number
}

export interface DiscoveryLatency {
  kind: DiscoveryKind
  label: string
  total: number
  hits: number
  latency: LatencySummary
}

export function messageParams(query: MessageQuery, searcher: Searcher): MessageSearchParams {
  return query.q === undefined
    ? { conversationId: searcher.conversationId, sort: 'newest', limit: PAGE }
    : { q: query.q, limit: PAGE }
}

/** The service's query and sort for these parameters, as `callerId`. */
function serviceQuery(callerId: string, params: MessageSearchParams): { query: Query; sort: Sort[] } {
  const { syntax, query } = prepareMessageSearch(callerId, params)
  if (!query) throw new Error(`[bench] the query ${params.q} can match nothing`)
  return { query, sort: MESSAGE_SORTS[params.sort ?? (syntax.terms.length > 0 ? 'relevance' : 'newest')] }
}

/** The service's query for these parameters, less the permission filter. */
export function unfilteredQuery(params: MessageSearchParams): { query: Query; sort: Sort[] } {
  const { query: built, sort } = serviceQuery('nobody', params)
  if (!('bool' in built)) throw new Error('unexpected message query shape')
  const filter = (built.bool.filter ?? []).filter((f) => !('terms' in f && f.terms.field === 'recipients'))
  return { query: { bool: { ...built.bool, filter } }, sort }
}

export async function measureMessageQuery(
  services: Services,
  backend: SearchBackend,
  query: MessageQuery,
  searcher: Searcher,
  budget: Budget,
): Promise<MessageLatency> {
  const params = messageParams(query, searcher)
  const withFilter = { ...serviceQuery(searcher.userId, params), limit: PAGE }
  const request = { ...unfilteredQuery(params), limit: PAGE }
  return latencies(query, searcher, budget, {
    services: () => services.messages.search(searcher.userId, params),
    filtered: () => backend.search('messages', withFilter),
    unfiltered: () => backend.search('messages', request),
  })
}

/** A query's three measurements: through the services, and on the backend with and without the filter. */
async function latencies(
  query: MessageQuery,
  searcher: Searcher,
  budget: Budget,
  run: {
    services: () => Promise<{ total: number; hits: unknown[] }>
    filtered: () => Promise<unknown>
    unfiltered: () => Promise<{ total: number }>
  },
): Promise<MessageLatency> {
  const started = performance.now()
  const once = await run.services()
  const firstMs = Math.round((performance.now() - started) * 100) / 100
  const unfilteredOnce = await run.unfiltered()
  return {
    kind: query.kind,
    label: query.label,
    audience: searcher.audience,
    userId: searcher.userId,
    total: once.total,
    hits: once.hits.length,
    firstMs,
    filtered: await measure(run.services, budget),
    backendFiltered: await measure(run.filtered, budget),
    unfiltered: await measure(run.unfiltered, budget),
    unfilteredTotal: unfilteredOnce.total,
  }
}

/** The four facets of issue 13, over every match. */
const FOUR_FACETS = ['conversation', 'sender', 'type', 'day'] as const

/**
 * Issue 13's searches: through the services (conversation search, or message search with four
 * facets), and straight on the backend with and without the permission filter, as
 * {@link measureMessageQuery} does for the plain ones.
 */
export async function measureImQuery(
  services: Services,
  backend: SearchBackend,
  query: (typeof IM_QUERIES)[number],
  searcher: Searcher,
  budget: Budget,
): Promise<MessageLatency> {
  const params: MessageSearchParams = { q: query.q, limit: PAGE }
  const filtered = serviceQuery(searcher.userId, params)
  const unfiltered = unfilteredQuery(params)
  const facets = Object.fromEntries(
    FOUR_FACETS.map((name) => [
      name,
      name === 'day'
        ? { kind: 'day' as const, field: 'sentAt', timeZone: 'Asia/Shanghai', size: 20 }
        : {
            kind: 'terms' as const,
            field: { conversation: 'conversationId', sender: 'senderId', type: 'type' }[name],
            size: 20,
          },
    ]),
  )
  const grouped = query.kind === 'conversations'
  const throughServices = grouped
    ? () => services.conversations.search(searcher.userId, params)
    : () => services.messages.search(searcher.userId, { ...params, facets: FOUR_FACETS, tz: 'Asia/Shanghai' })
  const onBackend = (q: { query: Query; sort: Sort[] }) =>
    grouped
      ? () =>
          backend.searchGrouped('messages', {
            query: q.query,
            field: 'conversationId',
            sort: MESSAGE_SORTS.newest,
            limit: PAGE,
          })
      : () => backend.search('messages', { ...q, limit: PAGE, facets })
  return latencies(query, searcher, budget, {
    services: throughServices,
    filtered: onBackend(filtered),
    unfiltered: onBackend(unfiltered),
  })
}

export async function measureDiscovery(
  services: Services,
  callerId: string,
  budget: Budget,
): Promise<DiscoveryLatency[]> {
  const out: DiscoveryLatency[] = []
  for (const q of DISCOVERY_QUERIES) {
    const run = () =>
      q.index === 'users'
        ? services.discovery.searchUsers(callerId, q.params)
        : services.discovery.searchGroups(callerId, q.params)
    const once = await run()
    out.push({
      kind: q.kind,
      label: q.label,
      total: once.total,
      hits: once.hits.length,
      latency: await measure(run, budget),
    })
  }
  return out
}
