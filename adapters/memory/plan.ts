/**
 * @module Compiled queries. A plan scores a document (or says it does not match), or only tests
 * whether it matches (for an order that does not use the score), and, where an index can, names
 * the candidate documents that include every match. A search visits only the
 * candidates of the most selective required clause (for messages usually the caller's permission
 * set or a rare token), so the permission filter is applied first, never after ranking.
 */
import { intersectionOf } from './intersection.ts'
import { type Candidates, type Posting, restrictedTo } from './posting.ts'

/** A hit's score where the plan does not match it (see {@link scoreOfHit}). */
export const NO_MATCH = -1

/**
 * Where {@link Plan.score} leaves the score of a document it matches; read it right after the
 * call, since the next one overwrites it. A score returned as a number is a fraction, so a heap
 * number V8 allocates at each call it does not inline, and the plans call each other through
 * closures it seldom inlines: 60–100 B a match, which at 10M made a young-generation collection
 * every half second under the 10% user's common word (bench/README.md, 2026-12-06 evening).
 */
export const SCORE = new Float64Array(1)

/** A document or a nested object: what leaves read field values from. */
export type Source = Readonly<Record<string, unknown>>

/** What a visit passes a {@link Plan.sourceFree} plan in place of the candidate's document. */
export const NO_SOURCE: Source = Object.freeze({})

export interface Plan {
  /** Candidate documents, or undefined when only a scan can tell. */
  readonly candidates: Candidates | undefined
  /** Whether the document matches; if it does, its score (≥ 0) is left in {@link SCORE}. */
  score(docNo: number, source: Source): boolean
  /**
   * {@link score} for a document drawn from this plan's own `candidates`, which may skip the
   * checks those candidates already made; only the search that visits them may call it.
   */
  scoreCandidate?(docNo: number, source: Source): boolean
  /**
   * Whether the document matches ({@link score} true) without computing its score: text
   * is checked for the match (phrase adjacency included) but not weighed by BM25, and a
   * disjunction stops at its first sufficient clauses.
   */
  matches(docNo: number, source: Source): boolean
  /** {@link matches} for a document drawn from this plan's own `candidates`, as {@link scoreCandidate} is. */
  matchesCandidate?(docNo: number, source: Source): boolean
  /**
   * Every live document among `candidates` matches with this score (a listing whose filters all
   * folded into its candidates): a search may count them without evaluating them.
   */
  readonly candidateScore?: number
  /** Every live candidate matches: a conjunction that drew its candidates from this plan need not check it. */
  readonly exact?: boolean
  /**
   * Reads ahead what {@link score} and {@link matches} will read for the documents
   * `docNos[0, count)` (a text field's token bounds and tokens), in a tight loop a structure, so
   * that their cache misses overlap rather than come one a match (see `match-chunks.ts`); changes
   * no result.
   */
  readonly warm?: (docNos: Int32Array, count: number) => void
  /**
   * An exact term leaf of a top-level field: the documents carrying one of these strings (what
   * a conjunction's {@link count} is asked of the indexes with).
   */
  readonly term?: ExactTerm
  /** How many live documents match, counted without visiting them (given with {@link candidateScore}). */
  readonly count?: () => number
  /**
   * Never reads the source it is given (text, recipient-set and document-number leaves, and
   * conjunctions of those only): a search may pass {@link NO_SOURCE} rather than load each
   * candidate's document, a scattered load at ten million documents that nothing else of a
   * common word's match needs.
   */
  readonly sourceFree?: boolean
}

/** A top-level field and the strings a document carries one of to match. */
export interface ExactTerm {
  readonly field: string
  readonly values: readonly string[]
}

/**
 * What a search evaluates for each document it visits, {@link Plan.score}'s way: the score where
 * its order uses it (the candidate form where it visits the plan's own candidates), else only the
 * match, as 0 (a hit shown is then scored on its own with {@link scoreOfHit}: a page, not every
 * match).
 */
export function visitScore(plan: Plan, scored: boolean): (docNo: number, source: Source) => boolean {
  const own = plan.candidates !== undefined
  if (scored) return (own && plan.scoreCandidate) || plan.score
  const matches = (own && plan.matchesCandidate) || plan.matches
  return (docNo, source) => {
    if (!matches(docNo, source)) return false
    SCORE[0] = 0
    return true
  }
}

/** The document's score, or {@link NO_MATCH}: for a page's hits, where a number is no cost. */
export function scoreOfHit(plan: Plan, docNo: number, source: Source): number {
  return plan.score(docNo, source) ? (SCORE[0] as number) : NO_MATCH
}

/** A conjunction's candidates, and the clauses whose candidates were folded into them. */
export interface Drawn {
  candidates: Candidates | undefined
  folded: readonly Plan[]
}

/**
 * How much more a candidate from an unsorted set (the caller's permission sets) costs than a
 * step of an intersection's shortest posting: the former is evaluated in full, in set order (its
 * document, token and length loads are scattered: cache misses in a large index), the latter is a
 * bit in document order (`intersection.ts` tests the caller's bits before it gallops).
 * Measured at 1M messages (`bench/profile/http-mix-cost.ts`): 0.1 to 0.7 µs a permission
 * candidate against about 0.02 µs a step when the step galloped first; with the mask first a
 * rejected step is a few ns, and at 200k messages (the load's mix, `bench/profile/mix-kinds.ts`)
 * 32 with the mask first served it 1.9 times as fast as 8 with galloping first (8 with the mask
 * first: 1.4 times), mostly the common word of callers who see 1,000 to 2,000 messages, whose
 * sets were visited in full. Since a caller who sees up to 65,536 messages has them merged into
 * one sorted posting (`recipient-set-index.ts`), only larger callers' sets are weighed here.
 */
const UNSORTED_COST = 32

/**
 * Candidates for a conjunction: the postings of every clause that has sorted ones, intersected,
 * or the smallest other candidate set (the caller's permission sets) when it is cheaper to visit.
 */
export function requiredCandidates(plans: readonly Plan[]): Drawn {
  // Loops, not flatMap (V8's generic path): a listing compiles a conjunction every search.
  const sorted: Posting[] = []
  // An intersection visits its shortest posting: that is its size.
  let shortest = Number.POSITIVE_INFINITY
  for (const plan of plans)
    for (const posting of plan.candidates?.sorted ?? []) {
      sorted.push(posting)
      shortest = Math.min(shortest, posting.length)
    }
  let best: Plan | undefined
  for (const plan of plans) {
    const c = plan.candidates
    if (c && !c.sorted && (!best?.candidates || c.size < best.candidates.size)) best = plan
  }
  const testing = plans.filter((plan) => plan.candidates?.has)
  if (sorted.length === 0 || (best?.candidates && best.candidates.size * UNSORTED_COST < shortest)) {
    if (!best?.candidates) return { candidates: undefined, folded: [] }
    // The other clauses' masks, tested where the best candidates are drawn (a common word's
    // postings against the caller's permission mask): each rejected candidate then costs a lookup.
    const others = testing.filter((plan) => plan !== best)
    if (others.length === 0) return { candidates: best.candidates, folded: [best] }
    const accepts = others.map((plan) => plan.candidates?.has as (docNo: number) => boolean)
    const accept =
      accepts.length === 1
        ? (accepts[0] as (docNo: number) => boolean)
        : (docNo: number) => accepts.every((test) => test(docNo))
    return { candidates: restrictedTo(best.candidates, accept), folded: [best, ...others] }
  }
  return {
    candidates: intersectionOf(
      sorted,
      testing.map((plan) => plan.candidates?.has as (docNo: number) => boolean),
    ),
    folded: [...plans.filter((plan) => plan.candidates?.sorted), ...testing],
  }
}
