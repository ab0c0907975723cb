/**
 * @module Generated writes and searches replayed on a {@link DocIndex} beside a map of its live
 * documents: the shape of the property tests of structures made from the documents (columns,
 * weights), which check each search against the live documents. Halfway, the index is restored
 * from a structured clone of its snapshot (as read back from disk: nothing shared), so what a load
 * restores, or makes again from the documents, is checked as well.
 */
import { DocIndex, type DocIndexOptions, type DocIndexSnapshot } from '../../adapters/memory/doc-index.ts'
import { StoredDocuments } from '../../adapters/memory/stored-documents.ts'

type Kinded = { kind: 'put' } | { kind: 'remove' } | { kind: 'search' }

export interface ReplaySteps<Doc extends { id: string }, Op extends Kinded> {
  /** The document a put writes. */
  put(op: Extract<Op, { kind: 'put' }>): Doc
  /** The id a removal removes. */
  removed(op: Extract<Op, { kind: 'remove' }>): string
  /** Checks a search on `index` against `live`, the documents it holds. */
  search(index: DocIndex<Doc>, live: ReadonlyMap<string, Doc>, op: Extract<Op, { kind: 'search' }>): void
}

export function replay<Doc extends { id: string }, Op extends Kinded>(
  options: DocIndexOptions,
  ops: readonly Op[],
  steps: ReplaySteps<Doc, Op>,
): void {
  let index = new DocIndex<Doc>(options)
  const live = new Map<string, Doc>()
  for (const [i, op] of ops.entries()) {
    if (op.kind === 'put') {
      const doc = steps.put(op as Extract<Op, { kind: 'put' }>)
      index.upsert(doc)
      // Re-inserted: the map's order is the order of the last writes.
      live.delete(doc.id)
      live.set(doc.id, doc)
    } else if (op.kind === 'remove') {
      const id = steps.removed(op as Extract<Op, { kind: 'remove' }>)
      index.remove(id)
      live.delete(id)
    } else steps.search(index, live, op as Extract<Op, { kind: 'search' }>)
    if (i === Math.floor(ops.length / 2))
      index = DocIndex.fromSnapshot<Doc>(options, cloned(index.toSnapshot()))
  }
}

/** A copy of `snapshot` that shares nothing with it: its documents made again one by one, as a load does. */
function cloned(snapshot: DocIndexSnapshot): DocIndexSnapshot {
  const { documents, ...rest } = snapshot
  const copy = new StoredDocuments()
  for (let docNo = 0; docNo < documents.length; docNo++) copy.push(structuredClone(documents.get(docNo)))
  return { ...structuredClone(rest), documents: copy }
}
