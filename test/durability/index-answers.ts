/**
 * @module What a set of indexes answers, as one comparable value: every document of every index
 * (paged in id order) and a few scored searches per index. Two backends holding the same records
 * answer equal values; the crash and start-up tests compare a restarted backend with one rebuilt
 * from the records (the oracle).
 */

import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import { ID_FIELDS, INDEX_NAMES, type IndexName } from '../../src/query/index-schemas.ts'

/** Scored searches per index: Chinese and English text, a filter, a prefix. */
const SEARCHES: Record<IndexName, Query[]> = {
  messages: [
    { match: { field: 'content', query: '消息' } },
    { match: { field: 'content', query: 'message' } },
    { match_phrase: { field: 'content', query: '第 1' } },
    {
      bool: {
        must: [{ match: { field: 'content', query: '消息' } }],
        filter: [{ terms: { field: 'recipients', values: ['u3'] } }],
      },
    },
  ],
  users: [
    { prefix: { field: 'namePinyin', value: 'zhang' } },
    { term: { field: 'nameWords', value: 'wei' } },
  ],
  groups: [{ match: { field: 'description', query: '徒步' } }],
  contacts: [{ term: { field: 'userId', value: 'u1' } }, { prefix: { field: 'namePinyin', value: 'li' } }],
}

export async function indexAnswers(backend: SearchBackend): Promise<unknown> {
  const answers: Record<string, unknown> = {}
  for (const index of INDEX_NAMES) {
    const documents: unknown[] = []
    let after: string | undefined
    do {
      const page = await backend.search(index, {
        query: { match_all: {} },
        sort: [{ field: { name: ID_FIELDS[index], order: 'asc' } }],
        limit: 100,
        after,
      })
      for (const hit of page.hits) documents.push(hit.document)
      after = page.next
    } while (after)
    const searches = []
    for (const query of SEARCHES[index]) {
      const page = await backend.search(index, { query, limit: 20 })
      searches.push({ total: page.total, hits: page.hits.map((h) => [h.id, h.score]) })
    }
    answers[index] = { documents, searches }
  }
  return answers
}
