/**
 * @module Our latency, through the services (`createServices`), so the measured query is the real
 * DSL with the permission filter; and the same query without the permission filter straight on the
 * backend, for the "never slower than unfiltered" target.
 */
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import type { Sort } from '../../src/query/sort.ts'
import type { Services } from '../../src/services/index.ts'
import { buildMessageQuery, type MessageSearchParams } from '../../src/services/message-search.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'
import { type Budget, type LatencySummary, measure } from '../lib/stats.ts'
import type { Searcher } from './pick-users.ts'
import { DISCOVERY_QUERIES, type DiscoveryKind, type MessageQuery, PAGE } from './queries.ts'

export interface MessageLatency {
  kind: MessageQuery['kind']
  label: string
  audience: Searcher['audience']
  userId: string
  total: number
  hits: number
  filtered: LatencySummary
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

const RELEVANCE: Sort[] = [
  { score: { order: 'desc' } },
  { field: { name: 'sentAt', order: 'desc' } },
  { field: { name: 'sequenceId', order: 'desc' } },
]
const NEWEST: Sort[] = [
  { field: { name: 'sentAt', order: 'desc' } },
  { field: { name: 'sequenceId', order: 'desc' } },
]

/** The service's query for these parameters, less the permission filter. */
export function unfilteredQuery(params: MessageSearchParams): { query: Query; sort: Sort[] } {
  const terms = parseQueryTerms(params.q ?? '')
  const built = buildMessageQuery('nobody', params, terms)
  if (!('bool' in built)) throw new Error('unexpected message query shape')
  const filter = (built.bool.filter ?? []).filter((f) => !('terms' in f && f.terms.field === 'recipients'))
  return { query: { bool: { ...built.bool, filter } }, sort: terms.length > 0 ? RELEVANCE : NEWEST }
}

export async function measureMessageQuery(
  services: Services,
  backend: SearchBackend,
  query: MessageQuery,
  searcher: Searcher,
  budget: Budget,
): Promise<MessageLatency> {
  const params = messageParams(query, searcher)
  const once = await services.messages.search(searcher.userId, params)
  const filtered = await measure(() => services.messages.search(searcher.userId, params), budget)
  const { query: dsl, sort } = unfilteredQuery(params)
  const request = { query: dsl, sort, limit: PAGE }
  const unfilteredOnce = await backend.search('messages', request)
  const unfiltered = await measure(() => backend.search('messages', request), budget)
  return {
    kind: query.kind,
    label: query.label,
    audience: searcher.audience,
    userId: searcher.userId,
    total: once.total,
    hits: once.hits.length,
    filtered,
    unfiltered,
    unfilteredTotal: unfilteredOnce.total,
  }
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
