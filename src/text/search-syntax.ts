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

/**
 * A parsed query. Read-only, and frozen at run time: {@link parseSearch} hands the same object to
 * every caller that parses the same text in a row.
 */
export interface SearchSyntax {
  /** Terms every match must contain (content or an attachment name). */
  readonly terms: readonly Readonly<QueryTerm>[]
  /** `-term`, `-"a phrase"`: no match contains them. */
  readonly excluded: readonly Readonly<QueryTerm>[]
  /** `from:`: alternatives. */
  readonly from: readonly string[]
  /** `in:`: each must hold (two different ones match nothing). */
  readonly in: readonly string[]
  readonly has: readonly HasValue[]
  /** `is:mentioned`. */
  readonly mentioned: boolean
  readonly before: readonly DateOperand[]
  readonly after: readonly DateOperand[]
  readonly during: readonly DateOperand[]
}

/** What the parser fills in before the result is frozen. */
type ParsedSyntax = {
  -readonly [K in keyof SearchSyntax]: SearchSyntax[K] extends readonly (infer T)[] ? T[] : SearchSyntax[K]
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
 * The text parsed last and its syntax. A message search over HTTP parses its query twice, in a
 * row: the edge counts its clauses to answer 400 before any service work, then the service parses
 * it to search (each parse 1.1% of the server's time under the bench's HTTP load at 200k messages,
 * the second pure waste). Remembering one parse makes the second free; results are frozen, so sharing one cannot leak a change from one
 * request into another. Refusals are not remembered: they throw again.
 */
let last: { query: string; syntax: SearchSyntax } | undefined

/**
 * Parse a search box's text (after NFKC, as terms are matched). A term of only punctuation is
 * dropped, as in {@link parseQueryTerms}; an unbalanced quote runs to the end.
 * @throws SearchSyntaxError for an operator with a malformed value
 */
export function parseSearch(query: string): SearchSyntax {
  if (last?.query === query) return last.syntax
  const syntax = freezeSyntax(parseAnew(query))
  last = { query, syntax }
  return syntax
}

function freezeSyntax(syntax: ParsedSyntax): SearchSyntax {
  for (const t of [...syntax.terms, ...syntax.excluded]) Object.freeze(Object.freeze(t).tokens)
  for (const d of [...syntax.before, ...syntax.after, ...syntax.during])
    Object.freeze('date' in d ? Object.freeze(d).date : d)
  for (const list of Object.values(syntax)) if (Array.isArray(list)) Object.freeze(list)
  return Object.freeze(syntax)
}

function parseAnew(query: string): ParsedSyntax {
  const out: ParsedSyntax = {
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

function addOperator(out: ParsedSyntax, name: string, value: string): void {
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
