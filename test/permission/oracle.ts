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
import { containsSequence } from '../../src/text/match-rule.ts'
import { parseQueryTerms, type QueryTerm } from '../../src/text/query-terms.ts'
import { type Doc, type OracleResult, oracleSearch } from '../oracle/evaluate.ts'
import type { Model, ModelMessage } from './model.ts'

/**
 * A message search as the API takes it, without the cursor, and who asks. `q` holds text terms
 * only; `ops` are the operators, already resolved against the model (the API gets them in `q`).
 */
export type MessageQuery = Omit<MessageSearchParams, 'cursor'> & { caller: string; ops?: ResolvedOp[] }

/** An operator as the oracle applies it; `text` is how it is written in `q`. */
export type ResolvedOp =
  | { kind: 'from'; user: string; text: string }
  | { kind: 'in'; conversationId: string; text: string }
  | { kind: 'has'; value: string; text: string }
  | { kind: 'mentioned'; text: string }
  /** `day` (YYYY-MM-DD) or `ms`. */
  | { kind: 'after' | 'before' | 'during'; day?: string; ms?: number; text: string }
  | { kind: 'exclude'; term: QueryTerm | undefined; text: string }

/** The zones the suite asks in, by their fixed UTC offsets (none has daylight saving): the oracle needs no zone data. */
const OFFSETS_MS: Record<string, number> = {
  UTC: 0,
  'Asia/Shanghai': 8 * 3_600_000,
  'Asia/Kolkata': 5.5 * 3_600_000,
}

const offsetOf = (tz: string | undefined) => {
  const offset = OFFSETS_MS[tz ?? 'UTC']
  if (offset === undefined) throw new Error(`oracle: no offset for ${tz}`)
  return offset
}

/** `YYYY-MM-DD` of an instant in a fixed-offset zone. */
export const oracleDay = (ms: number, tz: string | undefined) =>
  new Date(ms + offsetOf(tz)).toISOString().slice(0, 10)

/** Midnight of `YYYY-MM-DD` in a fixed-offset zone. */
const midnight = (day: string, tz: string | undefined) => Date.parse(`${day}T00:00:00Z`) - offsetOf(tz)

export interface ExpectedMessages {
  /** In the order a time sort must return them; any order for relevance. */
  hits: ModelMessage[]
  terms: QueryTerm[]
  sort: MessageSort
}

/** A term matches the content, or one attachment name on its own. */
export function termMatches(m: ModelMessage, term: QueryTerm): boolean {
  return (
    containsSequence(tokenize(m.content), term.tokens) ||
    m.attachments.some((a) => containsSequence(tokenize(a.name), term.tokens))
  )
}

function opHolds(model: ModelMessage, op: ResolvedOp, caller: string, tz: string | undefined): boolean {
  switch (op.kind) {
    case 'from':
      return true // alternatives: checked together below
    case 'in':
      return model.conversationId === op.conversationId
    case 'has':
      if (op.value === 'link') return /https?:\/\/\S/i.test(model.content)
      if (op.value === 'mention') return model.mentions.length > 0 || model.mentionAll
      return model.attachments.some((a) => a.kind === op.value)
    case 'mentioned':
      return model.mentionAll || model.mentions.includes(caller)
    case 'exclude':
      return op.term === undefined || !termMatches(model, op.term)
    default: {
      if (op.kind === 'during') {
        const day = op.day ?? oracleDay(op.ms as number, tz)
        return oracleDay(model.sentAt, tz) === day
      }
      const at = op.day !== undefined ? midnight(op.day, tz) : (op.ms as number)
      return op.kind === 'after' ? model.sentAt >= at : model.sentAt < at
    }
  }
}

/** What `caller` must find: visible, not recalled, inside every filter and operator, every term matching. */
export function expectedMessages(model: Model, query: MessageQuery): ExpectedMessages {
  const q = query.q?.trim() ?? ''
  const terms = parseQueryTerms(q)
  const ops = query.ops ?? []
  const sort = query.sort ?? (terms.length > 0 ? 'relevance' : 'newest')
  // Nothing that can match (only emoji or punctuation, no operator) finds nothing; no query lists all.
  const clauses = terms.length + ops.filter((o) => o.kind !== 'exclude' || o.term).length
  if ((q.length > 0 || ops.length > 0) && clauses === 0) return { hits: [], terms, sort }
  const from = ops.flatMap((o) => (o.kind === 'from' ? [o.user] : []))
  const hits = model.messages.filter(
    (m) =>
      model.messageVisible(query.caller, m) &&
      (query.conversationId === undefined || m.conversationId === query.conversationId) &&
      (query.senderId === undefined || m.senderId === query.senderId) &&
      (query.type === undefined || m.type === query.type) &&
      (query.after === undefined || m.sentAt >= query.after) &&
      (query.before === undefined || m.sentAt < query.before) &&
      terms.every((t) => termMatches(m, t)) &&
      (from.length === 0 || from.includes(m.senderId)) &&
      ops.every((o) => opHolds(m, o, query.caller, query.tz)),
  )
  hits.sort(byTime)
  if (sort !== 'oldest') hits.reverse()
  return { hits, terms, sort }
}

/** Facet counts over the hits: by count descending, then value ascending, 20 at most. */
export function expectedFacets(
  hits: readonly ModelMessage[],
  names: readonly string[],
  tz: string | undefined,
): Record<string, { value: string; count: number }[]> {
  const facetValue: Record<string, (m: ModelMessage) => string> = {
    conversation: (m) => m.conversationId,
    sender: (m) => m.senderId,
    type: (m) => m.type,
    day: (m) => oracleDay(m.sentAt, tz),
  }
  return Object.fromEntries(
    names.map((name) => {
      const counts = new Map<string, number>()
      for (const m of hits) {
        const v = (facetValue[name] as (m: ModelMessage) => string)(m)
        counts.set(v, (counts.get(v) ?? 0) + 1)
      }
      const values = [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
        .slice(0, 20)
      return [name, values]
    }),
  )
}

export interface ExpectedConversation {
  conversationId: string
  matches: number
  latest: ModelMessage
  title: string | null
}

/**
 * Chats grouped: each conversation with a match, its count and newest match, newest first, then
 * by id; the title from the model (a group the caller may see, else null; a direct chat's other
 * participant in its newest match, or the caller alone).
 */
export function expectedConversations(model: Model, query: MessageQuery): ExpectedConversation[] {
  const { hits } = expectedMessages(model, { ...query, sort: 'newest' })
  const out = new Map<string, ExpectedConversation>()
  for (const m of hits) {
    const c = out.get(m.conversationId)
    if (c) c.matches++
    else {
      const group = model.groups.get(m.conversationId)
      const other = [...m.recipients].sort().find((id) => id !== query.caller) ?? query.caller
      const title = group
        ? model.groupVisible(query.caller, m.conversationId)
          ? group.record.name
          : null
        : (model.users.get(other)?.name ?? null)
      out.set(m.conversationId, { conversationId: m.conversationId, matches: 1, latest: m, title })
    }
  }
  return [...out.values()].sort(
    (a, b) => b.latest.sentAt - a.latest.sentAt || (a.conversationId < b.conversationId ? -1 : 1),
  )
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
  /** Groups only: just the caller's (the one box). */
  memberOnly?: boolean
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
      .filter((g) =>
        query.memberOnly ? g.members.has(query.caller) : model.groupVisible(query.caller, g.record.groupId),
      )
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
