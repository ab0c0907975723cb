/**
 * @module The message search box's syntax: terms, `-excluded` terms, and operators, as IM clients
 * take them (Slack, Discord, Feishu): `from:<userId>`, `in:<conversationId>`, `has:link|file|
 * image|video|audio|mention`, `is:mentioned`, `before:`/`after:`/`during:<date>` with a date
 * `YYYY-MM-DD` or epoch milliseconds. A word `name:value` whose name is not an operator is
 * ordinary text (`10:30`, `https://...`); an operator with a malformed value is an error, never
 * silently text, so a typo does not widen a search.
 */
import { IdSchema } from '../domain/ids.ts'
import { type CalendarDate, parseDate } from '../query/time-zone.ts'
import { tokenize } from './analyzer.ts'
import type { QueryTerm } from './query-terms.ts'

export const HAS_VALUES = ['link', 'file', 'image', 'video', 'audio', 'mention'] as const
export type HasValue = (typeof HAS_VALUES)[number]

/** A date operand: a calendar date (midnight in the request's zone) or an instant. */
export type DateOperand = { date: CalendarDate } | { ms: number }

export interface SearchSyntax {
  /** Terms every match must contain (content or an attachment name). */
  terms: QueryTerm[]
  /** `-term`, `-"a phrase"`: no match contains them. */
  excluded: QueryTerm[]
  /** `from:`: alternatives. */
  from: string[]
  /** `in:`: each must hold (two different ones match nothing). */
  in: string[]
  has: HasValue[]
  /** `is:mentioned`. */
  mentioned: boolean
  before: DateOperand[]
  after: DateOperand[]
  during: DateOperand[]
}

/** An operator whose value is malformed; `operator` is its name as written, e.g. `after`. */
export class SearchSyntaxError extends Error {
  override readonly name = 'SearchSyntaxError'
  constructor(
    readonly operator: string,
    message: string,
  ) {
    super(message)
  }
}

const OPERATORS = new Set(['from', 'in', 'has', 'is', 'before', 'after', 'during'])
const WORD = /(-?)"([^"]*)"?|(\S+)/g
const OPERATOR = /^([a-z]+):(.*)$/is
const EPOCH_MS = /^\d{1,16}$/
/** The last instant of year 9999: dates have four-digit years, and so do instants. */
export const MAX_EPOCH_MS = 253_402_300_799_999

function dateOperand(operator: string, value: string): DateOperand {
  const date = parseDate(value)
  if (date) return { date }
  if (EPOCH_MS.test(value) && Number(value) <= MAX_EPOCH_MS) return { ms: Number(value) }
  throw new SearchSyntaxError(
    operator,
    `${operator}:${value} is not a date: expected YYYY-MM-DD or epoch milliseconds up to the end of year 9999`,
  )
}

function term(text: string): QueryTerm | undefined {
  const tokens = tokenize(text)
  return tokens.length > 0 ? { text, tokens } : undefined
}

/**
 * Parse a search box's text (after NFKC, as terms are matched). A term of only punctuation is
 * dropped, as in {@link parseQueryTerms}; an unbalanced quote runs to the end.
 * @throws SearchSyntaxError for an operator with a malformed value
 */
export function parseSearch(query: string): SearchSyntax {
  const out: SearchSyntax = {
    terms: [],
    excluded: [],
    from: [],
    in: [],
    has: [],
    mentioned: false,
    before: [],
    after: [],
    during: [],
  }
  for (const m of query.normalize('NFKC').matchAll(WORD)) {
    const quoted = m[2]
    let word = m[3]
    if (quoted !== undefined) {
      const t = term(quoted)
      if (t) (m[1] ? out.excluded : out.terms).push(t)
      continue
    }
    if (word === undefined) continue
    const negated = word.length > 1 && word.startsWith('-')
    if (negated) word = word.slice(1)
    const op = negated ? undefined : OPERATOR.exec(word)
    const name = op?.[1]?.toLowerCase()
    if (op && name && OPERATORS.has(name)) {
      addOperator(out, name, op[2] ?? '')
      continue
    }
    const t = term(word)
    if (t) (negated ? out.excluded : out.terms).push(t)
  }
  return out
}

function addOperator(out: SearchSyntax, name: string, value: string): void {
  switch (name) {
    case 'from':
    case 'in': {
      if (!IdSchema.safeParse(value).success)
        throw new SearchSyntaxError(name, `${name}:${value} is not an id`)
      out[name].push(value)
      return
    }
    case 'has': {
      const v = value.toLowerCase()
      if (!(HAS_VALUES as readonly string[]).includes(v))
        throw new SearchSyntaxError(name, `has:${value}: expected one of ${HAS_VALUES.join(', ')}`)
      out.has.push(v as HasValue)
      return
    }
    case 'is': {
      if (value.toLowerCase() !== 'mentioned')
        throw new SearchSyntaxError(name, `is:${value}: expected is:mentioned`)
      out.mentioned = true
      return
    }
    default:
      out[name as 'before' | 'after' | 'during'].push(dateOperand(name, value))
  }
}

/** How many clauses the query has: terms, excluded terms and operators (bounded like terms). */
export function clauseCount(s: SearchSyntax): number {
  return (
    s.terms.length +
    s.excluded.length +
    s.from.length +
    s.in.length +
    s.has.length +
    (s.mentioned ? 1 : 0) +
    s.before.length +
    s.after.length +
    s.during.length
  )
}
