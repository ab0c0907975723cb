/**
 * @module An array keyword field whose arrays repeat: message recipients. Every distinct array is
 * stored once as a set with the postings of the documents that carry it; a value points to the
 * sets it is in. A group's messages between two membership changes share one set, so the cost
 * per message is one posting and one set number, not one posting per recipient (a 2,000-member
 * group would otherwise add 2,000 postings per message).
 *
 * Values are interned to small integers. A repeated array is recognised without interning it: sets
 * are found by their first value, last value and length, then compared value by value with the
 * canonical array (the same strings, so mostly pointer comparisons). Interning ~144 ids per
 * message was most of ingestion.
 *
 * A new set is kept as the members it adds and removes against an earlier set one join or leave
 * apart (a group's previous list), when there is one, else whole: a 2,000-member group changing
 * through a year made hundreds of versions of its list, and the sets held every version whole
 * (the bench corpus's 1M messages carry 159k distinct lists of 16.7M ids in all: 134 MB as member
 * lists and member → sets lists; as changes, 27 MB at 200k messages became 1 MB). Lists are made
 * from the changes when first read.
 *
 * "May this user see document n" is one byte: a per-user mask over set numbers, built from the
 * user's sets when first asked, extended when sets are added, and kept for the most recent users.
 */
import {
  MAP_ENTRY_BYTES,
  type MemoryTally,
  OBJECT_BYTES,
  POSTING_OBJECT_BYTES,
  SLOT_BYTES,
  stringsBytes,
} from './memory-usage.ts'
import {
  type Candidates,
  checkPacked,
  NO_CANDIDATES,
  type PackedPostings,
  Posting,
  packedPosting,
  packPostings,
} from './posting.ts'

/** A user's sets, kept between searches: the mask, and the postings as candidates. */
interface Visibility {
  /** `mask[setNo]` is 1 when the user is a member. */
  mask: Uint8Array
  /** The postings of the user's sets, ascending by set; the mask holds the same sets. */
  readonly docs: Posting[]
  /** The sets `[0, scanned)` are in the mask. */
  scanned: number
  /** How many of the member's {@link RecipientSetIndex} `#addedIn` sets the scan has passed. */
  passed: number
  /** Their total length, at index version `sizedAt`. */
  size: number
  sizedAt: number
  /** The user's documents in one sorted posting, when made (see {@link RecipientSetIndex.term}). */
  merged: Merged | undefined
  /** The user's documents as bits, when made (see {@link RecipientSetIndex.term}). */
  bits: DocBits | undefined
}

/** A user's documents, a bit each (word `docNo >>> 5`, bit `docNo & 31`), extended as the sets grow. */
interface DocBits {
  words: Uint32Array
  /** How many of each set's documents (in {@link Visibility.docs} order) it holds. */
  readonly taken: number[]
  /** The compaction it was made after: a compaction shrinks the postings it counted in. */
  readonly compactions: number
  /** The index version it was brought up to. */
  at: number
}

/** A user's documents merged from its sets' postings, extended as the sets grow. */
interface Merged {
  readonly posting: Posting
  /** How many of each set's documents (in {@link Visibility.docs} order) it holds. */
  readonly taken: number[]
  /** The compaction it was made after: a compaction shrinks the sets it counted in. */
  readonly compactions: number
  /** The index version it was brought up to: unchanged, no set took a document since. */
  at: number
}

/**
 * Users whose masks are kept (a mask is one byte per distinct recipient list), with their merged
 * postings or, for a user who sees more documents, their bits (a bit a document: 1.25 MB at ten
 * million, 80 MB if every kept user sees that many).
 */
const CACHED_USERS = 64

/**
 * Sets in a row saved as changes of the one before: a list is made by applying at most this many
 * changes to a set saved whole. More would make making a list slower; fewer, the sets larger (a
 * 2,000-member group's list is saved whole once per this many versions).
 */
const MAX_CHAIN = 32

/**
 * Up to this many documents, a user's sets are also merged into one sorted posting (4 bytes a
 * document, at most 16 MB for the cached users): a conjunction then intersects the user's
 * documents with a word's postings, galloping, instead of visiting every one of them in full
 * (scattered loads, the load mix's second cost at 1M messages) or walking the whole of a common
 * word's posting under the mask. A user who sees more keeps the mask alone: walking the word's
 * posting under it is cheaper than galloping a posting that large. Raised to 262,144 (the 10%
 * user at 1M, 100,000 messages, then merged), that user's searches ran no faster (common word
 * p50 7.5–10.1 ms against 8.6–8.8, grouped 11.4–12.3 against 10.5–10.7, filter-only 0.54 against
 * 0.46; two quiet runs of `bench/profile/message-kinds.ts`): the word's posting (about 6% of the
 * messages) is the shorter and drives either way, and a gallop into the merged posting costs
 * what the mask test does.
 */
const MERGED_LIMIT = 1 << 16

export interface RecipientSetOptions {
  /**
   * Users who see at most this many documents get them merged into one posting, the others their
   * bits; tests lower it. @default MERGED_LIMIT
   */
  mergedLimit?: number
  /** Ids the lists kept made may hold at once; tests lower it. @default MADE_LIST_IDS */
  madeListIds?: number
}

/**
 * Ids the sets' lists kept made hold at most (8 MB of slots; their strings are the interned ids).
 * A list is made from its set's changes when a document's recipients are read or a set is found
 * or made from it, and kept for the next time, one not used lately let go past this bound: kept
 * all, they would hold tens of millions of ids at a million messages (the store's 53k lists of
 * four ids or more hold 21 million: 167 MB of slots), which an index built in its process held
 * from the start and a loaded one drifted towards as its searches read documents.
 */
const MADE_LIST_IDS = 1 << 20

/** Per set in `heads`: its first and last member (-1 for none) and its length. */
const HEAD = 3

/**
 * The ends lookup's key: a hash of a list's first and last member numbers (-1 for none) and its
 * length, a small integer (a string key per set was 40 bytes more; a collision costs one more
 * list comparison).
 */
function endsKeyOf(first: number, last: number, length: number): number {
  return Math.imul(first + 1, 0x9e3779b1) ^ Math.imul(last + 1, 0x85ebca6b) ^ length
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function isSortedUnique(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i - 1] as string) >= (values[i] as string)) return false
  return true
}

/** The first `length` numbers of a growable list: a view later appends leave unchanged. */
function viewOf(list: Posting): Int32Array {
  return list.docs.subarray(0, list.length)
}

/**
 * A {@link RecipientSetIndex} as saved: each member id once, each set as changes (member numbers
 * added and removed) to the set it followed, or whole (a million documents share a few hundred
 * thousand lists, most of them a group's list one join or leave apart), the sets' postings and
 * each document's set.
 */
export interface RecipientSetIndexSnapshot {
  /** Member number → id. */
  ids: string[]
  /** Set number → the earlier set its changes apply to, or -1 for a set saved whole. */
  parents: Int32Array
  /**
   * Set i's changes are `changes[changeEnds[i - 1] ?? 0, changeEnds[i])`: member m added as m,
   * removed as -1 - m; the added ones in list order (a whole set's members are all added).
   */
  changes: Int32Array
  changeEnds: Int32Array
  /** Per set, {@link HEAD} numbers: its first and last member, and its length (for the ends lookup). */
  heads: Int32Array
  postings: PackedPostings
  /** Document number → set number. */
  setOf: Int32Array
}

export class RecipientSetIndex {
  /**
   * Set number → its canonical array (sorted, unique), made from the set's changes when needed
   * (see {@link listOf}); the ids held at most {@link MADE_LIST_IDS}. Which to let go is chosen
   * by a clock (second chance): a list read since the clock last passed it is kept for another
   * round. A hit only marks its set: moving it to the end of a `Map` of recency (a delete and a
   * set) took 22 µs in a map of 166k sets, as V8 rehashes the map over its deleted entries, and
   * made the one-conversation listing at 1M messages 4 to 8 times slower (0.03 -> 0.25 ms p50).
   */
  readonly #made: (readonly string[] | undefined)[] = []
  /** Per set, whether its made list was read since the clock last passed it. */
  #read = new Uint8Array(64)
  /** The sets with a made list, in the order the clock visits them, from `#clockAt`. */
  #clock: number[] = []
  #clockAt = 0
  #madeIds = 0
  readonly #madeListIds: number
  /**
   * Set number → its documents; a loaded set's posting is made from `#loadedPostings` when first
   * needed (a search of one of its members, a document added to it): at a million messages there
   * are 165k sets, and a posting object each was 24 MB of the heap.
   */
  readonly #postings: (Posting | undefined)[] = []
  #loadedPostings: PackedPostings | undefined
  /** {@link endsKeyOf} → the set, or the sets, with those ends. */
  readonly #byEnds = new Map<number, number | number[]>()
  readonly #numbers = new Map<string, number>()
  /** Member number → its id, the one string every list holding it shares. */
  readonly #ids: string[] = []
  /**
   * The sets as saved ({@link RecipientSetIndexSnapshot}): growable lists only ever appended to
   * and grown by replacement, so a snapshot's views of them keep what they show. A member's sets
   * are not kept: they are found by walking the sets' changes ({@link #visibilityOf}); kept,
   * they were as many numbers as the lists hold (tens of millions at a million messages).
   */
  readonly #parents: Posting
  readonly #changes: Posting
  readonly #changeEnds: Posting
  readonly #heads: Posting
  /**
   * The sets each member is added in (their changes' additions), ascending: after a load, member
   * m's loaded ones are `loaded.sets[loaded.starts[m], loaded.starts[m + 1])` (one array: at a
   * million messages they are 1.8 million numbers), then `#addedIn[m]`, the ones created since.
   */
  #loadedAddedIn: { sets: Int32Array; starts: Int32Array } | undefined
  readonly #addedIn: (number[] | undefined)[] = []
  /** docNo → set number (-1: none). */
  #setOf = new Int32Array(1024).fill(-1)
  /** Member number → its mask; insertion order is recency of use. */
  readonly #visibility = new Map<number, Visibility>()
  /** The member whose mask was used last (the last in {@link #visibility}), -1 for none. */
  #lastUsed = -1
  /**
   * Arrays added → their set. A group's messages carry one array until its membership changes
   * (the store's record, or a batch's member list), so most adds are found here without building
   * a key or comparing thousands of ids; documents and their arrays are never mutated. Weak, not
   * bounded: decoded lists are new arrays that never come back and are forgotten with them, while
   * a bound of 4,096 lists missed 62% of adds at 200k messages (33k lists in use: every direct
   * chat's and group's), each a lookup by ends and a comparison of the whole list.
   */
  readonly #recent = new WeakMap<readonly string[], number>()
  /** Moves on every add and compaction: a cached candidate size is recomputed when it has moved. */
  #version = 0
  /** Moves on every compaction: a user's merged posting is made again when it has moved. */
  #compactions = 0

  /** Users who see at most this many documents get them merged (see {@link MERGED_LIMIT}). */
  readonly #mergedLimit: number

  constructor(
    saved?: {
      parents: Int32Array
      changes: Int32Array
      changeEnds: Int32Array
      heads: Int32Array
    },
    options: RecipientSetOptions = {},
  ) {
    this.#mergedLimit = options.mergedLimit ?? MERGED_LIMIT
    this.#madeListIds = options.madeListIds ?? MADE_LIST_IDS
    this.#parents = new Posting(saved?.parents ?? 64)
    this.#changes = new Posting(saved?.changes ?? 1024)
    this.#changeEnds = new Posting(saved?.changeEnds ?? 64)
    this.#heads = new Posting(saved?.heads ?? 64 * HEAD)
  }

  /**
   * Index the document's values; returns the shared array to keep in the stored document.
   * `values` must never change after the call (documents are never mutated): an array added
   * again is found by identity.
   */
  add(docNo: number, values: readonly string[]): readonly string[] {
    let setNo = this.#recent.get(values)
    if (setNo === undefined) {
      setNo = this.#setFor(values)
      this.#recent.set(values, setNo)
    }
    return this.#addTo(docNo, setNo)
  }

  /**
   * {@link add} of an array added before, found by identity; undefined for any other value. Its
   * values were taken when it was first added: the caller need not check them again (a group
   * message's ~100 ids at 200k messages).
   */
  addAgain(docNo: number, values: unknown): readonly string[] | undefined {
    const setNo = this.#recent.get(values as readonly string[])
    return setNo === undefined ? undefined : this.#addTo(docNo, setNo)
  }

  #addTo(docNo: number, setNo: number): readonly string[] {
    this.#postingOf(setNo).push(docNo)
    this.#version++
    this.#ensure(docNo)
    this.#setOf[docNo] = setNo
    return this.#valuesOf(setNo)
  }

  /** The set holding `values`' ids, made when there is none. */
  #setFor(values: readonly string[]): number {
    // Arrays usually arrive canonical (src/services/documents.ts sorts them): try them as they are.
    const setNo = this.#find(values)
    if (setNo !== undefined) return setNo
    const canonical = isSortedUnique(values) ? values : [...new Set(values)].sort()
    return this.#find(canonical) ?? this.#create(canonical)
  }

  /**
   * The shared list document `docNo` carries, as {@link add} returned it. After a load a set's
   * list is made on the first call for one of its documents: at a million messages the lists
   * hold tens of millions of ids, most of them never read.
   */
  listOf(docNo: number): readonly string[] | undefined {
    const setNo = this.#setOf[docNo] ?? -1
    return setNo >= 0 && setNo < this.#postings.length ? this.#valuesOf(setNo) : undefined
  }

  /** Whether document `docNo` carries a list (see {@link listOf}), without making it. */
  hasList(docNo: number): boolean {
    const setNo = this.#setOf[docNo] ?? -1
    return setNo >= 0 && setNo < this.#postings.length
  }

  /** Set `setNo`'s posting, made from the loaded ones when first needed. */
  #postingOf(setNo: number): Posting {
    let posting = this.#postings[setNo]
    if (!posting) {
      posting = packedPosting(this.#loadedPostings as PackedPostings, setNo)
      this.#postings[setNo] = posting
    }
    return posting
  }

  /**
   * The set's list, made when first needed: from the nearest set before it in its chain whose
   * list is made (or the whole set the chain starts with), applying each set's changes in turn.
   */
  #valuesOf(setNo: number): readonly string[] {
    const list = this.#made[setNo]
    if (list) {
      this.#read[setNo] = 1
      return list
    }
    const chain: number[] = []
    let at = setNo
    let values: readonly string[] = []
    for (;;) {
      const made = this.#made[at]
      if (made) {
        values = made
        break
      }
      chain.push(at)
      at = this.#parents.docs[at] as number
      if (at < 0) break
    }
    for (let i = chain.length - 1; i >= 0; i--) values = this.#applyChanges(values, chain[i] as number)
    this.#keep(setNo, values)
    return values
  }

  /** Keeps `setNo`'s list made, letting lists not read lately go past the bound (see {@link #made}). */
  #keep(setNo: number, values: readonly string[]): void {
    while (this.#made.length <= setNo) this.#made.push(undefined)
    if (this.#read.length <= setNo) {
      const grown = new Uint8Array(Math.max(setNo + 1, this.#read.length * 2))
      grown.set(this.#read)
      this.#read = grown
    }
    this.#made[setNo] = values
    this.#madeIds += values.length
    this.#clock.push(setNo)
    // Each set is passed over at most once with its mark cleared: then all are unmarked.
    while (this.#madeIds > this.#madeListIds && this.#clockAt < this.#clock.length) {
      const oldest = this.#clock[this.#clockAt++] as number
      if (oldest === setNo) {
        this.#clock.push(oldest)
        break
      }
      if (this.#read[oldest] === 1) {
        this.#read[oldest] = 0
        this.#clock.push(oldest)
        continue
      }
      this.#madeIds -= (this.#made[oldest] as readonly string[]).length
      this.#made[oldest] = undefined
    }
    // The passed part of the clock dropped once it is most of it.
    if (this.#clockAt > 1024 && this.#clockAt * 2 > this.#clock.length) {
      this.#clock = this.#clock.slice(this.#clockAt)
      this.#clockAt = 0
    }
  }

  /** `values` with set `setNo`'s changes applied: removals dropped, additions merged in order. */
  #applyChanges(values: readonly string[], setNo: number): string[] {
    const changes = this.#changes.docs
    const removed = new Set<string>()
    const added: string[] = []
    for (let i = this.#changesStart(setNo); i < (this.#changeEnds.docs[setNo] as number); i++) {
      const change = changes[i] as number
      if (change >= 0) added.push(this.#ids[change] as string)
      else removed.add(this.#ids[-1 - change] as string)
    }
    // Sized once: a list is thousands of ids in a large group.
    const out: string[] = new Array(values.length - removed.size + added.length)
    let n = 0
    let a = 0
    for (const value of values) {
      if (removed.has(value)) continue
      while (a < added.length && (added[a] as string) < value) out[n++] = added[a++] as string
      out[n++] = value
    }
    while (a < added.length) out[n++] = added[a++] as string
    return out
  }

  #changesStart(setNo: number): number {
    return setNo === 0 ? 0 : (this.#changeEnds.docs[setNo - 1] as number)
  }

  /**
   * A copy of the index for documents `[0, documents)` that later writes leave unchanged: sets and
   * members are only ever added, and a document's set is written once (`setOf` is a view).
   */
  toSnapshot(documents: number): RecipientSetIndexSnapshot {
    return {
      ids: this.#ids.slice(),
      parents: viewOf(this.#parents),
      changes: viewOf(this.#changes),
      changeEnds: viewOf(this.#changeEnds),
      heads: viewOf(this.#heads),
      postings: packPostings(
        Array.from(this.#postings, (posting, setNo) => posting ?? setNo),
        this.#loadedPostings,
      ),
      setOf: this.#setOf.subarray(0, documents),
    }
  }

  /**
   * The index of {@link toSnapshot}: each list is made again from the member ids, which it shares,
   * when first needed (see {@link listOf}). Throws when the snapshot does not add up.
   */
  static fromSnapshot(
    snapshot: RecipientSetIndexSnapshot,
    options: RecipientSetOptions = {},
  ): RecipientSetIndex {
    const { ids, parents, changes, changeEnds, heads } = snapshot
    const index = new RecipientSetIndex({ parents, changes, changeEnds, heads }, options)
    for (const id of ids) {
      index.#numbers.set(id, index.#ids.length)
      index.#ids.push(id)
      index.#addedIn.push(undefined)
    }
    const sets = snapshot.postings.ends.length
    checkPacked(snapshot.postings, sets)
    index.#loadedPostings = snapshot.postings
    // Filled, not sized: a large array with holes would be a dictionary, slow to index.
    for (let setNo = 0; setNo < sets; setNo++) {
      index.#postings.push(undefined)
      index.#made.push(undefined)
    }
    if (parents.length !== sets || changeEnds.length !== sets || heads.length !== sets * HEAD)
      throw new Error('recipient sets and postings differ')
    const member = (m: number) => {
      if (!(m >= 0 && m < ids.length)) throw new Error('recipient set member out of range')
      return m
    }
    // Counted, then placed: each member's added-in sets in one array (see #loadedAddedIn).
    const starts = new Int32Array(ids.length + 1)
    let start = 0
    for (let setNo = 0; setNo < sets; setNo++) {
      const parent = parents[setNo] as number
      const end = changeEnds[setNo] as number
      if (parent < -1 || parent >= setNo) throw new Error('recipient set parent out of range')
      if (end < start || end > changes.length) throw new Error('recipient set bounds out of range')
      for (let i = start; i < end; i++) {
        const change = changes[i] as number
        if (change >= 0) starts[member(change) + 1] = (starts[change + 1] as number) + 1
        else if (parent < 0) throw new Error('a whole recipient set removes a member')
        else member(-1 - change)
      }
      const head = setNo * HEAD
      index.#remember(setNo, heads[head] as number, heads[head + 1] as number, heads[head + 2] as number)
      start = end
    }
    if (start !== changes.length) throw new Error('recipient set changes do not add up')
    for (let m = 0; m < ids.length; m++) starts[m + 1] = (starts[m + 1] as number) + (starts[m] as number)
    const placed = starts.slice(0, ids.length)
    const added = new Int32Array(starts[ids.length] as number)
    start = 0
    for (let setNo = 0; setNo < sets; setNo++) {
      const end = changeEnds[setNo] as number
      for (let i = start; i < end; i++) {
        const change = changes[i] as number
        if (change < 0) continue
        const at = placed[change] as number
        added[at] = setNo
        placed[change] = at + 1
      }
      start = end
    }
    index.#loadedAddedIn = { sets: added, starts }
    index.#setOf = snapshot.setOf as Int32Array<ArrayBuffer>
    return index
  }

  /** Files set `setNo` by its ends: its first and last member numbers and its length. */
  #remember(setNo: number, first: number, last: number, length: number): void {
    const key = endsKeyOf(first, last, length)
    const found = this.#byEnds.get(key)
    if (found === undefined) this.#byEnds.set(key, setNo)
    else if (typeof found === 'number') this.#byEnds.set(key, [found, setNo])
    else found.push(setNo)
  }

  /** "Document n carries one of `values`", valid until the next {@link add}. */
  anyOf(values: readonly string[]): (docNo: number) => boolean {
    const setOf = this.#setOf
    const masks = this.#masksOf(values)
    const [only] = masks
    if (masks.length > 1) return (docNo) => masks.some((mask) => mask[setOf[docNo] as number] === 1)
    return only ? (docNo) => only[setOf[docNo] as number] === 1 : () => false
  }

  /** "Set s holds one of `values`", for the sets made so far (valid until the next {@link add}). */
  setsOf(values: readonly string[]): (setNo: number) => boolean {
    const masks = this.#masksOf(values)
    const [only] = masks
    if (masks.length > 1) return (setNo) => masks.some((mask) => mask[setNo] === 1)
    return only ? (setNo) => only[setNo] === 1 : () => false
  }

  /** The set document `docNo` was added to (-1: none); kept after the document is removed. */
  setNumberOf(docNo: number): number {
    return this.#setOf[docNo] ?? -1
  }

  /** The set-number masks of those of `values` that are in a set. */
  #masksOf(values: readonly string[]): Uint8Array[] {
    return values.map((v) => this.#visibleTo(v)).filter((m): m is Uint8Array => m !== undefined)
  }

  /** The set-number mask of `value` (1: a member), or undefined when it is in no set. */
  #visibleTo(value: string): Uint8Array | undefined {
    return this.#visibilityOf(value)?.mask
  }

  /**
   * `value`'s cached sets, brought up to date with sets added since; undefined when it is in none.
   * A member is in a set when the set adds it, or when it is in the set's parent and the set does
   * not remove it: the sets are walked in order, each decided from its parent's mask byte.
   */
  #visibilityOf(value: string): Visibility | undefined {
    const member = this.#numbers.get(value)
    if (member === undefined) return undefined
    let visibility = this.#visibility.get(member)
    // Moved to the end (most recent) unless it is there already: a search asks for the caller's
    // sets two or three times (its mask, its candidates, its counts).
    if (visibility && member !== this.#lastUsed) {
      this.#visibility.delete(member)
      this.#visibility.set(member, visibility)
    } else if (!visibility) {
      visibility = {
        mask: new Uint8Array(this.#postings.length),
        docs: [],
        scanned: 0,
        passed: 0,
        size: 0,
        sizedAt: -1,
        merged: undefined,
        bits: undefined,
      }
      if (this.#visibility.size >= CACHED_USERS)
        this.#visibility.delete(this.#visibility.keys().next().value as number)
      this.#visibility.set(member, visibility)
    }
    this.#lastUsed = member
    const sets = this.#postings.length
    if (visibility.scanned < sets) {
      if (visibility.mask.length < sets) {
        const grown = new Uint8Array(sets)
        grown.set(visibility.mask)
        visibility.mask = grown
      }
      const { mask } = visibility
      const loaded = this.#loadedAddedIn
      const from = loaded && member + 1 < loaded.starts.length ? (loaded.starts[member] as number) : 0
      const loadedCount =
        loaded && member + 1 < loaded.starts.length ? (loaded.starts[member + 1] as number) - from : 0
      const since = this.#addedIn[member]
      const addedAt = (k: number) =>
        k < loadedCount ? (loaded as { sets: Int32Array }).sets[from + k] : since?.[k - loadedCount]
      const parents = this.#parents.docs
      let passed = visibility.passed
      for (let setNo = visibility.scanned; setNo < sets; setNo++) {
        let isIn: boolean
        if (addedAt(passed) === setNo) {
          isIn = true
          passed++
        } else {
          const parent = parents[setNo] as number
          isIn = parent >= 0 && mask[parent] === 1 && !this.#removes(setNo, member)
        }
        if (!isIn) continue
        mask[setNo] = 1
        visibility.docs.push(this.#postingOf(setNo))
      }
      visibility.passed = passed
      visibility.scanned = sets
      visibility.sizedAt = -1
    }
    return visibility
  }

  /** Whether set `setNo`'s changes remove `member`. */
  #removes(setNo: number, member: number): boolean {
    const changes = this.#changes.docs
    const removal = -1 - member
    for (let i = this.#changesStart(setNo); i < (this.#changeEnds.docs[setNo] as number); i++)
      if (changes[i] === removal) return true
    return false
  }

  term(value: string): Candidates {
    const visibility = this.#visibilityOf(value)
    if (!visibility || visibility.docs.length === 0) return NO_CANDIDATES
    if (visibility.sizedAt !== this.#version) {
      visibility.size = visibility.docs.reduce((sum, p) => sum + p.size, 0)
      visibility.sizedAt = this.#version
    }
    const { docs, size } = visibility
    if (docs.length === 1) return docs[0] as Posting
    const merged = size <= this.#mergedLimit ? this.#merged(visibility) : undefined
    const words = merged ? undefined : this.#bits(visibility)
    return {
      size,
      // A document has one recipient set: the sets' postings are disjoint.
      distinct: true,
      // The merged posting holds exactly the user's documents: a conjunction intersecting it needs
      // no test as well (at 1M messages a scattered load a document of its driver). Otherwise
      // the test is the user's bit of the document.
      ...(words
        ? { has: (docNo: number) => (((words[docNo >>> 5] ?? 0) >>> (docNo & 31)) & 1) === 1 }
        : { sorted: [merged as Posting] }),
      forEach: (fn, descending) => {
        for (const posting of docs) posting.forEach(fn, descending)
      },
    }
  }

  /**
   * The user's documents in one sorted posting, brought up to date: the documents its sets took
   * since are all newer (numbered higher) than those it holds, so they are appended, sorted.
   */
  #merged(visibility: Visibility): Posting {
    // Bits are kept for a user past the limit only: one back under it (a compaction) drops them.
    visibility.bits = undefined
    let merged = visibility.merged
    if (!merged || merged.compactions !== this.#compactions) {
      merged = {
        posting: new Posting(Math.max(4, visibility.size)),
        taken: [],
        compactions: this.#compactions,
        at: -1,
      }
      visibility.merged = merged
    }
    // A user is in hundreds of sets (a chat each): they are counted again only after a write.
    if (merged.at === this.#version) return merged.posting
    merged.at = this.#version
    const { taken, posting: into } = merged
    let fresh = 0
    for (let i = 0; i < visibility.docs.length; i++)
      fresh += (visibility.docs[i] as Posting).length - (taken[i] ?? 0)
    if (fresh === 0) return into
    const added = new Int32Array(fresh)
    let at = 0
    for (let i = 0; i < visibility.docs.length; i++) {
      const posting = visibility.docs[i] as Posting
      for (let k = taken[i] ?? 0; k < posting.length; k++) added[at++] = posting.docs[k] as number
      taken[i] = posting.length
    }
    added.sort()
    for (const docNo of added) into.push(docNo)
    return into
  }

  /**
   * The user's documents as bits, brought up to date: the documents its sets took since are set
   * (the bits grow to the highest document number). A conjunction's driver (a common word's
   * posting) is tested against them document by document. The test was the document's set
   * number (`#setOf`, four bytes a document) and the user's byte of that set: at a million
   * messages, the 10% user's searches of a common word took 3.2 ms p50 that way, 1.8 with the
   * bits (an eighth of a byte a document, 125 KB for the user, which stay in cache).
   */
  #bits(visibility: Visibility): Uint32Array {
    // A user past the limit no longer reads its merged posting (made while it saw fewer documents).
    visibility.merged = undefined
    let bits = visibility.bits
    if (!bits || bits.compactions !== this.#compactions) {
      bits = { words: new Uint32Array(0), taken: [], compactions: this.#compactions, at: -1 }
      visibility.bits = bits
    }
    if (bits.at === this.#version) return bits.words
    bits.at = this.#version
    const { taken } = bits
    let highest = -1
    for (let i = 0; i < visibility.docs.length; i++) {
      const posting = visibility.docs[i] as Posting
      if (posting.length > (taken[i] ?? 0))
        highest = Math.max(highest, posting.docs[posting.length - 1] as number)
    }
    if (highest < 0) return bits.words
    if (highest >>> 5 >= bits.words.length) {
      const grown = new Uint32Array(Math.max((highest >>> 5) + 1, Math.ceil(bits.words.length * 1.25)))
      grown.set(bits.words)
      bits.words = grown
    }
    const words = bits.words
    for (let i = 0; i < visibility.docs.length; i++) {
      const posting = visibility.docs[i] as Posting
      const docNos = posting.docs
      for (let k = taken[i] ?? 0; k < posting.length; k++) {
        const docNo = docNos[k] as number
        words[docNo >>> 5] = (words[docNo >>> 5] as number) | (1 << (docNo & 31))
      }
      taken[i] = posting.length
    }
    return words
  }

  /**
   * Postings and masks exactly, and the sets as saved. Estimated: the lists made (a slot per
   * value; each member id's string is counted once, the lists share them, see
   * {@link RecipientSetIndex.add}), the string's size from a sample of them; the lookup maps and
   * the member → added-in lists by their entries.
   */
  memoryUsage(tally: MemoryTally): void {
    tally.add('masks', this.#setOf.byteLength)
    for (const { mask, merged, bits } of this.#visibility.values())
      tally.add('masks', mask.byteLength + (merged?.posting.byteLength ?? 0) + (bits?.words.byteLength ?? 0))
    let values = 0
    let made = 0
    for (const posting of this.#postings)
      if (posting) {
        tally.add('postings', posting.byteLength)
        made++
      }
    values += this.#madeIds
    if (this.#loadedPostings)
      tally.add('postings', this.#loadedPostings.docs.byteLength + this.#loadedPostings.ends.byteLength)
    let added = 0
    for (const sets of this.#addedIn) added += sets?.length ?? 0
    if (this.#loadedAddedIn)
      tally.add('recipient_sets', this.#loadedAddedIn.sets.byteLength + this.#loadedAddedIn.starts.byteLength)
    for (const list of [this.#parents, this.#changes, this.#changeEnds, this.#heads])
      tally.add('recipient_sets', list.byteLength)
    const idBytes = this.#numbers.size > 0 ? stringsBytes(this.#numbers.keys(), 1) : 0
    // A set: its two slots and its ends-map entry and key (two ids); a made posting's objects, a made list's array.
    const perSet = 2 * SLOT_BYTES + MAP_ENTRY_BYTES + 2 * idBytes
    tally.add(
      'recipient_sets',
      this.#postings.length * perSet +
        made * POSTING_OBJECT_BYTES +
        values * SLOT_BYTES +
        this.#numbers.size * (MAP_ENTRY_BYTES + OBJECT_BYTES + SLOT_BYTES + idBytes) +
        added * SLOT_BYTES,
    )
  }

  compact(keep: (docNo: number) => boolean): void {
    for (let setNo = 0; setNo < this.#postings.length; setNo++) this.#postingOf(setNo).compact(keep)
    this.#version++
    this.#compactions++
  }

  /** The set holding exactly `canonical`, found by its ends. */
  #find(canonical: readonly string[]): number | undefined {
    const key = this.#endsKey(canonical[0], canonical[canonical.length - 1], canonical.length)
    const found = key === undefined ? undefined : this.#byEnds.get(key)
    if (found === undefined) return undefined
    if (typeof found === 'number') return sameValues(this.#valuesOf(found), canonical) ? found : undefined
    // Newest first: a group's current membership is the likeliest match.
    for (let i = found.length - 1; i >= 0; i--)
      if (sameValues(this.#valuesOf(found[i] as number), canonical)) return found[i]
    return undefined
  }

  #create(canonical: readonly string[]): number {
    const setNo = this.#postings.length
    const add = (member: number) => {
      this.#changes.push(member)
      const since = this.#addedIn[member]
      if (since) since.push(setNo)
      else this.#addedIn[member] = [setNo]
    }
    // Only the members a set adds are interned, and the list is made from its parent's (a group's
    // previous list, one join or leave apart): interning every member of every new list was a
    // sixth of port ingest at 200k messages (11k lists of 300 ids on average).
    const parent = this.#predecessor(canonical)
    const values =
      parent < 0
        ? canonical.map((value) => {
            const member = this.#intern(value)
            add(member)
            return this.#ids[member] as string
          })
        : this.#changedFrom(this.#valuesOf(parent), canonical, add)
    this.#parents.push(parent)
    this.#changeEnds.push(this.#changes.length)
    const first = values.length > 0 ? (this.#numbers.get(values[0] as string) as number) : -1
    const last = values.length > 0 ? (this.#numbers.get(values[values.length - 1] as string) as number) : -1
    this.#heads.push(first)
    this.#heads.push(last)
    this.#heads.push(values.length)
    this.#postings.push(new Posting())
    this.#keep(setNo, values)
    this.#remember(setNo, first, last, values.length)
    return setNo
  }

  /**
   * The list `to` made from the parent's list `from` while its changes are written: a member in
   * both keeps the parent's string, a removal is written as -1 - its number, an addition goes
   * to `add` and brings its interned string. One walk of both sorted lists, not a diff and then
   * a merge testing each member against a set of removals.
   */
  #changedFrom(from: readonly string[], to: readonly string[], add: (member: number) => void): string[] {
    const values = new Array<string>(to.length)
    let n = 0
    let j = 0
    for (let i = 0; i < from.length || j < to.length; ) {
      const a = from[i]
      const b = to[j]
      if (a === b) {
        values[n++] = a as string
        i++
        j++
      } else if (b === undefined || (a !== undefined && a < b)) {
        this.#changes.push(-1 - (this.#numbers.get(a as string) as number))
        i++
      } else {
        const member = this.#intern(b)
        add(member)
        values[n++] = this.#ids[member] as string
        j++
      }
    }
    return values
  }

  /**
   * The member number of `value`, numbered when new. Kept with each member's first-seen id
   * string: lists decoded from the store each bring their own copies of the ids, which would
   * otherwise all stay alive (issue 15: at 300k messages rebuilt from LMDB, most of the index's heap).
   */
  #intern(value: string): number {
    let member = this.#numbers.get(value)
    if (member === undefined) {
      member = this.#ids.length
      this.#numbers.set(value, member)
      this.#ids.push(value)
      this.#addedIn.push(undefined)
    }
    return member
  }

  /**
   * The set a new list is best saved as changes of, or -1 to save it whole: among the newest sets
   * with the ends a join or two, or a leave or two, would have left (found by their ends, as
   * {@link #find} finds a list), the one with the fewest changes, if fewer than the list's length
   * and its chain not at {@link MAX_CHAIN}. (A leave of the first or last member is not found:
   * the list is then saved whole.)
   */
  #predecessor(values: readonly string[]): number {
    const n = values.length
    const [first, second] = values
    const last = values[n - 1]
    const beforeLast = values[n - 2]
    const probes: [string | undefined, string | undefined, number][] = [
      [first, last, n - 1],
      [first, last, n + 1],
      [first, last, n - 2],
      [first, last, n + 2],
      [second, last, n - 1],
      [first, beforeLast, n - 1],
    ]
    let best = -1
    let fewest = n
    for (const [from, to, length] of probes) {
      if (from === undefined || to === undefined || length <= 0) continue
      const key = this.#endsKey(from, to, length)
      const found = key === undefined ? undefined : this.#byEnds.get(key)
      const candidate = typeof found === 'number' ? found : found?.[found.length - 1]
      if (candidate === undefined || candidate === best || this.#chainLength(candidate) >= MAX_CHAIN) continue
      let changes = 0
      // Counted only up to the fewest so far: a worse candidate is left at its first changes.
      diff(this.#valuesOf(candidate), values, () => ++changes < fewest)
      if (changes < fewest) {
        best = candidate
        fewest = changes
      }
      // A new list is at least one change from any set (an equal one is found, not made): no
      // later probe can do better, and each would walk its list to its first difference.
      if (fewest === 1) break
    }
    return best
  }

  /** {@link endsKeyOf} of a list with these ends; undefined when one is no member (no set has it). */
  #endsKey(first: string | undefined, last: string | undefined, length: number): number | undefined {
    if (length === 0) return endsKeyOf(-1, -1, 0)
    const from = first === undefined ? undefined : this.#numbers.get(first)
    const to = last === undefined ? undefined : this.#numbers.get(last)
    return from === undefined || to === undefined ? undefined : endsKeyOf(from, to, length)
  }

  /** How many sets saved as changes lead from a whole one to `setNo`. */
  #chainLength(setNo: number): number {
    let length = 0
    for (let at = this.#parents.docs[setNo] as number; at >= 0; at = this.#parents.docs[at] as number)
      length++
    return length
  }

  #ensure(docNo: number): void {
    if (docNo < this.#setOf.length) return
    const grown = new Int32Array(Math.max(docNo + 1, this.#setOf.length * 2)).fill(-1)
    grown.set(this.#setOf)
    this.#setOf = grown
  }
}

/**
 * Calls `change` for each value of `to` not in `from` (added) and of `from` not in `to`, in order;
 * both sorted, unique. Stops when `change` returns false.
 */
function diff(
  from: readonly string[],
  to: readonly string[],
  change: (value: string, added: boolean) => boolean,
): void {
  let i = 0
  let j = 0
  while (i < from.length || j < to.length) {
    const a = from[i]
    const b = to[j]
    if (a === b) {
      i++
      j++
    } else if (b === undefined || (a !== undefined && a < b)) {
      if (!change(a as string, false)) return
      i++
    } else {
      if (!change(b, true)) return
      j++
    }
  }
}
