/**
 * @module Runs a decoded query over an index's visible documents: match, score, sort.
 */

import { CorpusStats } from './corpus-stats.ts'
import type { IndexedDoc } from './documents.ts'
import type { QueryNode } from './query.ts'
import { evaluate } from './query-eval.ts'
import type { SearchSchema } from './schema.ts'
import type { SortSpec } from './sort-spec.ts'
import type { Hit } from './sorting.ts'
import { compareKeys, sortKey } from './sorting.ts'

/** Every matching document with its score and sort key, in sort order. */
export function runQuery(
  docs: readonly IndexedDoc[],
  schema: SearchSchema,
  query: QueryNode,
  sort: readonly SortSpec[],
): Hit[] {
  const stats = new CorpusStats(docs, schema.byPath)
  const hits: Hit[] = []
  for (const doc of docs) {
    const score = evaluate(query, doc.fields, stats)
    if (score === undefined) continue
    hits.push({ doc, score, key: sortKey(sort, doc, score, stats) })
  }
  return hits.sort((a, b) => compareKeys(sort, a.key, b.key))
}
