/**
 * @module What the profiling scripts start from: the bench's corpus of N messages ingested through
 * the port, the services over it, and the 1% and 10% searchers, as the bench picks them.
 */
import { createServices } from '../../src/services/index.ts'
import { corpusOf } from '../corpus/index.ts'
import { pickSearchers } from '../phases/pick-users.ts'
import { ingestThroughPort } from '../phases/port-ingest.ts'

export async function ingestedCorpus(messages: number) {
  const corpus = corpusOf(messages)
  const port = await ingestThroughPort(corpus)
  const services = createServices({ store: port.store, backend: port.backend })
  const searchers = await pickSearchers(corpus, port.visible, services)
  return { corpus, port, services, searchers }
}
