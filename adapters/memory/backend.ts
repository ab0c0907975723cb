/**
 * @module The embedded search backend: one {@link DocIndex} per search index, read-your-writes.
 */
import { contactKey, type DocumentOf, documentId } from '../../src/ports/documents.ts'
import type { GroupedSearchPage, GroupedSearchRequest } from '../../src/ports/facets.ts'
import type { IndexSnapshots } from '../../src/ports/index-snapshots.ts'
import {
  type IndexMemoryPart,
  type IndexStats,
  RebuildInProgressError,
  type RebuildOptions,
  type SearchBackend,
  type SearchPage,
  type SearchRequest,
} from '../../src/ports/search-backend.ts'
import {
  ID_FIELDS,
  INDEX_NAMES,
  INDEX_SCHEMAS,
  type IndexName,
  recipientField,
} from '../../src/query/index-schemas.ts'
import { DocIndex, type DocIndexOptions, type DocIndexSnapshot } from './doc-index.ts'
import type { MemoryPart } from './memory-usage.ts'
import { DirectorySnapshots } from './snapshot/directory-snapshots.ts'

export const ADAPTER_NAME = 'memory'

/** The parts made of typed arrays, whose bytes are read, not estimated. */
const EXACT_PARTS: ReadonlySet<MemoryPart> = new Set(['postings', 'positions', 'masks'])

/** A generation being built: the index, and the ids written by live traffic since it began. */
interface NextGeneration {
  index: DocIndex<object>
  touched: Set<string>
}

export interface MemoryBackendOptions {
  /** Where the indexes' snapshots are kept; without one the backend has no {@link SearchBackend.snapshots}. */
  snapshotDir?: string | undefined
  /** Deleted documents that trigger a compaction (see `DocIndexOptions`); tests lower it. */
  compactAfterDead?: number | undefined
  /** Users whose documents are merged into one posting (see `DocIndexOptions`); tests lower it. */
  mergedLimit?: number | undefined
}

/**
 * Keyword fields counted per recipient set (`counts-by-set.ts`): a conversation's messages, for
 * the one-conversation listing's exact total (the app's commonest filter-only search).
 */
const COUNTED_BY_SET: Partial<Record<IndexName, readonly string[]>> = { messages: ['conversationId'] }

/**
 * Columns made with the index, so that snapshots hold them (see `DocIndexOptions.columns`): the
 * message search's facets (conversation, sender, type, day) and the conversation search's
 * grouping. Made on the first such search after a start instead, they took seconds at ten
 * million messages (7 s for the first four-facet search). The stored documents read their keyword
 * fields from these columns rather than hold them (the conversation type is here for that alone):
 * snapshots leave those fields out of the documents, so changing the list needs a new snapshot
 * `FORMAT_VERSION`.
 */
const COLUMNS: Partial<Record<IndexName, DocIndexOptions['columns']>> = {
  messages: { keyword: ['conversationId', 'senderId', 'type', 'conversationType'], quarterHours: ['sentAt'] },
}

/**
 * Fields made of others, not stored (see {@link DocIndexOptions.composed}): a contact's key was
 * 12 MB of strings and slots at 1M messages (300,000 contacts), 3% of the loaded index.
 */
const COMPOSED: Partial<Record<IndexName, DocIndexOptions['composed']>> = {
  contacts: {
    contactKey: (field) => {
      const [userId, contactId] = [field('userId'), field('contactId')]
      return typeof userId === 'string' && typeof contactId === 'string'
        ? contactKey(userId, contactId)
        : undefined
    },
  },
}

function docIndexOptions(index: IndexName, options: MemoryBackendOptions): DocIndexOptions {
  const recipients = recipientField(index)
  return {
    schema: INDEX_SCHEMAS[index],
    idField: ID_FIELDS[index],
    recipientSetFields: recipients ? [recipients] : [],
    countedBySet: COUNTED_BY_SET[index] ?? [],
    ...(COLUMNS[index] ? { columns: COLUMNS[index] } : {}),
    ...(COMPOSED[index] ? { composed: COMPOSED[index] } : {}),
    ...(options.compactAfterDead === undefined ? {} : { compactAfterDead: options.compactAfterDead }),
    ...(options.mergedLimit === undefined ? {} : { mergedLimit: options.mergedLimit }),
  }
}

export class MemoryBackend implements SearchBackend {
  readonly name = ADAPTER_NAME
  readonly #indexes: { [I in IndexName]: DocIndex<DocumentOf<I>> }
  readonly #generations: Record<IndexName, number> = { messages: 1, users: 1, groups: 1, contacts: 1 }
  readonly #next = new Map<IndexName, NextGeneration>()
  readonly #options: MemoryBackendOptions
  readonly snapshots: IndexSnapshots | undefined
  #closed = false

  constructor(options: MemoryBackendOptions = {}) {
    this.#options = options
    this.#indexes = {
      messages: this.#create('messages'),
      users: this.#create('users'),
      groups: this.#create('groups'),
      contacts: this.#create('contacts'),
    }
    this.snapshots =
      options.snapshotDir === undefined
        ? undefined
        : new DirectorySnapshots(options.snapshotDir, {
            names: INDEX_NAMES,
            capture: () => this.#capture(),
            restore: (indexes) => this.#restore(indexes),
          })
  }

  #create<I extends IndexName>(index: I): DocIndex<DocumentOf<I>> {
    return new DocIndex<DocumentOf<I>>(docIndexOptions(index, this.#options))
  }

  /** The live generation of every index, captured (a rebuild's next one is not saved). */
  #capture(): Record<IndexName, DocIndexSnapshot> {
    this.#open('messages')
    const indexes = this.#indexes as Record<IndexName, DocIndex<object>>
    return Object.fromEntries(INDEX_NAMES.map((index) => [index, indexes[index].toSnapshot()])) as Record<
      IndexName,
      DocIndexSnapshot
    >
  }

  /**
   * Replaces the (empty) indexes with the snapshots', all built before any is swapped in; the
   * generations stay as they are. Refused when an index holds documents or is being rebuilt:
   * a snapshot replaces nothing written since start.
   */
  #restore(snapshots: Record<string, DocIndexSnapshot>): string | undefined {
    this.#open('messages')
    const busy = INDEX_NAMES.find((index) => this.#indexes[index].size > 0 || this.#next.has(index))
    if (busy)
      return `the ${busy} index already holds documents or is being rebuilt: the snapshot is not loaded`
    const restored = INDEX_NAMES.map((index) => {
      const snapshot = snapshots[index]
      if (!snapshot) throw new Error(`no snapshot of the ${index} index`)
      return [index, DocIndex.fromSnapshot(docIndexOptions(index, this.#options), snapshot)] as const
    })
    for (const [index, docIndex] of restored)
      (this.#indexes as Record<IndexName, DocIndex<object>>)[index] = docIndex
    return undefined
  }

  async index<I extends IndexName>(index: I, documents: readonly DocumentOf<I>[]): Promise<void> {
    const target = this.#open(index)
    const next = this.#next.get(index)
    for (const document of documents) {
      target.upsert(document)
      if (next) {
        next.index.upsert(document)
        next.touched.add(documentId(index, document))
      }
    }
  }

  async remove(index: IndexName, ids: readonly string[]): Promise<void> {
    const target = this.#open(index)
    const next = this.#next.get(index)
    for (const id of ids) {
      target.remove(id)
      next?.index.remove(id)
      next?.touched.add(id)
    }
  }

  async rebuild<I extends IndexName>(index: I, options: RebuildOptions<I>): Promise<number> {
    this.#open(index)
    if (this.#next.has(index))
      throw new RebuildInProgressError(`[im-search] [memory] ${index} is being rebuilt`)
    const next: NextGeneration = { index: this.#create(index), touched: new Set() }
    this.#next.set(index, next)
    try {
      let done = 0
      for await (const page of options.documents()) {
        options.signal?.throwIfAborted()
        // A document written by live traffic since the rebuild began is already in its latest form.
        for (const document of page)
          if (!next.touched.has(documentId(index, document))) next.index.upsert(document)
        done += page.length
        options.onProgress?.(done)
      }
      options.signal?.throwIfAborted()
      // The swap: one assignment, between two searches.
      ;(this.#indexes as Record<IndexName, DocIndex<object>>)[index] = next.index
      this.#generations[index]++
      return this.#generations[index]
    } finally {
      this.#next.delete(index)
    }
  }

  async search<I extends IndexName>(index: I, request: SearchRequest): Promise<SearchPage<I>> {
    return this.#open(index).search(request)
  }

  async searchGrouped<I extends IndexName>(
    index: I,
    request: GroupedSearchRequest,
  ): Promise<GroupedSearchPage<I>> {
    return this.#open(index).searchGrouped(request)
  }

  async stats(index: IndexName): Promise<IndexStats> {
    return {
      documents: this.#open(index).size,
      generation: this.#generations[index],
      rebuilding: this.#next.has(index),
    }
  }

  /**
   * {@link SearchBackend.memoryUsage}: the live generation of each index (a rebuild's next one
   * is not counted). Parts are described by {@link MemoryPart}: typed arrays (`postings`,
   * `positions`, `masks`) exact, the others estimated.
   */
  memoryUsage(): IndexMemoryPart[] {
    return INDEX_NAMES.flatMap((index) =>
      this.#open(index)
        .memoryUsage()
        .map(({ part, bytes }) => ({ index, part, bytes, exact: EXACT_PARTS.has(part) })),
    )
  }

  /** How many searches of `index`'s live generation stopped ranking early (the newest-first fast path). */
  earlyStops(index: IndexName): number {
    return this.#open(index).earlyStops
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
