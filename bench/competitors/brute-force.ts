/**
 * @module The floor: a scan of every message, checking the conversation, the permission and every
 * term's phrase on pre-tokenized content, keeping the best 20 by BM25 (then newest), or the newest
 * 20 for the filter-only query. No index at all; an index that is slower than this is not one.
 */
import { parseQueryTerms } from '../../src/text/query-terms.ts'
import type { CompareAnswer, CompareQuery, Competitor } from './engine.ts'
import type { ScanCorpus } from './scan-corpus.ts'
import { Top } from './top.ts'

interface Scored {
  doc: number
  score: number
  sentAt: number
}

const better = (a: Scored, b: Scored) =>
  a.score !== b.score ? a.score > b.score : a.sentAt !== b.sentAt ? a.sentAt > b.sentAt : a.doc > b.doc

export class BruteForce implements Competitor {
  readonly name = 'brute-force'
  readonly setup =
    'a linear scan of every message: conversation, permission (recipient set lookup) and exact phrase check on pre-tokenized content; BM25 ranking as ours'

  constructor(private readonly corpus: ScanCorpus) {}

  add(): void {}

  search(query: CompareQuery): CompareAnswer {
    const c = this.corpus
    const terms = parseQueryTerms(query.q ?? '')
    const ids: number[][] = []
    for (const term of terms) {
      const termIds = c.termIds(term.tokens)
      if (!termIds) return { hits: [], total: 0 }
      ids.push(termIds)
    }
    const flat = ids.flat()
    const conversation = query.conversationId === undefined ? -1 : c.conversationNo(query.conversationId)
    // A conversation with no message: nothing matches (-1 above would mean "any conversation").
    if (query.conversationId !== undefined && conversation < 0) return { hits: [], total: 0 }
    const top = new Top<Scored>(20, better)
    let total = 0
    for (let doc = 0; doc < c.size; doc++) {
      if (conversation >= 0 && c.conversationOf(doc) !== conversation) continue
      if (!c.visible(doc, query.userId)) continue
      if (ids.length > 0 && !c.matchesAll(doc, ids)) continue
      total++
      top.push({ doc, score: ids.length > 0 ? c.bm25(doc, flat) : 0, sentAt: c.sentAt(doc) })
    }
    return { hits: top.items.map((s) => s.doc), total }
  }
}
