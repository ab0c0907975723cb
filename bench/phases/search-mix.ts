/**
 * @module The search mix of the load phases: both picked searchers plus users drawn at random
 * among those who see anything, each with every message query that has words, in a seeded
 * shuffled order. The HTTP load and the in-process load run this same list, so their throughputs
 * compare the HTTP path with the services alone.
 */
import { mulberry32, shuffle } from '../../fixtures/generator/prng.ts'
import type { Corpus } from '../corpus/index.ts'
import type { Searcher } from './pick-users.ts'
import { MESSAGE_QUERIES } from './queries.ts'

/** One search of the mix: the caller and the text of `q`. */
export interface MixSearch {
  userId: string
  q: string
}

export interface SearchMix {
  users: string[]
  words: string[]
  /** Every user × every word, shuffled. */
  searches: MixSearch[]
  /** For the report: who and what. */
  description: string
}

/** The mix's seeded random numbers: the mix's users, then the order of its searches. */
const loadRandom = (corpus: Corpus) => mulberry32(corpus.config.seed ^ 0x5eed)

/** The mix's searchers and words: both picked searchers, then `randomUsers` active users. */
function loadMix(
  rng: () => number,
  corpus: Corpus,
  visible: Int32Array,
  searchers: readonly Searcher[],
  randomUsers: number,
): { users: string[]; words: string[] } {
  const active = corpus.users.filter((_, i) => (visible[i] ?? 0) > 0).map((u) => u.userId)
  return {
    users: [...new Set([...searchers.map((s) => s.userId), ...shuffle(rng, active).slice(0, randomUsers)])],
    words: MESSAGE_QUERIES.flatMap((q) => (q.q === undefined ? [] : [q.q])),
  }
}

/** The load phases' mix for this corpus: the same list on every call. */
export function searchMix(
  corpus: Corpus,
  visible: Int32Array,
  searchers: readonly Searcher[],
  randomUsers: number,
): SearchMix {
  const rng = loadRandom(corpus)
  const { users, words } = loadMix(rng, corpus, visible, searchers, randomUsers)
  const searches = users.flatMap((userId) => words.map((q) => ({ userId, q })))
  return {
    users,
    words,
    searches: shuffle(rng, searches),
    description: `${users.length} users (the 1% and 10% searchers and random active users) × ${words.length} queries: ${words.join(', ')}`,
  }
}
