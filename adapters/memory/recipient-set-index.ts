/**
 * @module An array keyword field whose arrays repeat: message recipients. Every distinct array is
 * stored once as a set with the postings of the documents that carry it; a value points to the
 * sets it is in. A group's messages between two membership changes share one set, so the cost
 * per message is one posting and one set number, not one posting per recipient (a 2,000-member
 * group would otherwise add 2,000 postings per message).
 *
 * Values are interned to small integers, each pointing to its sets. A repeated array is recognised without interning it: sets are found by their first
 * value, last value and length, then compared value by value with the canonical array (the same
 * strings, so mostly pointer comparisons). Interning ~144 ids per message was most of ingestion.
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
  NO_CANDIDATES,
  type PackedPostings,
  Posting,
  packPostings,
  unpackPostings,
} from './posting.ts'

interface RecipientSet {
  /**
   * The canonical array (sorted, unique), shared by every document with this set; for a loaded
   * set, made when first needed (see {@link RecipientSetIndex.listOf}).
   */
  values: readonly string[] | undefined
  readonly docs: Posting
}

/** A user's sets, kept between searches: the mask, and the postings as candidates. */
interface Visibility {
  /** `mask[setNo]` is 1 when the user is a member. */
  mask: Uint8Array
  /** The postings of the user's sets, in `setsOf[member]` order; the mask holds the same sets. */
  readonly docs: Posting[]
  /** Their total length, at index version `sizedAt`. */
  size: number
  sizedAt: number
  /** The user's documents in one sorted posting, when made (see {@link RecipientSetIndex.term}). */
  merged: Merged | undefined
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

/** Users whose masks are kept (a mask is one byte per distinct recipient list). */
const CACHED_USERS = 64

/**
 * Up to this many documents, a user's sets are also merged into one sorted posting (4 bytes a
 * document, at most 16 MB for the cached users): a conjunction then intersects the user's
 * documents with a word's postings, galloping, instead of visiting every one of them in full
 * (scattered loads, the load mix's second cost at 1M messages) or walking the whole of a common
 * word's posting under the mask. A user who sees more keeps the mask alone: walking the word's
 * posting under it is cheaper than galloping a posting that large.
 */
const MERGED_LIMIT = 1 << 16

function endsKey(values: readonly string[]): string {
  return endsKeyOf(values[0], values[values.length - 1], values.length)
}

function endsKeyOf(first: string | undefined, last: string | undefined, length: number): string {
  return length === 0 ? '' : `${first}\u0000${last}\u0000${length}`
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

/**
 * A {@link RecipientSetIndex} as saved: each member id once, each set as member numbers (a
 * million documents share a few thousand lists), the sets' postings and each document's set.
 */
export interface RecipientSetIndexSnapshot {
  /** Member number → id. */
  ids: string[]
  /** Set number → its members' numbers: set i is `members[ends[i - 1] ?? 0, ends[i])`. */
  members: Int32Array
  ends: Int32Array
  postings: PackedPostings
  /** Document number → set number. */
  setOf: Int32Array
  /**
   * Member number → the sets it is in, ascending, member after member: member m's are
   * `memberSets[memberEnds[m - 1] ?? 0, memberEnds[m])`. Saved, not derived at load: derived, it
   * was a scattered write per list entry (tens of millions at a million messages), a second.
   */
  memberSets: Int32Array
  memberEnds: Int32Array
}

/** Sets as member numbers: set i is `members[ends[i - 1] ?? 0, ends[i])`, for the first `sets` sets. */
interface EncodedSets {
  members: Int32Array
  ends: Int32Array
  sets: number
  used: number
}

export class RecipientSetIndex {
  readonly #sets: RecipientSet[] = []
  /** {@link endsKey} → the set, or the sets, with those ends. */
  readonly #byEnds = new Map<string, number | number[]>()
  readonly #numbers = new Map<string, number>()
  /** Member number → its id, the one string every list holding it shares. */
  readonly #ids: string[] = []
  /** Member number → the sets it is in, ascending; after a load, filled per member when first needed. */
  readonly #setsOf: (number[] | undefined)[] = []
  /**
   * After a load, every member's sets in one array: member m's are `sets[starts[m], starts[m + 1])`.
   * Copied into {@link #setsOf} per member when first needed: at a million messages the lists
   * hold millions of entries, most of them never read (a member's sets are read when it searches
   * or is in a new set).
   */
  #loadedSetsOf: { sets: Int32Array; starts: Int32Array } | undefined
  /**
   * The sets `[0, sets)` as member numbers, for snapshots: encoded at the first snapshot (one
   * lookup per value: too slow to repeat at every capture), extended at the next ones, taken as
   * they are from a loaded snapshot. Only appended to, and grown by replacement, so a snapshot's
   * views of it keep what they show.
   */
  #encoded: EncodedSets = { members: new Int32Array(0), ends: new Int32Array(0), sets: 0, used: 0 }
  /** docNo → set number (-1: none). */
  #setOf = new Int32Array(1024).fill(-1)
  /** Member number → its mask; insertion order is recency of use. */
  readonly #visibility = new Map<number, Visibility>()
  /** Moves on every add and compaction: a cached candidate size is recomputed when it has moved. */
  #version = 0
  /** Moves on every compaction: a user's merged posting is made again when it has moved. */
  #compactions = 0

  /** Index the document's values; returns the shared array to keep in the stored document. */
  add(docNo: number, values: readonly string[]): readonly string[] {
    // Arrays usually arrive canonical (src/services/documents.ts sorts them): try them as they are.
    let setNo = this.#find(endsKey(values), values)
    if (setNo === undefined) {
      const canonical = isSortedUnique(values) ? values : [...new Set(values)].sort()
      const key = endsKey(canonical)
      setNo = this.#find(key, canonical) ?? this.#create(key, canonical)
    }
    ;(this.#sets[setNo] as RecipientSet).docs.push(docNo)
    this.#version++
    this.#ensure(docNo)
    this.#setOf[docNo] = setNo
    return this.#valuesOf(setNo)
  }

  /**
   * The shared list document `docNo` carries, as {@link add} returned it. After a load a set's
   * list is made on the first call for one of its documents: at a million messages the lists
   * hold tens of millions of ids, most of them never read.
   */
  listOf(docNo: number): readonly string[] | undefined {
    const setNo = this.#setOf[docNo] ?? -1
    return setNo >= 0 && setNo < this.#sets.length ? this.#valuesOf(setNo) : undefined
  }

  /** Whether document `docNo` carries a list (see {@link listOf}), without making it. */
  hasList(docNo: number): boolean {
    const setNo = this.#setOf[docNo] ?? -1
    return setNo >= 0 && setNo < this.#sets.length
  }

  /** The set's list, made from its member numbers when it is a loaded set not made yet. */
  #valuesOf(setNo: number): readonly string[] {
    const set = this.#sets[setNo] as RecipientSet
    if (set.values) return set.values
    // A loaded set: the encoded sets hold it (they are only ever appended to).
    const { members, ends } = this.#encoded
    const start = setNo === 0 ? 0 : (ends[setNo - 1] as number)
    const end = ends[setNo] as number
    // Sized once: a list is thousands of ids in a large group.
    const values: string[] = new Array(end - start)
    for (let i = start; i < end; i++) values[i - start] = this.#ids[members[i] as number] as string
    set.values = values
    return values
  }

  /**
   * A copy of the index for documents `[0, documents)` that later writes leave unchanged: sets and
   * members are only ever added, and a document's set is written once (`setOf` is a view).
   */
  toSnapshot(documents: number): RecipientSetIndexSnapshot {
    const encoded = this.#encode()
    return {
      ids: this.#ids.slice(),
      members: encoded.members.subarray(0, encoded.used),
      ends: encoded.ends.subarray(0, encoded.sets),
      postings: packPostings(this.#sets.map((set) => set.docs)),
      setOf: this.#setOf.subarray(0, documents),
      ...this.#packMemberSets(),
    }
  }

  /** Every member's sets in one array (see {@link RecipientSetIndexSnapshot.memberSets}), a copy. */
  #packMemberSets(): { memberSets: Int32Array; memberEnds: Int32Array } {
    const members = this.#ids.length
    const loaded = this.#loadedSetsOf
    // A member whose list was never made holds its loaded sets only.
    const loadedCount = (m: number) =>
      loaded && m + 1 < loaded.starts.length
        ? (loaded.starts[m + 1] as number) - (loaded.starts[m] as number)
        : 0
    const memberEnds = new Int32Array(members)
    let total = 0
    for (let m = 0; m < members; m++) {
      total += this.#setsOf[m]?.length ?? loadedCount(m)
      memberEnds[m] = total
    }
    const memberSets = new Int32Array(total)
    let at = 0
    for (let m = 0; m < members; m++) {
      const list = this.#setsOf[m]
      if (list) for (const setNo of list) memberSets[at++] = setNo
      else if (loaded && loadedCount(m) > 0) {
        memberSets.set(loaded.sets.subarray(loaded.starts[m] as number, loaded.starts[m + 1] as number), at)
        at += loadedCount(m)
      }
    }
    return { memberSets, memberEnds }
  }

  /**
   * The index of {@link toSnapshot}: each list is made again from the member ids, which it shares,
   * when first needed (see {@link listOf}).
   */
  static fromSnapshot(snapshot: RecipientSetIndexSnapshot): RecipientSetIndex {
    const index = new RecipientSetIndex()
    const { ids, members, ends } = snapshot
    for (const id of ids) {
      index.#numbers.set(id, index.#ids.length)
      index.#ids.push(id)
    }
    index.#setsOf.length = ids.length
    const postings = unpackPostings(snapshot.postings)
    if (postings.length !== ends.length) throw new Error('recipient sets and postings differ')
    for (let i = 0; i < members.length; i++)
      if (!((members[i] as number) >= 0 && (members[i] as number) < ids.length))
        throw new Error('recipient set member out of range')
    let start = 0
    for (let setNo = 0; setNo < ends.length; setNo++) {
      const end = ends[setNo] as number
      if (end < start || end > members.length) throw new Error('recipient set bounds out of range')
      index.#sets.push({ values: undefined, docs: postings[setNo] as Posting })
      const key = endsKeyOf(ids[members[start] as number], ids[members[end - 1] as number], end - start)
      index.#rememberEnds(key, setNo)
      start = end
    }
    const { memberSets: sets, memberEnds } = snapshot
    if (memberEnds.length !== ids.length || (memberEnds[ids.length - 1] ?? 0) !== sets.length)
      throw new Error("recipient set members' sets do not add up")
    for (let i = 0; i < sets.length; i++)
      if (!((sets[i] as number) >= 0 && (sets[i] as number) < ends.length))
        throw new Error('recipient set number out of range')
    const starts = new Int32Array(ids.length + 1)
    starts.set(memberEnds, 1)
    for (let m = 0; m < ids.length; m++)
      if ((starts[m + 1] as number) < (starts[m] as number))
        throw new Error("recipient set members' sets out of order")
    index.#loadedSetsOf = { sets, starts }
    index.#encoded = { members, ends, sets: ends.length, used: members.length }
    index.#setOf = snapshot.setOf as Int32Array<ArrayBuffer>
    return index
  }

  /** {@link #encoded}, extended to every set. */
  #encode(): EncodedSets {
    const encoded = this.#encoded
    const sets = this.#sets
    if (encoded.sets === sets.length) return encoded
    let needed = encoded.used
    for (let setNo = encoded.sets; setNo < sets.length; setNo++) needed += this.#valuesOf(setNo).length
    if (needed > encoded.members.length) {
      const grown = new Int32Array(Math.max(needed, encoded.members.length * 2))
      grown.set(encoded.members.subarray(0, encoded.used))
      encoded.members = grown
    }
    if (sets.length > encoded.ends.length) {
      const grown = new Int32Array(Math.max(sets.length, encoded.ends.length * 2))
      grown.set(encoded.ends.subarray(0, encoded.sets))
      encoded.ends = grown
    }
    for (let setNo = encoded.sets; setNo < sets.length; setNo++) {
      for (const value of this.#valuesOf(setNo))
        encoded.members[encoded.used++] = this.#numbers.get(value) as number
      encoded.ends[setNo] = encoded.used
    }
    encoded.sets = sets.length
    return encoded
  }

  /** The sets `member` is in, ascending (copied from a loaded snapshot when first needed). */
  #setsOfMember(member: number): number[] {
    let sets = this.#setsOf[member]
    if (sets === undefined) {
      sets = []
      const loaded = this.#loadedSetsOf
      if (loaded && member + 1 < loaded.starts.length)
        for (let i = loaded.starts[member] as number; i < (loaded.starts[member + 1] as number); i++)
          sets.push(loaded.sets[i] as number)
      this.#setsOf[member] = sets
    }
    return sets
  }

  /** "Document n carries one of `values`", valid until the next {@link add}. */
  anyOf(values: readonly string[]): (docNo: number) => boolean {
    const setOf = this.#setOf
    const masks = values.map((v) => this.#visibleTo(v)).filter((m): m is Uint8Array => m !== undefined)
    const [only] = masks
    if (masks.length > 1) return (docNo) => masks.some((mask) => mask[setOf[docNo] as number] === 1)
    return only ? (docNo) => only[setOf[docNo] as number] === 1 : () => false
  }

  /** The set-number mask of `value` (1: a member), or undefined when it is in no set. */
  #visibleTo(value: string): Uint8Array | undefined {
    return this.#visibilityOf(value)?.mask
  }

  /** `value`'s cached sets, brought up to date with sets added since; undefined when it is in none. */
  #visibilityOf(value: string): Visibility | undefined {
    const member = this.#numbers.get(value)
    if (member === undefined) return undefined
    let visibility = this.#visibility.get(member)
    if (visibility) this.#visibility.delete(member)
    else {
      visibility = {
        mask: new Uint8Array(this.#sets.length),
        docs: [],
        size: 0,
        sizedAt: -1,
        merged: undefined,
      }
      if (this.#visibility.size >= CACHED_USERS)
        this.#visibility.delete(this.#visibility.keys().next().value as number)
    }
    this.#visibility.set(member, visibility)
    const setNos = this.#setsOfMember(member)
    if (visibility.docs.length < setNos.length) {
      if (visibility.mask.length < this.#sets.length) {
        const grown = new Uint8Array(this.#sets.length)
        grown.set(visibility.mask)
        visibility.mask = grown
      }
      for (let i = visibility.docs.length; i < setNos.length; i++) {
        const setNo = setNos[i] as number
        visibility.mask[setNo] = 1
        visibility.docs.push((this.#sets[setNo] as RecipientSet).docs)
      }
      visibility.sizedAt = -1
    }
    return visibility
  }

  term(value: string): Candidates {
    const visibility = this.#visibilityOf(value)
    if (!visibility || visibility.docs.length === 0) return NO_CANDIDATES
    if (visibility.sizedAt !== this.#version) {
      visibility.size = visibility.docs.reduce((sum, p) => sum + p.size, 0)
      visibility.sizedAt = this.#version
    }
    const { docs, size, mask } = visibility
    if (docs.length === 1) return docs[0] as Posting
    const setOf = this.#setOf
    const merged = size <= MERGED_LIMIT ? this.#merged(visibility) : undefined
    return {
      size,
      // A document has one recipient set: the sets' postings are disjoint.
      distinct: true,
      // The merged posting holds exactly the user's documents: a conjunction intersecting it needs
      // no mask test as well (at 1M messages a scattered load a document of its driver).
      ...(merged ? { sorted: [merged] } : { has: (docNo: number) => mask[setOf[docNo] as number] === 1 }),
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
   * Postings and masks exactly. The lists estimated: a slot per value, and each member id's string
   * once (the lists share them, see {@link RecipientSetIndex.add}), the string's size from a
   * sample of them; the lookup maps and member → sets lists by their entries.
   */
  memoryUsage(tally: MemoryTally): void {
    tally.add('masks', this.#setOf.byteLength)
    for (const { mask, merged } of this.#visibility.values())
      tally.add('masks', mask.byteLength + (merged?.posting.byteLength ?? 0))
    let values = 0
    for (const set of this.#sets) {
      tally.add('postings', set.docs.byteLength)
      values += set.values?.length ?? 0
    }
    let memberships = 0
    for (const sets of this.#setsOf) memberships += sets?.length ?? 0
    const loaded = this.#loadedSetsOf
    if (loaded) tally.add('recipient_sets', loaded.sets.byteLength + loaded.starts.byteLength)
    tally.add('recipient_sets', this.#encoded.members.byteLength + this.#encoded.ends.byteLength)
    const idBytes = this.#numbers.size > 0 ? stringsBytes(this.#numbers.keys(), 1) : 0
    // A set: its slot, object, values array, posting objects, and its ends-map entry and key (two ids).
    const perSet = SLOT_BYTES + 2 * OBJECT_BYTES + POSTING_OBJECT_BYTES + MAP_ENTRY_BYTES + 2 * idBytes
    tally.add(
      'recipient_sets',
      this.#sets.length * perSet +
        values * SLOT_BYTES +
        this.#numbers.size * (MAP_ENTRY_BYTES + OBJECT_BYTES + SLOT_BYTES + idBytes) +
        memberships * SLOT_BYTES,
    )
  }

  compact(keep: (docNo: number) => boolean): void {
    for (const set of this.#sets) set.docs.compact(keep)
    this.#version++
    this.#compactions++
  }

  #find(key: string, canonical: readonly string[]): number | undefined {
    const found = this.#byEnds.get(key)
    if (found === undefined) return undefined
    if (typeof found === 'number') return sameValues(this.#valuesOf(found), canonical) ? found : undefined
    // Newest first: a group's current membership is the likeliest match.
    for (let i = found.length - 1; i >= 0; i--)
      if (sameValues(this.#valuesOf(found[i] as number), canonical)) return found[i]
    return undefined
  }

  #create(key: string, canonical: readonly string[]): number {
    const setNo = this.#sets.length
    // Kept with each member's first-seen id string: lists decoded from the store each bring their
    // own copies of the ids, which would otherwise all stay alive (issue 15: at 300k messages
    // rebuilt from LMDB, most of the index's heap).
    const values = canonical.map((value) => {
      let member = this.#numbers.get(value)
      if (member === undefined) {
        member = this.#ids.length
        this.#numbers.set(value, member)
        this.#ids.push(value)
        this.#setsOf.push([])
      }
      this.#setsOfMember(member).push(setNo)
      return this.#ids[member] as string
    })
    this.#sets.push({ values, docs: new Posting() })
    this.#rememberEnds(key, setNo)
    return setNo
  }

  #rememberEnds(key: string, setNo: number): void {
    const found = this.#byEnds.get(key)
    if (found === undefined) this.#byEnds.set(key, setNo)
    else if (typeof found === 'number') this.#byEnds.set(key, [found, setNo])
    else found.push(setNo)
  }

  #ensure(docNo: number): void {
    if (docNo < this.#setOf.length) return
    const grown = new Int32Array(Math.max(docNo + 1, this.#setOf.length * 2)).fill(-1)
    grown.set(this.#setOf)
    this.#setOf = grown
  }
}
