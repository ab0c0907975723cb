/**
 * @module `search-profile.ts` on an index loaded from a snapshot, as a restarted service serves:
 * the 10% user's common-word and filter-only queries, repeated. Takes a directory that
 * `index-snapshot.ts N --keep DIR` left (its data dir and snapshot) and the same N:
 * `node --max-semi-space-size=64 --import tsx bench/profile/loaded-search.ts DIR 200000`
 */
import { join } from 'node:path'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { createServices } from '../../src/services/index.ts'
import { corpusEvents, corpusOf } from '../corpus/index.ts'
import { messageParams } from '../phases/ours.ts'
import { pickSearcher } from '../phases/pick-users.ts'
import { MESSAGE_QUERIES } from '../phases/queries.ts'

const dir = process.argv[2] as string
const n = Number(process.argv[3] ?? 200_000)
const corpus = corpusOf(n)
// Messages each user may see, as the bench counts them to pick its searchers.
const visible = new Int32Array(corpus.users.length)
for (const event of corpusEvents(corpus))
  if (event.kind === 'message')
    for (const i of event.message.recipientIdx) visible[i] = (visible[i] as number) + 1
const backend = createMemoryBackend({ snapshotDir: join(dir, 'index-snapshots') })
const load = await backend.snapshots?.load()
if (!load?.loaded) throw new Error(`no snapshot loaded: ${load?.reason}`)
const store = new LmdbRecordStore(join(dir, 'data'))
const services = createServices({ store, backend })
const searcher = await pickSearcher(corpus, visible, '10%', 0.1, services)
for (const query of MESSAGE_QUERIES.filter((q) => q.kind === 'common-zh' || q.kind === 'filter-only')) {
  const params = messageParams(query, searcher)
  const t = performance.now()
  for (let i = 0; i < 200; i++) await services.messages.search(searcher.userId, params)
  process.stdout.write(`${query.kind}: ${((performance.now() - t) / 200).toFixed(2)} ms/query\n`)
}
await store.close()
