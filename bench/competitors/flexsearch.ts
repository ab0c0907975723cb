/**
 * @module flexsearch, configured as close to our matching rule as it allows: a Document index on
 * content with `tokenize: 'strict'` and our tokenizer as `encode` (same tokens; its encoder does
 * no further normalisation), recipients and conversation as tags. Deviations: it has no phrase
 * query, so terms' tokens are ANDed and the exact phrase check runs on its results, paging with
 * `offset` until 20 pass; it ranks by its own term-position resolution, not BM25, and computes no
 * total; it cannot intersect two tags without a text query, so the filter-only query reads the
 * conversation's tag list and checks the permission per message, newest first by our side table.
 */
import { Document } from 'flexsearch'
import { tokenize } from '../../src/text/analyzer.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'
import type { CorpusMessage } from '../corpus/index.ts'
import type { CompareAnswer, CompareQuery, Competitor } from './engine.ts'
import type { ScanCorpus } from './scan-corpus.ts'

const PAGE = 100

type FlexDoc = { id: number; content: string; recipients: string[]; conversation: string }
type FlexResult = { field?: string; tag?: string; result: number[] }[]

export class FlexSearchTagged implements Competitor {
  readonly name = 'flexsearch'
  readonly setup =
    "flexsearch 0.8 Document: content with tokenize 'strict' and encode = src/text/analyzer tokenize; recipients and conversationId as tags; tokens ANDed, exact phrase checked on its results paged by 100 until 20 pass; its own ranking (term position), no totals; filter-only = conversation tag list post-filtered by permission"
  // biome-ignore lint/suspicious/noExplicitAny: flexsearch's typings do not model `encode` per field.
  readonly #index: any

  constructor(private readonly corpus: ScanCorpus) {
    this.#index = new Document<FlexDoc>({
      document: {
        id: 'id',
        index: [{ field: 'content', tokenize: 'strict', encode: (text: string) => tokenize(text) }],
        tag: ['recipients', 'conversation'],
      },
      // biome-ignore lint/suspicious/noExplicitAny: see above.
    } as any)
  }

  add(doc: number, message: CorpusMessage): void {
    this.#index.add({
      id: doc,
      content: message.content,
      recipients: message.recipients as string[],
      conversation: message.conversationId,
    })
  }

  search(query: CompareQuery): CompareAnswer {
    const c = this.corpus
    if (query.q === undefined) {
      const lists = this.#index.search({
        tag: { conversation: query.conversationId },
        limit: c.size,
      }) as FlexResult
      const docs = (lists[0]?.result ?? []).filter((d) => c.visible(d, query.userId))
      docs.sort((a, b) => c.sentAt(b) - c.sentAt(a) || b - a)
      return { hits: docs.slice(0, 20), total: docs.length }
    }
    const ids = parseQueryTerms(query.q).map((t) => c.termIds(t.tokens))
    if (ids.some((t) => t === undefined)) return { hits: [], total: 0 }
    const hits: number[] = []
    for (let offset = 0; hits.length < 20; offset += PAGE) {
      const page = this.#index.search({
        query: query.q,
        tag: { recipients: query.userId },
        limit: PAGE,
        offset,
      }) as FlexResult
      const docs = page[0]?.result ?? []
      for (const d of docs) if (hits.length < 20 && c.matchesAll(d, ids as number[][])) hits.push(d)
      if (docs.length < PAGE) break
    }
    return { hits, total: undefined }
  }
}
