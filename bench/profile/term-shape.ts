/**
 * @module Profiling aid (issue 13): what matching attachment names costs a plain message search.
 * The service's term is `content OR attachmentNames` (a bool of two phrases); this times it
 * against the content phrase alone, straight on the embedded backend, for the 1% and 10% users,
 * at `--messages` (default 100,000). Not a benchmark target: `npm run bench` measures the services.
 */

import type { Query } from '../../src/query/dsl.ts'
import { createServices } from '../../src/services/index.ts'
import { termQuery } from '../../src/services/message-query.ts'
import { MESSAGE_SORTS, permissionFilter } from '../../src/services/message-search.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'
import { corpusOf } from '../corpus/index.ts'
import { measure } from '../lib/stats.ts'
import { pickSearchers } from '../phases/pick-users.ts'
import { ingestThroughPort } from '../phases/port-ingest.ts'
import { MESSAGE_QUERIES, PAGE } from '../phases/queries.ts'

const at = process.argv.indexOf('--messages')
const messages = at > 0 ? Number(process.argv[at + 1]) : 100_000
const corpus = corpusOf(messages, 1)
const port = await ingestThroughPort(corpus)
const services = createServices({ store: port.store, backend: port.backend, cursorSecret: 'profile' })
const searchers = await pickSearchers(corpus, port.visible, services)
const budget = { warmup: 10, minRuns: 50, maxRuns: 500, maxMs: 1000 }
for (const searcher of searchers)
  for (const { q, label } of MESSAGE_QUERIES) {
    if (q === undefined) continue
    const terms = parseQueryTerms(q)
    const filter = [permissionFilter(searcher.userId)]
    const shapes: Record<string, Query> = {
      'content only': {
        bool: {
          must: terms.map((t) => ({ match_phrase: { field: 'content', query: t.tokens.join(' ') } })),
          filter,
        },
      },
      'content or names': { bool: { must: terms.map(termQuery), filter } },
    }
    for (const [shape, query] of Object.entries(shapes)) {
      const request = { query, sort: MESSAGE_SORTS.relevance, limit: PAGE }
      const s = await measure(() => port.backend.search('messages', request), budget)
      console.info(`${searcher.audience} ${label}: ${shape} p50 ${s.p50} ms p99 ${s.p99} ms`)
    }
  }
