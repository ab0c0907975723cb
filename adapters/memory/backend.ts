/**
 * @module The embedded search backend: one {@link DocIndex} per search index, read-your-writes.
 */
import type { DocumentOf } from '../../src/ports/documents.ts'
import type { IndexStats, SearchBackend, SearchPage, SearchRequest } from '../../src/ports/search-backend.ts'
import { ID_FIELDS, INDEX_NAMES, INDEX_SCHEMAS, type IndexName } from '../../src/query/index-schemas.ts'
import { DocIndex } from './doc-index.ts'

export const ADAPTER_NAME = 'memory'

export class MemoryBackend implements SearchBackend {
  readonly name = ADAPTER_NAME
  readonly consistency = 'read-your-writes'
  readonly #indexes: { [I in IndexName]: DocIndex<DocumentOf<I>> }
  #closed = false

  constructor() {
    const create = <I extends IndexName>(index: I) =>
      new DocIndex<DocumentOf<I>>({
        schema: INDEX_SCHEMAS[index],
        idField: ID_FIELDS[index],
        recipientSetFields: index === 'messages' ? ['recipients'] : [],
      })
    this.#indexes = {
      messages: create('messages'),
      users: create('users'),
      groups: create('groups'),
      contacts: create('contacts'),
    }
  }

  async index<I extends IndexName>(index: I, documents: readonly DocumentOf<I>[]): Promise<void> {
    const target = this.#open(index)
    for (const document of documents) target.upsert(document)
  }

  async remove(index: IndexName, ids: readonly string[]): Promise<void> {
    const target = this.#open(index)
    for (const id of ids) target.remove(id)
  }

  async search<I extends IndexName>(index: I, request: SearchRequest): Promise<SearchPage<I>> {
    return this.#open(index).search(request)
  }

  async stats(index: IndexName): Promise<IndexStats> {
    return { documents: this.#open(index).size }
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  #open<I extends IndexName>(index: I): DocIndex<DocumentOf<I>> {
    if (this.#closed) throw new Error('[im-search] [memory] the backend is closed')
    if (!INDEX_NAMES.includes(index)) throw new Error(`[im-search] [memory] unknown index ${index}`)
    return this.#indexes[index]
  }
}
