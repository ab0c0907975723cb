/**
 * @module Brute-force answers over the model. Who may see what comes from the model alone (the
 * permission rules); what a text or a name matches comes from the shared matching rule and the
 * DSL oracle (`test/oracle/evaluate.ts`) over documents made from the model's records, so a
 * service that forgot a privacy filter, or a backend that ignored one, disagrees with it.
 */
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import type { Query } from '../../src/query/dsl.ts'
import type { Sort } from '../../src/query/sort.ts'
import {
  type GeoArea,
  geoFilter,
  NAME_SCORES,
  nameQuery,
  tagNames,
  tagQuery,
} from '../../src/services/discovery-query.ts'
import { contactDocument, groupDocument, userDocument } from '../../src/services/documents.ts'
import type { MessageSearchParams, MessageSort } from '../../src/services/message-search.ts'
import { tokenize } from '../../src/text/analyzer.ts'
import { matchesAllTerms } from '../../src/text/match-rule.ts'
import { parseQueryTerms, type QueryTerm } from '../../src/text/query-terms.ts'
import { type Doc, type OracleResult, oracleSearch } from '../oracle/evaluate.ts'
import type { Model, ModelMessage } from './model.ts'

/** A message search as the API takes it, without the cursor, and who asks. */
export type MessageQuery = Omit<MessageSearchParams, 'cursor'> & { caller: string }

export interface ExpectedMessages {
  /** In the order a time sort must return them; any order for relevance. */
  hits: ModelMessage[]
  terms: QueryTerm[]
  sort: MessageSort
}

/** What `caller` must find: visible, not recalled, inside every filter, every term matching. */
export function expectedMessages(model: Model, query: MessageQuery): ExpectedMessages {
  const q = query.q?.trim() ?? ''
  const terms = parseQueryTerms(q)
  const sort = query.sort ?? (terms.length > 0 ? 'relevance' : 'newest')
  // A query with no term that can match (only emoji or punctuation) finds nothing; no query lists all.
  if (q.length > 0 && terms.length === 0) return { hits: [], terms, sort }
  const hits = model.messages.filter(
    (m) =>
      model.messageVisible(query.caller, m) &&
      (query.conversationId === undefined || m.conversationId === query.conversationId) &&
      (query.senderId === undefined || m.senderId === query.senderId) &&
      (query.type === undefined || m.type === query.type) &&
      (query.after === undefined || m.sentAt >= query.after) &&
      (query.before === undefined || m.sentAt < query.before) &&
      (terms.length === 0 || matchesAllTerms(tokenize(m.content), terms)),
  )
  hits.sort(byTime)
  if (sort !== 'oldest') hits.reverse()
  return { hits, terms, sort }
}

/** Oldest first: sentAt, then sequenceId. */
export const byTime = (a: ModelMessage, b: ModelMessage) => a.sentAt - b.sentAt || a.sequenceId - b.sequenceId

/** The sort key a time-sorted answer is compared on: equal keys may come in either order. */
export const timeKey = (m: { sentAt: number; sequenceId: number }) => `${m.sentAt}/${m.sequenceId}`

/** A conversation's history as `caller` must read it: visible messages, newest first. */
export function expectedHistory(model: Model, caller: string, conversationId: string): ModelMessage[] {
  return model.messages
    .filter((m) => m.conversationId === conversationId && model.messageVisible(caller, m))
    .sort((a, b) => b.sequenceId - a.sequenceId)
}

export interface DiscoveryQuery {
  index: 'users' | 'groups'
  caller: string
  q?: string | undefined
  tags: string[]
  tagMode: 'any' | 'all'
  area?: GeoArea | undefined
  near?: GeoPoint | undefined
  sort: 'relevance' | 'distance'
  limit: number
}

/** The centre distances are measured from, as the API defines it. */
export function centreOf(query: DiscoveryQuery): GeoPoint | undefined {
  return query.near ?? (query.area?.kind === 'radius' ? query.area.center : undefined)
}

/**
 * Every user or group `caller` may find that matches, with the order rule of the requested sort.
 * The visibility filter is the model's list of ids, not the service's `discoverable`/`visibility`
 * clauses; the contact boost is +1 for each of the caller's contacts, as documented.
 */
export function expectedDiscovery(model: Model, query: DiscoveryQuery): OracleResult<Doc> {
  const must: Query[] = []
  const filter: Query[] = []
  const should: Query[] = []
  const empty = () => oracleSearch(query.index, [], { match_all: {} })
  if (query.q?.trim()) {
    const names = nameQuery(query.q.trim())
    if (!names) return empty()
    must.push(names)
  }
  const tags = tagNames(query.tags)
  if (tags.length > 0) {
    const t = tagQuery(tags, query.tagMode)
    must.push(t.must)
    filter.push(...t.filter)
  }
  if (query.area) filter.push(geoFilter(query.area))
  let docs: Doc[]
  if (query.index === 'users') {
    docs = [...model.users.values()]
      .filter((u) => model.userVisible(query.caller, u.userId))
      .map(userDocument)
    const contacts = model.contactsOf(query.caller).map((c) => c.contactId)
    if (contacts.length > 0)
      should.push({
        constant_score: {
          filter: { terms: { field: 'userId', values: contacts } },
          boost: NAME_SCORES.contact,
        },
      })
  } else {
    docs = [...model.groups.values()]
      .filter((g) => model.groupVisible(query.caller, g.record.groupId))
      .map((g) => groupDocument({ ...g.record, createdAt: 0, memberCount: g.members.size }))
  }
  const centre = centreOf(query)
  const byDistance: Sort[] = centre
    ? [{ geo_distance: { field: 'location', center: centre, order: 'asc' } }]
    : []
  const sort: Sort[] = query.sort === 'distance' ? byDistance : [{ score: { order: 'desc' } }, ...byDistance]
  return oracleSearch(query.index, docs, { bool: { must, filter, should, minimum_should_match: 0 } }, sort)
}

export interface ContactQuery {
  caller: string
  q?: string | undefined
  sort?: 'added' | 'name' | undefined
  limit: number
}

/** The caller's own contacts matching on the contact's name or the caller's nickname for them. */
export function expectedContacts(model: Model, query: ContactQuery): OracleResult<Doc> {
  const docs = model
    .contactsOf(query.caller)
    .map(({ contactId, row }) =>
      contactDocument(
        { userId: query.caller, contactId, addedAt: row.addedAt, nickname: row.nickname },
        model.users.get(contactId)?.name ?? '',
      ),
    )
  const q = query.q?.trim() ?? ''
  const must: Query[] = []
  if (q.length > 0) {
    const byName = nameQuery(q, 'name')
    const byNickname = nameQuery(q, 'nickname')
    if (!byName || !byNickname) return oracleSearch('contacts', [], { match_all: {} })
    must.push({ bool: { should: [byName, byNickname], minimum_should_match: 1 } })
  }
  const sortName: Sort = { field: { name: 'sortName', order: 'asc' } }
  const sort: Record<'added' | 'name' | 'relevance', Sort[]> = {
    added: [{ field: { name: 'addedAt', order: 'desc' } }],
    name: [sortName],
    relevance: [{ score: { order: 'desc' } }, sortName],
  }
  return oracleSearch('contacts', docs, { bool: { must } }, sort[query.sort ?? (q ? 'relevance' : 'added')])
}
