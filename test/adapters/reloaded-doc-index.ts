/**
 * @module A {@link DocIndex} restored from its snapshot without the files: the snapshot cloned as
 * structured data. A structured clone drops the prototypes stored documents read their empty
 * fields from (`stored-document.ts`; the snapshot writer saves them), so documents are cloned whole.
 */
import { DocIndex, type DocIndexOptions } from '../../adapters/memory/doc-index.ts'
import { wholeDocument } from '../../adapters/memory/stored-document.ts'

export function reloaded<D extends object>(index: DocIndex<D>, options: DocIndexOptions): DocIndex<D> {
  const saved = index.toSnapshot()
  const documents = saved.documents.map((doc) => doc && wholeDocument(doc))
  return DocIndex.fromSnapshot<D>(options, structuredClone({ ...saved, documents }))
}
