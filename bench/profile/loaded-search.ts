/**
 * @module `search-profile.ts` on an index loaded from a snapshot, as a restarted service serves:
 * the 10% user's common-word and filter-only queries, repeated. Takes a directory that
 * `index-snapshot.ts N --keep DIR` left (its data dir and snapshot) and the same N:
 * `node --max-semi-space-size=64 --import ./loader/register.mjs bench/profile/loaded-search.ts DIR 200000`
 */
import { messageParams } from '../phases/ours.ts'
import { pickSearcher } from '../phases/pick-users.ts'
import { MESSAGE_QUERIES } from '../phases/queries.ts'
import { loadedServices } from './loaded-services.ts'

const dir = process.argv[2] as string
const n = Number(process.argv[3] ?? 200_000)
const { corpus, visible, store, services } = await loadedServices(dir, n)
const searcher = await pickSearcher(corpus, visible, '10%', 0.1, services)
for (const query of MESSAGE_QUERIES.filter((q) => q.kind === 'common-zh' || q.kind === 'filter-only')) {
  const params = messageParams(query, searcher)
  const t = performance.now()
  for (let i = 0; i < 200; i++) await services.messages.search(searcher.userId, params)
  process.stdout.write(`${query.kind}: ${((performance.now() - t) / 200).toFixed(2)} ms/query\n`)
}
await store.close()
