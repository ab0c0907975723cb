/**
 * @module A search's candidates handed over in chunks of document numbers, not one call a
 * candidate: each chunk's per-document reads (a liveness bit, a column row, a bound) can then
 * run as tight loops in document order. A match's loads are cache misses at ten million
 * documents (5 to 7 of them a match of a common word, issue 15); in a loop of a few loads each
 * the processor keeps several of them in flight, where one large per-match step (scoring, facet
 * counting, ranking, closures between) left them to be waited for one after another.
 */

import { isLive, type LiveBits } from './live-bits.ts'
import type { Candidates } from './posting.ts'

/** Document numbers a chunk: its scratch arrays (and a facet row each) stay in the L2 cache. */
export const CHUNK = 2048

/**
 * Chunk-sized scratch arrays kept between searches. Made anew, a search allocated 24 to 56 KB of
 * array buffers (the chunk, its scores, a grouped search's codes and bounds), each a buffer V8
 * allocates outside the heap and counts towards its next collection: at 200k messages the 1%
 * user's small searches (a rare word, the one-conversation listing) took 20 to 50 µs longer at
 * p50 than before chunks. Searches run synchronously, so an array is lent to one visit at a
 * time; a nested visit borrows another, and one not given back (a search that threw) is left to
 * the collector.
 */
const spareInts: Int32Array[] = []
const spareFloats: Float64Array[] = []
/** Arrays of each kind kept: a grouped search borrows two of each. */
const KEPT = 4

/** A chunk-sized `Int32Array` (contents undefined), to {@link giveBackInts} when done. */
export function borrowInts(): Int32Array {
  return spareInts.pop() ?? new Int32Array(CHUNK)
}

/** A chunk-sized `Float64Array` (contents undefined), to {@link giveBackFloats} when done. */
export function borrowFloats(): Float64Array {
  return spareFloats.pop() ?? new Float64Array(CHUNK)
}

export function giveBackInts(array: Int32Array): void {
  if (spareInts.length < KEPT) spareInts.push(array)
}

export function giveBackFloats(array: Float64Array): void {
  if (spareFloats.length < KEPT) spareFloats.push(array)
}

/**
 * Per document number, the mark of the last visit that saw it: the index's 16-bit marks (see
 * `DocIndex`), for candidates that may repeat a document.
 */
export interface VisitMarks {
  marks: Uint16Array
  mark: number
}

/**
 * Visits each live candidate (by `live`) once, in chunks: `process` gets a scratch array whose first `count`
 * slots hold live document numbers in the candidates' order (ascending, or descending where
 * `descending` is honoured), and returns true to stop the visit (then no later candidate is
 * handed over). Without candidates every document number is a candidate. `marks` dedupes
 * candidates that are not distinct (undefined: they are). The scratch is only valid during the
 * call, which may write over it (to keep a chunk's matches in place): it is reused for the next
 * chunk. The first chunk holds `first` documents, each next one
 * twice as many, up to {@link CHUNK}: a visit likely to stop early (a newest-first listing) then
 * walks and reads few candidates past its page.
 */
export function visitInChunks(
  candidates: Pick<Candidates, 'forEach'> | undefined,
  live: LiveBits,
  marks: VisitMarks | undefined,
  descending: boolean,
  first: number,
  process: (docNos: Int32Array, count: number) => boolean | undefined,
): void {
  const chunk = borrowInts()
  let size = Math.max(1, Math.min(first, CHUNK))
  let n = 0
  let stopped = false
  const flush = (): boolean => {
    // The words read here: a visit makes no document, so they are not replaced during it.
    const words = live.words
    let kept = 0
    for (let i = 0; i < n; i++) {
      const docNo = chunk[i] as number
      if (isLive(words, docNo)) chunk[kept++] = docNo
    }
    n = 0
    size = Math.min(size * 2, CHUNK)
    stopped = process(chunk, kept) === true
    return stopped
  }
  const add = (docNo: number): boolean | undefined => {
    if (marks) {
      if (marks.marks[docNo] === marks.mark) return
      marks.marks[docNo] = marks.mark
    }
    chunk[n++] = docNo
    if (n === size) return flush()
  }
  if (candidates) candidates.forEach(add, descending)
  else if (descending) {
    for (let docNo = live.length - 1; docNo >= 0; docNo--) if (add(docNo) === true) break
  } else for (let docNo = 0; docNo < live.length; docNo++) if (add(docNo) === true) break
  if (!stopped && n > 0) flush()
  giveBackInts(chunk)
}
