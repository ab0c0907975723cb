/**
 * @module One search index of the embedded engine: documents by number, the field indexes its
 * schema calls for, and search as "visit the candidates, score, keep the top k".
 */

import type { GeoPoint } from '../../src/domain/geo-point.ts'
import type { FacetCounts, GroupedSearchRequest } from '../../src/ports/facets.ts'
import type { SearchRequest } from '../../src/ports/search-backend.ts'
import type { FieldSchema, IndexSchema } from '../../src/query/index-schemas.ts'
import { fieldTokens } from '../../src/text/field-tokens.ts'
import { BooleanColumn } from './boolean-column.ts'
import { compile, type FieldIndexes } from './compile.ts'
import { CountsBySet } from './counts-by-set.ts'
import { DocColumns, type DocColumnsSnapshot, STORED_FROM, storedAt } from './doc-columns.ts'
import { FacetCounter } from './facet-counter.ts'
import { GeoIndex, type GeoIndexSnapshot } from './geo-index.ts'
import { IdTable, type IdTableSnapshot } from './id-table.ts'
import { KeywordIndex, type KeywordIndexSnapshot, type KeywordLookup } from './keyword-index.ts'
import {
  borrowFloats,
  borrowInts,
  CHUNK,
  giveBackFloats,
  giveBackInts,
  type VisitMarks,
  visitInChunks,
} from './match-chunks.ts'
import { type MemoryPart, MemoryTally } from './memory-usage.ts'
import { NestedWeights } from './nested-weights.ts'
import { NewestUpTo } from './newest-up-to.ts'
import { type ExactTerm, NO_SOURCE, SCORE, type Source, scoreOfHit, visitScore } from './plan.ts'
import { type Candidates, NO_CANDIDATES } from './posting.ts'
import { RecipientSetIndex, type RecipientSetIndexSnapshot } from './recipient-set-index.ts'
import { borrowZeroed, giveBack } from './scratch-ints.ts'
import {
  compareIds,
  decodePageToken,
  encodePageToken,
  groupOrder,
  type Ranked,
  type SortSpec,
  type SortValue,
  sortSpec,
} from './sorting.ts'
import { StoredDocuments } from './stored-documents.ts'
import { TextIndex, type TextIndexSnapshot } from './text-index.ts'
import { TopK } from './top-k.ts'

export interface DocIndexOptions {
  schema: IndexSchema
  idField: string
  /** Array keyword fields whose arrays repeat across documents (message recipients). */
  recipientSetFields?: readonly string[]
  /** Deleted documents that trigger a compaction (once they outnumber live ones); tests lower it. */
  compactAfterDead?: number
  /** See `RecipientSetOptions.mergedLimit`; tests lower it. */
  mergedLimit?: number
  /**
   * Keyword fields whose live documents are counted per recipient set (see `counts-by-set.ts`),
   * so a listing filtered by one value and a recipient counts its total without a walk. The
   * counts are made with the index (from the postings of a loaded one) and kept by every write.
   */
  countedBySet?: readonly string[]
  /**
   * Columns (see `doc-columns.ts`) made with the index and kept by every write, so that its
   * snapshots hold them: the fields a facet or grouped search of this index reads, which would
   * otherwise be made on the first such search after a start (seconds at ten million documents).
   * The stored documents read the keyword fields' strings from these columns (see
   * `StoredDocuments.restore`).
   */
  columns?: { keyword: readonly string[]; quarterHours: readonly string[] }
  /**
   * Fields made of the document's others (the contacts' key, of the owner and the contact), by
   * the function given the document's field reader: made again when read, not stored, but for a
   * document whose value is not the one made (kept as it is).
   */
  composed?: Readonly<Record<string, (field: (name: string) => unknown) => unknown>>
}

/**
 * A {@link DocIndex} as saved (`snapshot/`): plain data and typed arrays, copied or immutable, so
 * that it can be written while the index takes more writes.
 */
export interface DocIndexSnapshot {
  /** Stored documents by number (see `stored-documents.ts`). */
  documents: StoredDocuments
  /**
   * Fields of the stored documents that are restored from the field indexes, not saved with each
   * document (recipient lists: the document's set), so a list is saved once and shared again.
   */
  restoredFields: readonly string[]
  /**
   * Fields whose ASCII strings the documents keep as bytes (the id, see
   * `StoredDocuments.packStrings`): a load packs them as it adds the documents, not after. Absent
   * from snapshots written before it, which the index packs once loaded.
   */
  packedFields?: readonly string[]
  /** Text fields whose strings the documents keep as UTF-8, as {@link packedFields} (and absent alike). */
  textFields?: readonly string[]
  dead: number
  /** The id → document number table. */
  ids: IdTableSnapshot
  keyword: Record<string, KeywordIndexSnapshot>
  fuzzy: Record<string, KeywordIndexSnapshot>
  text: Record<string, TextIndexSnapshot>
  recipientSets: Record<string, RecipientSetIndexSnapshot>
  geo: Record<string, GeoIndexSnapshot>
  /** The facet and grouping columns made so far (see {@link DocIndexOptions.columns}). */
  columns: DocColumnsSnapshot
}

export interface DocIndexPage<D> {
  hits: { id: string; score: number; document: D }[]
  total: number
  next?: string
  facets?: FacetCounts
}

export interface DocIndexGroups<D> {
  groups: { value: string; count: number; top: { id: string; score: number; document: D } }[]
  total: number
  next?: string
}

/** A structure made from the documents on first use and kept by every write (nested weights, boolean columns). */
interface Derived {
  add(docNo: number, source: Source): void
  /** Document `docNo` (`source`, as stored) is deleted: for structures that count live documents. */
  remove?(docNo: number, source: Source): void
  compact?(keep: (docNo: number) => boolean): void
  memoryUsage(tally: MemoryTally): void
}

/** Postings of deleted documents are dropped once they are this many and outnumber live ones. */
const COMPACT_AFTER_DEAD = 10_000

export class DocIndex<D extends object> implements FieldIndexes {
  readonly #options: DocIndexOptions
  /** The stored documents; their live bits are what a search's visit tests its candidates by. */
  readonly #docs: StoredDocuments
  /** A document's id, read from its column. */
  readonly #idOf: (docNo: number) => string
  /** The order of a document's id and an id, without reading the document's (see {@link orderWith}). */
  readonly #idVs: (docNo: number, id: string) => number
  /** Id → document number, for the live documents. */
  readonly #numbers: IdTable
  readonly #keyword = new Map<string, KeywordIndex>()
  readonly #recipientSets = new Map<string, RecipientSetIndex>()
  readonly #text = new Map<string, TextIndex>()
  readonly #fuzzy = new Map<string, KeywordIndex>()
  readonly #geo = new Map<string, GeoIndex>()
  /**
   * One per indexed field, built once (and one per structure made on first use, see
   * {@link #derived}): indexing a document neither walks the maps nor splits field names.
   */
  readonly #writers: ((docNo: number, source: Source, stored: Record<string, unknown>) => void)[] = []
  readonly #newestUpTo = new Map<string, NewestUpTo>()
  /** Structures made on first use (see {@link #derived}), by name. */
  readonly #derivedBy = new Map<string, Derived>()
  /** The {@link CountsBySet} among them, by recipient-set field, then counted field. */
  readonly #countsBySet = new Map<string, Map<string, CountsBySet>>()
  /** Fields by document number, for facets and grouping (see `doc-columns.ts`). */
  readonly #columns: DocColumns
  /**
   * Per document number, the last search that visited it ({@link DocIndex.#nextVisit}): 16-bit
   * marks, cleared once in 65,535 searches, where 32-bit marks in twice the documents' slots took
   * 8 bytes a message at ten million.
   */
  #visited = new Uint16Array(1024)
  #visit = 0
  #dead = 0
  #earlyStops = 0

  /** An empty index, or the one `snapshot` saved (see {@link DocIndex.fromSnapshot}). */
  constructor(options: DocIndexOptions, snapshot?: DocIndexSnapshot) {
    this.#options = options
    // A snapshot's documents are taken as they are (see #restoreDocuments).
    this.#docs = snapshot ? snapshot.documents : new StoredDocuments()
    const docs = this.#docs
    this.#columns = snapshot ? DocColumns.fromSnapshot(docs, snapshot.columns) : new DocColumns(docs)
    if (options.columns) this.#columns.prepare(options.columns.keyword, options.columns.quarterHours)
    // A keyword column holds each document's string by number: the documents need not hold it too.
    for (const field of options.columns?.keyword ?? [])
      if (field !== options.idField && !options.recipientSetFields?.includes(field))
        docs.restore(field, this.#columns.valueOf(field), (value) => typeof value === 'string')
    for (const [field, compose] of Object.entries(options.composed ?? {})) {
      const made = (docNo: number) => compose((name) => docs.field(docNo, name))
      docs.restore(field, made, (value, docNo) => value === made(docNo))
    }
    docs.packStrings(options.idField, 'ascii')
    for (const field of textFields(options.schema)) docs.packStrings(field, 'utf8')
    const ids = docs.reader(options.idField)
    const idOf = (docNo: number) => ids(docNo) as string
    this.#idOf = idOf
    this.#idVs = docs.comparer(options.idField)
    this.#numbers = snapshot ? IdTable.fromSnapshot(idOf, snapshot.ids, docs.length) : new IdTable(idOf)
    const saved = <T>(part: Record<string, T> | undefined, field: string): T | undefined => {
      if (!part) return undefined
      const found = part[field]
      if (found === undefined) throw new Error(`the snapshot has no index of ${field}`)
      return found
    }
    const keyword = (part: Record<string, KeywordIndexSnapshot> | undefined, field: string) => {
      const found = saved(part, field)
      return found ? KeywordIndex.fromSnapshot(found) : new KeywordIndex()
    }
    const sets = options.mergedLimit === undefined ? {} : { mergedLimit: options.mergedLimit }
    for (const [field, schema] of Object.entries(options.schema)) {
      if (options.recipientSetFields?.includes(field)) {
        const found = saved(snapshot?.recipientSets, field)
        this.#recipientSets.set(
          field,
          found ? RecipientSetIndex.fromSnapshot(found, sets) : new RecipientSetIndex(undefined, sets),
        )
      }
      // The id field is answered by the id → document map (`keyword()` below), not a second index.
      else if (schema.type === 'keyword' && field !== options.idField)
        this.#keyword.set(field, keyword(snapshot?.keyword, field))
      else if (schema.type === 'text') {
        const found = saved(snapshot?.text, field)
        this.#text.set(field, found ? TextIndex.fromSnapshot(found) : new TextIndex())
      } else if (schema.type === 'fuzzy') this.#fuzzy.set(field, keyword(snapshot?.fuzzy, field))
      else if (schema.type === 'geo_point') {
        const found = saved(snapshot?.geo, field)
        this.#geo.set(field, found ? GeoIndex.fromSnapshot(found) : new GeoIndex())
      } else if (schema.type === 'nested')
        for (const [sub, subSchema] of Object.entries(schema.fields ?? {}))
          if (subSchema.type === 'keyword')
            this.#keyword.set(`${field}.${sub}`, keyword(snapshot?.keyword, `${field}.${sub}`))
    }
    for (const [field, index] of this.#recipientSets) {
      // A document's list is its set's: not stored again with the document.
      docs.restore(field, (docNo) => index.listOf(docNo))
      this.#writers.push((docNo, source) => {
        const value = source[field]
        if (!index.addAgain(docNo, value)) index.add(docNo, strings(value))
      })
    }
    for (const [field, index] of this.#keyword) {
      const dot = field.indexOf('.')
      const [parent, child] = [field.slice(0, dot), field.slice(dot + 1)]
      this.#writers.push(
        dot < 0
          ? (docNo, source, stored) => {
              const value = source[field]
              if (typeof value !== 'string') index.add(docNo, strings(value))
              // The index's copy of the string, shared by the stored documents: documents decoded
              // from the store each bring their own copy of a conversation's or sender's id.
              else stored[field] = index.addValue(docNo, value)
            }
          : (docNo, source) => {
              const objects = arrayOf(source[parent])
              // Most documents hold none (a message's attachments): nothing to map and post.
              if (objects.length > 0)
                index.add(docNo, strings(objects.map((object) => (object as Source)[child])))
            },
      )
    }
    for (const [field, index] of this.#text)
      this.#writers.push((docNo, source) => index.add(docNo, fieldTokens(source[field])))
    for (const [field, index] of this.#fuzzy)
      this.#writers.push((docNo, source) => index.add(docNo, strings(source[field])))
    for (const [field, index] of this.#geo)
      this.#writers.push((docNo, source) => index.add(docNo, source[field] as GeoPoint | undefined))
    if (snapshot) this.#restoreDocuments(snapshot)
    // Made now, from the postings (about 1.5 s at ten million messages after a load), not by
    // the first one-conversation listing after a start.
    for (const [byField, sets] of this.#recipientSets)
      for (const field of options.countedBySet ?? []) this.#countsBy(byField, sets, field)
  }

  /**
   * The index `snapshot` saved: its further writes and searches behave exactly as those of the
   * index it was taken from. It takes the snapshot's documents array, documents (decoded for it:
   * they are completed in place) and typed arrays. Throws when the snapshot does not fit the
   * options' schema.
   */
  static fromSnapshot<D extends object>(options: DocIndexOptions, snapshot: DocIndexSnapshot): DocIndex<D> {
    return new DocIndex<D>(options, snapshot)
  }

  /**
   * The index as it is now, captured synchronously: what later writes could change is copied
   * (postings, counts, the document slots), the rest is immutable (stored documents, strings) or
   * only appended to (token sequences). Caches built on demand (newest-first bounds, visibility
   * masks, prefix trees, nested weights, boolean columns) are left out and rebuilt after a load.
   */
  toSnapshot(): DocIndexSnapshot {
    const documents = this.#docs.length
    const each = <I, S>(indexes: Map<string, I>, save: (index: I) => S): Record<string, S> =>
      Object.fromEntries([...indexes].map(([field, index]) => [field, save(index)]))
    return {
      documents: this.#docs.frozen(),
      restoredFields: [...this.#recipientSets.keys()],
      packedFields: [this.#options.idField],
      textFields: textFields(this.#options.schema),
      dead: this.#dead,
      ids: this.#numbers.toSnapshot(documents),
      keyword: each(this.#keyword, (index) => index.toSnapshot()),
      fuzzy: each(this.#fuzzy, (index) => index.toSnapshot()),
      text: each(this.#text, (index) => index.toSnapshot(documents)),
      recipientSets: each(this.#recipientSets, (index) => index.toSnapshot(documents)),
      geo: each(this.#geo, (index) => index.toSnapshot()),
      columns: this.#columns.toSnapshot(),
    }
  }

  /**
   * Checks the snapshot's documents against the indexes loaded with them: every live one has its
   * recipient sets and an id in the id table.
   */
  #restoreDocuments(snapshot: DocIndexSnapshot): void {
    const lists = [...this.#recipientSets]
    const docs = this.#docs
    let live = 0
    for (let docNo = 0; docNo < docs.length; docNo++) {
      if (!docs.has(docNo)) continue
      live++
      for (const [field, index] of lists)
        if (!index.hasList(docNo)) throw new Error(`document ${docNo} has no ${field} set`)
    }
    if (live !== this.#numbers.size) throw new Error('the id table does not hold every document')
    this.#dead = snapshot.dead
  }

  /** Document `docNo`, made whole for a caller. */
  #document(docNo: number): D {
    return this.#docs.get(docNo) as D
  }

  get size(): number {
    return this.#numbers.size
  }

  /** Searches that stopped ranking early (newest first, see {@link NewestUpTo}): proves the fast path is taken. */
  get earlyStops(): number {
    return this.#earlyStops
  }

  upsert(document: D): void {
    const source = document as Source
    const id = source[this.#options.idField] as string
    this.remove(id)
    const docNo = this.#docs.length
    const stored: Record<string, unknown> = { ...source }
    for (const write of this.#writers) write(docNo, source, stored)
    this.#docs.add(stored)
    this.#columns.set(docNo, stored)
    this.#numbers.add(id, docNo)
  }

  remove(id: string): void {
    // Taken out of the table while its document is still there to compare the id with.
    const docNo = this.#numbers.delete(id)
    if (docNo === undefined) return
    for (const index of this.#text.values()) index.remove(docNo)
    for (const derived of this.#derivedBy.values()) derived.remove?.(docNo, this.#docs.view(docNo))
    this.#docs.delete(docNo)
    this.#dead++
    const threshold = this.#options.compactAfterDead ?? COMPACT_AFTER_DEAD
    if (this.#dead >= threshold && this.#dead > this.#numbers.size) this.#compact()
  }

  search(request: SearchRequest): DocIndexPage<D> {
    const plan = compile(request.query, this)
    const spec = sortSpec(request.sort ?? [])
    // Scored only where the order uses the score; otherwise the page's hits are scored below.
    const scoreCandidate = visitScore(plan, spec.usesScore)
    const after = request.after ? decodePageToken(request.after, spec.keyCount) : undefined
    // Filled in place per candidate; copied only when it makes the page so far.
    const scratch = new Scratch(this.#idOf, spec.keysArray())
    const compare = orderWith(spec, scratch, this.#idVs)
    const top = new TopK<Ranked>(request.limit + 1, compare)
    const docs = this.#docs
    let total = 0
    const candidates = plan.candidates
    // Where the visit stopped: no candidate below it can make the page, so they are only counted.
    let stoppedAt = -1
    const facets = request.facets ? new FacetCounter(request.facets, this.#columns) : undefined
    // Whether every document up to a number is older than a time: once so of the page's worst, stop.
    // Facets count every match: a visit that stops early would count only the page's.
    const bounds =
      !facets && candidates?.countBelow && plan.candidateScore !== undefined
        ? this.#bounds(spec.newestField)
        : undefined
    const counted = plan.candidateScore !== undefined ? plan.count : undefined
    const keysInto = spec.keysFor(docs)
    const scores = borrowFloats()
    const sourceFree = plan.sourceFree === true
    // The page's worst score once it is full (-1 before: scores are ≥ 0), updated when the page
    // changes. Read from the worst hit at each match, the score (a fraction, stored boxed) came
    // back as a new heap number: 16 B a match, 0.93 MB of the 10% user's 今天 at ten million
    // messages, and a young-generation collection every 60 searches (every 280 kept here).
    let worstScore = -1
    // A chunk at a time: its matches scored, then counted for the facets, then ranked.
    const visitChunk = (docNos: Int32Array, count: number): boolean | undefined => {
      plan.warm?.(docNos, count)
      let matched = 0
      for (let i = 0; i < count; i++) {
        const docNo = docNos[i] as number
        if (!scoreCandidate(docNo, sourceFree ? NO_SOURCE : docs.view(docNo))) continue
        docNos[matched] = docNo
        scores[matched++] = SCORE[0] as number
      }
      facets?.addAll(docNos, matched, docs)
      for (let i = 0; i < matched; i++) {
        total++
        const docNo = docNos[i] as number
        const score = scores[i] as number
        // Below the page's worst score: refused without reading the document's id and sort keys
        // (each a likely cache miss at a million documents).
        if (spec.scoreFirst && score < worstScore) continue
        scratch.docNo = docNo
        scratch.score = score
        keysInto(docNo, score, scratch.keys)
        if (bounds && isOlder(bounds, docNo, top.worst())) {
          stoppedAt = docNo
          return true
        }
        if (after && compare(scratch, after) <= 0) continue
        if (top.admits(scratch)) {
          top.push(copyOf(scratch))
          worstScore = top.worst()?.score ?? -1
        }
      }
    }
    // A visit that may stop early starts with a page's worth of candidates.
    const first = bounds ? request.limit + 1 : CHUNK
    this.#visitInChunks(candidates, spec.newestFirst, first, visitChunk)
    giveBackFloats(scores)
    if (stoppedAt >= 0) this.#earlyStops++
    // Counted by the indexes where they can (a conversation's messages a user sees: a sum over a
    // few recipient sets), else the candidates the visit stopped before are walked.
    if (counted) total = counted()
    else if (stoppedAt >= 0 && candidates?.countBelow)
      total += candidates.countBelow(stoppedAt, (docNo) => docs.has(docNo))
    const best = top.sorted()
    const page = best.slice(0, request.limit)
    const last = page[page.length - 1]
    // A hit of a listing whose candidates are all matches has their score: none is evaluated again.
    const hitScore = (r: Ranked) =>
      spec.usesScore ? r.score : (plan.candidateScore ?? scoreOfHit(plan, r.docNo, docs.view(r.docNo)))
    return {
      hits: page.map((r) => ({
        id: r.id,
        score: hitScore(r),
        document: this.#document(r.docNo),
      })),
      total,
      ...(best.length > request.limit && last ? { next: encodePageToken(last) } : {}),
      ...(facets ? { facets: facets.result() } : {}),
    }
  }

  /**
   * Matches grouped by a keyword field (`GroupedSearchRequest`): every match is visited, each
   * group keeps its count and its best document under the sort; groups are ordered by that
   * document's first key, then by value.
   */
  searchGrouped(request: GroupedSearchRequest): DocIndexGroups<D> {
    const plan = compile(request.query, this)
    const spec = sortSpec(request.sort)
    // Scored only where the order uses the score; otherwise the page's tops are scored below.
    const score = visitScore(plan, spec.usesScore)
    // Grouped by the value's number in the field's column: a match's group is two array loads.
    const column = this.#columns.keyword(request.field)
    const [table, stride, { offset, width }] = [this.#columns.table, this.#columns.stride, column.place]
    /** Value number → its group's place in `groups` plus one (0: no match yet); given back below. */
    const slots = borrowZeroed(column.values.length)
    const groups: { code: number; count: number; top: Ranked }[] = []
    const idOf = this.#idOf
    // Whether every document up to a number is older than a time (a newest-first sort): a match
    // with everything up to it older than its group's top is only counted, without reading its
    // document or sort keys.
    const bounds = this.#bounds(spec.newestField)
    // Every match is visited (a 10% user's common word: thousands), but only a group's first
    // document and the few that beat its top are kept: the rest are ranked in one scratch record
    // and allocate nothing (at 1M, per-match records made the grouped search's p99 a GC pause).
    const scratch = new Scratch(idOf, spec.keysArray())
    const compare = orderWith(spec, scratch, this.#idVs)
    const docs = this.#docs
    const keysInto = spec.keysFor(docs)
    // Per match of a chunk: its group's value number and score.
    const codes = borrowInts()
    const scores = borrowFloats()
    const sourceFree = plan.sourceFree === true
    const visitChunk = (docNos: Int32Array, count: number): undefined => {
      // Each a tight loop over one column, in document order (see `match-chunks.ts`).
      for (let i = 0; i < count; i++)
        codes[i] = storedAt(table, (docNos[i] as number) * stride + offset, width) - STORED_FROM
      plan.warm?.(docNos, count)
      let matched = 0
      for (let i = 0; i < count; i++) {
        // No string value (missing, or an array): in no group. A keyword column's base is 0.
        const code = codes[i] as number
        if (code < 0) continue
        const docNo = docNos[i] as number
        if (!score(docNo, sourceFree ? NO_SOURCE : docs.view(docNo))) continue
        docNos[matched] = docNo
        codes[matched] = code
        scores[matched++] = SCORE[0] as number
      }
      for (let i = 0; i < matched; i++) {
        const code = codes[i] as number
        const slot = slots[code] as number
        const group = slot > 0 ? groups[slot - 1] : undefined
        if (group) {
          group.count++
          if (bounds && isOlder(bounds, docNos[i] as number, group.top)) continue
        }
        const docNo = docNos[i] as number
        const s = scores[i] as number
        scratch.docNo = docNo
        scratch.score = s
        keysInto(docNo, s, scratch.keys)
        if (!group) {
          groups.push({ code, count: 1, top: copyOf(scratch) })
          slots[code] = groups.length
        } else if (compare(scratch, group.top) < 0) {
          const top = group.top
          top.docNo = scratch.docNo
          top.id = scratch.id
          top.score = scratch.score
          for (let k = 0; k < scratch.keys.length; k++) top.keys[k] = scratch.keys[k] ?? null
        }
      }
    }
    // Newest first where the order favours it (see `SortSpec.newestFirst`): each group's top is
    // then found first, and the older matches after it are only counted (where the bounds are) or
    // refused on comparison.
    this.#visitInChunks(plan.candidates, spec.newestFirst, CHUNK, visitChunk)
    giveBackInts(codes)
    giveBackFloats(scores)
    giveBack(
      slots,
      groups.map((group) => group.code),
    )
    const order = groupOrder(request.sort)
    const after = request.after ? decodePageToken(request.after, 1) : undefined
    const sorted = groups
      .map((group) => ({
        value: column.values[group.code] as string,
        ...group,
        first: group.top.keys[0] ?? null,
      }))
      .sort((a, b) => order(a.first, a.value, b.first, b.value))
    const from = after
      ? sorted.filter((g) => order(g.first, g.value, after.keys[0] ?? null, after.id) > 0)
      : sorted
    const page = from.slice(0, request.limit)
    const last = page[page.length - 1]
    return {
      groups: page.map((g) => ({
        value: g.value,
        count: g.count,
        top: {
          id: g.top.id,
          score: spec.usesScore ? g.top.score : scoreOfHit(plan, g.top.docNo, this.#docs.view(g.top.docNo)),
          document: this.#document(g.top.docNo),
        },
      })),
      total: groups.length,
      ...(from.length > request.limit && last
        ? { next: encodePageToken({ docNo: 0, id: last.value, score: 0, keys: [last.first] }) }
        : {}),
    }
  }

  /**
   * Visits each live candidate (every live document without candidates) once, in chunks (see
   * `match-chunks.ts`); `descending` is a hint, `first` the first chunk's size.
   */
  #visitInChunks(
    candidates: Candidates | undefined,
    descending: boolean,
    first: number,
    process: (docNos: Int32Array, count: number) => boolean | undefined,
  ): void {
    // Marks only where a candidate may repeat (a union of postings).
    let marks: VisitMarks | undefined
    if (candidates && candidates.distinct !== true) {
      const mark = this.#nextVisit()
      marks = { marks: this.#visited, mark }
    }
    visitInChunks(candidates, this.#docs.live, marks, descending, first, process)
  }

  /** A mark for {@link DocIndex.#visited} that no document holds yet, the marks sized for every document. */
  #nextVisit(): number {
    const count = this.#docs.length
    // A quarter more slots at a time, as the documents grow (a new array is all unvisited).
    if (this.#visited.length < count)
      [this.#visited, this.#visit] = [new Uint16Array(Math.ceil(count * 1.25)), 0]
    if (this.#visit === 0xffff) [this.#visited, this.#visit] = [this.#visited.fill(0), 0]
    return ++this.#visit
  }

  /** Whether every document up to a number is older than a time, by `field` (see {@link NewestUpTo}). */
  #bounds(field: string | undefined): NewestUpTo | undefined {
    if (field === undefined) return undefined
    let newest = this.#newestUpTo.get(field)
    if (!newest) {
      newest = new NewestUpTo(field)
      this.#newestUpTo.set(field, newest)
    }
    return newest.update(this.#docs)
  }

  schema(field: string): FieldSchema | undefined {
    const direct = this.#options.schema[field]
    if (direct) return direct
    const dot = field.indexOf('.')
    return dot < 0 ? undefined : this.#options.schema[field.slice(0, dot)]?.fields?.[field.slice(dot + 1)]
  }

  keyword(field: string): KeywordLookup | undefined {
    if (field === this.#options.idField) return this.#idLookup
    return this.#keyword.get(field)
  }

  /** Term and prefix lookups on the id field, from the id → document-number map. */
  readonly #idLookup: KeywordLookup = {
    term: (value) => {
      const docNo = this.#numbers.get(value)
      return docNo === undefined ? NO_CANDIDATES : { size: 1, forEach: (fn) => fn(docNo) }
    },
    prefix: (value) => {
      const docNos: number[] = []
      for (let docNo = 0; docNo < this.#docs.length; docNo++)
        if (this.#docs.has(docNo) && this.#idOf(docNo).startsWith(value)) docNos.push(docNo)
      return { size: docNos.length, forEach: (fn) => docNos.forEach(fn) }
    },
  }

  recipientSet(field: string): RecipientSetIndex | undefined {
    return this.#recipientSets.get(field)
  }

  text(field: string): TextIndex | undefined {
    return this.#text.get(field)
  }

  fuzzy(field: string): KeywordIndex | undefined {
    return this.#fuzzy.get(field)
  }

  geo(field: string): GeoIndex | undefined {
    return this.#geo.get(field)
  }

  /** Made from the documents on first use, then written with every document (see `nested-weights.ts`). */
  nestedWeights(path: string, key: string, weight: string): NestedWeights | undefined {
    if (this.schema(`${path}.${key}`)?.type !== 'keyword' || this.schema(path)?.type !== 'nested') return
    return this.#derived(`weights ${path} ${key} ${weight}`, () => new NestedWeights(path, key, weight))
  }

  countBoth(a: ExactTerm, b: ExactTerm): (() => number) | undefined {
    const [byField, keyword] = this.#recipientSets.has(a.field) ? [a, b] : [b, a]
    const sets = this.#recipientSets.get(byField.field)
    const [value] = keyword.values
    if (!sets || value === undefined || keyword.values.length !== 1) return
    if (!this.#options.countedBySet?.includes(keyword.field)) return
    const counts = this.#countsBy(byField.field, sets, keyword.field)
    return () => counts.count(value, sets.setsOf(byField.values))
  }

  /**
   * The live documents of `keywordField` counted per set of `byField`, made when first asked
   * (the constructor asks for every {@link DocIndexOptions.countedBySet} field, see there).
   */
  #countsBy(byField: string, sets: RecipientSetIndex, keywordField: string): CountsBySet {
    // Found by field names, not a derived structure's name: that name's concatenation and lookup
    // were a few percent of the listing.
    let bySet = this.#countsBySet.get(byField)
    if (!bySet) {
      bySet = new Map()
      this.#countsBySet.set(byField, bySet)
    }
    let counts = bySet.get(keywordField)
    if (!counts) {
      // Filled from the field's postings, not the stored documents (see `CountsBySet.addPosting`).
      const postings = this.#keyword.get(keywordField)
      const docs = this.#docs
      const live = (docNo: number) => docs.has(docNo)
      counts = this.#derived(
        `counts ${keywordField} by ${byField}`,
        () => new CountsBySet(keywordField, (docNo) => sets.setNumberOf(docNo)),
        postings &&
          ((made) =>
            postings.eachPosting((value, numbers, from, to) =>
              made.addPosting(value, numbers, from, to, live),
            )),
      )
      bySet.set(keywordField, counts)
    }
    return counts
  }

  /** A top-level boolean field's column, made on first use (see `boolean-column.ts`). */
  booleans(field: string): BooleanColumn | undefined {
    if (this.#options.schema[field]?.type !== 'boolean') return
    return this.#derived(`boolean ${field}`, () => new BooleanColumn(field))
  }

  /**
   * The structure `name`, made by `make` and filled when first asked for (by `fill`, or from the
   * documents), then kept by every write.
   */
  #derived<T extends Derived>(name: string, make: () => T, fill?: (made: T) => void): T {
    const found = this.#derivedBy.get(name)
    if (found) return found as T
    const made = make()
    const docs = this.#docs
    if (fill) fill(made)
    else
      for (let docNo = 0; docNo < docs.length; docNo++) if (docs.has(docNo)) made.add(docNo, docs.view(docNo))
    // Fitted to what it holds (its arrays grew by doubling): a compaction that keeps every document.
    made.compact?.(() => true)
    this.#writers.push((docNo, source) => made.add(docNo, source))
    this.#derivedBy.set(name, made)
    return made
  }

  /**
   * Bytes by part (see {@link MemoryPart}). Stored documents: their columns, and what their
   * values hold estimated from a sample, without the recipient lists and keyword values they share
   * (counted once: as recipient sets, and from the shared values); every field index reports its
   * own parts.
   */
  memoryUsage(): { part: MemoryPart; bytes: number }[] {
    const tally = new MemoryTally()
    // Recipient lists and keyword strings are shared (see the writers): counted once, below.
    const shared = (key: string, value: unknown) =>
      this.#recipientSets.has(key) || (typeof value === 'string' && this.#keyword.has(key))
    this.#docs.memoryUsage(tally, this.size, shared)
    tally.add('ids', this.#numbers.byteLength)
    tally.add('masks', this.#visited.byteLength)
    tally.add('masks', this.#docs.live.byteLength)
    for (const newest of this.#newestUpTo.values()) tally.add('masks', newest.byteLength)
    tally.add('masks', this.#columns.byteLength)
    for (const index of [...this.#keyword.values(), ...this.#fuzzy.values()]) index.memoryUsage(tally)
    for (const index of this.#recipientSets.values()) index.memoryUsage(tally)
    for (const index of this.#text.values()) index.memoryUsage(tally)
    for (const index of this.#geo.values()) index.memoryUsage(tally)
    for (const derived of this.#derivedBy.values()) derived.memoryUsage(tally)
    return tally.parts()
  }

  #compact(): void {
    const alive = (docNo: number) => this.#docs.has(docNo)
    for (const index of [...this.#keyword.values(), ...this.#fuzzy.values()]) index.compact(alive)
    for (const index of this.#recipientSets.values()) index.compact(alive)
    for (const index of this.#geo.values()) index.compact(alive)
    for (const index of this.#text.values()) index.compact(alive)
    for (const derived of this.#derivedBy.values()) derived.compact?.(alive)
    this.#dead = 0
  }
}

/**
 * A ranking record a search fills in place per candidate. Its id is read when asked for (a copy
 * that makes the page): the id column makes a string at each read (see
 * `StoredDocuments.packAscii`), and most candidates never need one. A class, so the getter is
 * its prototype's: an object literal with a getter is made with slow (dictionary) properties.
 */
class Scratch implements Ranked {
  docNo = 0
  score = 0
  readonly keys: SortValue[]
  readonly #idOf: (docNo: number) => string

  constructor(idOf: (docNo: number) => string, keys: SortValue[]) {
    this.#idOf = idOf
    this.keys = keys
  }

  get id(): string {
    return this.#idOf(this.docNo)
  }
}

/**
 * `spec`'s order, where the ids of a tie with `scratch` are compared by its document's id as
 * stored, not read into a string: a word's matches tie on score by the thousand, and each read
 * of a packed id makes a string.
 */
function orderWith(
  spec: SortSpec,
  scratch: Ranked,
  idVs: (docNo: number, id: string) => number,
): (a: Pick<Ranked, 'keys' | 'id'>, b: Pick<Ranked, 'keys' | 'id'>) => number {
  return (a, b) => {
    const byKeys = spec.compareKeys(a, b)
    if (byKeys !== 0) return byKeys
    if (a === scratch) return idVs(scratch.docNo, b.id)
    if (b === scratch) return -idVs(scratch.docNo, a.id)
    return compareIds(a.id, b.id)
  }
}

/** A ranking record kept, its id read now (a spread copies own properties only, not the getter). */
function copyOf(scratch: Ranked): Ranked {
  return { docNo: scratch.docNo, id: scratch.id, score: scratch.score, keys: [...scratch.keys] }
}

/**
 * Whether every document at or below the candidate is older than the page's worst hit (by the
 * first sort key): then no candidate left, visited by descending number, can make the page.
 */
function isOlder(bounds: NewestUpTo, docNo: number, worst: Ranked | undefined): boolean {
  const oldest = worst?.keys[0]
  return typeof oldest === 'number' && bounds.olderThan(docNo, oldest)
}

/**
 * The schema's text fields: read by the text index's tokens, never from the document by a plan,
 * so their strings are made for a page's hits only (see `StoredDocuments.packStrings`).
 */
function textFields(schema: IndexSchema): string[] {
  return Object.entries(schema)
    .filter(([, field]) => field.type === 'text')
    .map(([name]) => name)
}

function arrayOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

/** The string values; an array of strings is passed on as it is (recipient lists are long). */
function strings(value: unknown): readonly string[] {
  if (typeof value === 'string') return [value]
  if (!Array.isArray(value)) return []
  return value.every((v) => typeof v === 'string') ? value : value.filter((v) => typeof v === 'string')
}
