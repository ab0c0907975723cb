/**
 * @module Searches alone, for `node --cpu-prof`: the 10% user's common-word and filter-only
 * queries through the services, repeated, on N messages.
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof-search --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/search-profile.ts 200000`
 */
import { createServices } from '../../src/services/index.ts'
import { corpusOf } from '../corpus/index.ts'
import { messageParams } from '../phases/ours.ts'
import { pickSearcher } from '../phases/pick-users.ts'
import { ingestThroughPort } from '../phases/port-ingest.ts'
import { MESSAGE_QUERIES } from '../phases/queries.ts'

const n = Number(process.argv[2] ?? 200_000)
const corpus = corpusOf(n)
const port = await ingestThroughPort(corpus)
const services = createServices({ store: port.store, backend: port.backend })
const searcher = await pickSearcher(corpus, port.visible, '10%', 0.1, services)
for (const query of MESSAGE_QUERIES.filter((q) => q.kind === 'common-zh' || q.kind === 'filter-only')) {
  const params = messageParams(query, searcher)
  const t = performance.now()
  for (let i = 0; i < 200; i++) await services.messages.search(searcher.userId, params)
  process.stdout.write(`${query.kind}: ${((performance.now() - t) / 200).toFixed(2)} ms/query\n`)
}
