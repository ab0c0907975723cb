/**
 * @module The naive design: raw MiniSearch with our tokenizer (one token per CJK character, Latin
 * runs as words; no prefix, no fuzzy), every query token required (AND), and the permission check
 * and the exact phrase check as its `filter` option, which runs after MiniSearch has scored every
 * document that has all the tokens. Ranking is MiniSearch's BM25+ (close to ours, not equal).
 * The filter-only query is a wildcard search filtered to the conversation and the user, sorted by
 * time afterwards.
 */
import MiniSearch from 'minisearch'
import { tokenize } from '../../src/text/analyzer.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'
import type { CorpusMessage } from '../corpus/index.ts'
import type { CompareAnswer, CompareQuery, Competitor } from './engine.ts'
import type { ScanCorpus } from './scan-corpus.ts'

interface Doc {
  id: number
  content: string
}

export class MiniSearchNaive implements Competitor {
  readonly name = 'minisearch'
  readonly setup =
    'MiniSearch 7 on content with src/text/analyzer tokenize, processTerm identity, combineWith AND, no prefix/fuzzy; permission and exact phrase check in the `filter` option (post-filter after scoring all token matches); ranking MiniSearch BM25+'
  readonly #index = new MiniSearch<Doc>({
    fields: ['content'],
    idField: 'id',
    tokenize: (text) => tokenize(text),
    processTerm: (term) => term,
    searchOptions: { combineWith: 'AND', prefix: false, fuzzy: false },
  })

  constructor(private readonly corpus: ScanCorpus) {}

  add(doc: number, message: CorpusMessage): void {
    this.#index.add({ id: doc, content: message.content })
  }

  search(query: CompareQuery): CompareAnswer {
    const c = this.corpus
    const user = query.userId
    if (query.q === undefined) {
      const conversation = c.conversationNo(query.conversationId ?? '')
      const results = this.#index.search(MiniSearch.wildcard, {
        filter: (r) => c.conversationOf(r.id as number) === conversation && c.visible(r.id as number, user),
      })
      const docs = results.map((r) => r.id as number).sort((a, b) => c.sentAt(b) - c.sentAt(a) || b - a)
      return { hits: docs.slice(0, 20), total: docs.length }
    }
    const ids = parseQueryTerms(query.q).map((t) => c.termIds(t.tokens))
    const results = this.#index.search(query.q, {
      filter: (r) =>
        c.visible(r.id as number, user) &&
        ids.every((t) => t !== undefined) &&
        c.matchesAll(r.id as number, ids as number[][]),
    })
    return { hits: results.slice(0, 20).map((r) => r.id as number), total: results.length }
  }
}
