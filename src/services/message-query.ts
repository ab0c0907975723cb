/**
 * @module A message search as a DSL query: the caller's permission filter, the explicit
 * parameters and the search box's operators, all combined with AND, before any backend sees it.
 */
import type { Query } from '../query/dsl.ts'
import { dateOf, nextDate, startOfDay } from '../query/time-zone.ts'
import type { QueryTerm } from '../text/query-terms.ts'
import type { DateOperand, HasValue, SearchSyntax } from '../text/search-syntax.ts'

/** What narrows a message search besides its terms: explicit parameters (operators go in `syntax`). */
export interface MessageFilters {
  conversationId?: string | undefined
  senderId?: string | undefined
  type?: string | undefined
  /** Epoch ms, inclusive. */
  after?: number | undefined
  /** Epoch ms, exclusive. */
  before?: number | undefined
  /** The IANA zone `YYYY-MM-DD` operands are read in. @default 'UTC' */
  tz?: string | undefined
}

/** The filter every message query carries: only messages whose recipients include the caller. */
export function permissionFilter(callerId: string): Query {
  return { terms: { field: 'recipients', values: [callerId] } }
}

/**
 * A term matches a message whose content, or one of whose attachment names, holds the term's
 * tokens contiguously and in order (the matching rule, applied to each text on its own).
 */
export function termQuery(term: QueryTerm): Query {
  const query = term.tokens.join(' ')
  return {
    bool: {
      should: [
        { match_phrase: { field: 'content', query } },
        { match_phrase: { field: 'attachmentNames', query } },
      ],
      minimum_should_match: 1,
    },
  }
}

const anyMention: Query = {
  bool: {
    should: [{ exists: { field: 'mentions' } }, { term: { field: 'mentionAll', value: true } }],
    minimum_should_match: 1,
  },
}

function hasQuery(value: HasValue): Query {
  if (value === 'link') return { term: { field: 'hasLink', value: true } }
  if (value === 'mention') return anyMention
  return {
    nested: {
      path: 'attachments',
      query: { term: { field: 'attachments.kind', value } },
      score_mode: 'none',
    },
  }
}

/** The first instant of a date operand's day in `tz`, or the instant itself. */
function instant(operand: DateOperand, tz: string): number {
  return 'ms' in operand ? operand.ms : startOfDay(operand.date, tz)
}

/** `during:` — the whole day in `tz` that the date names, or that holds the instant. */
function dayRange(operand: DateOperand, tz: string): { gte: number; lt: number } {
  const date = 'date' in operand ? operand.date : dateOf(operand.ms, tz)
  return { gte: startOfDay(date, tz), lt: startOfDay(nextDate(date), tz) }
}

export function buildMessageQuery(callerId: string, filters: MessageFilters, syntax: SearchSyntax): Query {
  const tz = filters.tz ?? 'UTC'
  const filter: Query[] = [permissionFilter(callerId)]
  if (filters.conversationId)
    filter.push({ term: { field: 'conversationId', value: filters.conversationId } })
  if (filters.senderId) filter.push({ term: { field: 'senderId', value: filters.senderId } })
  if (filters.type) filter.push({ term: { field: 'type', value: filters.type } })
  if (filters.after !== undefined || filters.before !== undefined)
    filter.push({ range: { field: 'sentAt', gte: filters.after, lt: filters.before } })
  if (syntax.from.length > 0) filter.push({ terms: { field: 'senderId', values: [...new Set(syntax.from)] } })
  for (const id of new Set(syntax.in)) filter.push({ term: { field: 'conversationId', value: id } })
  for (const value of new Set(syntax.has)) filter.push(hasQuery(value))
  if (syntax.mentioned)
    filter.push({
      bool: {
        should: [
          { term: { field: 'mentions', value: callerId } },
          { term: { field: 'mentionAll', value: true } },
        ],
        minimum_should_match: 1,
      },
    })
  for (const d of syntax.after) filter.push({ range: { field: 'sentAt', gte: instant(d, tz) } })
  for (const d of syntax.before) filter.push({ range: { field: 'sentAt', lt: instant(d, tz) } })
  for (const d of syntax.during) filter.push({ range: { field: 'sentAt', ...dayRange(d, tz) } })
  const must = syntax.terms.map(termQuery)
  const mustNot = syntax.excluded.map(termQuery)
  return { bool: { must, filter, ...(mustNot.length > 0 ? { must_not: mustNot } : {}) } }
}
