/**
 * @module The copy of a document an index keeps: without the list fields that are empty. Most
 * messages mention no one and attach nothing, yet each held three empty lists (`mentions`,
 * `attachments`, `attachmentNames`), 8 bytes a slot each at a million messages. To every query an
 * empty list and a missing field are the same (nothing to match, count, sort or weigh), so only
 * the returned document needs them back ({@link StoredDocuments.returned}).
 */
import type { IndexSchema } from '../../src/query/index-schemas.ts'
import type { Source } from './plan.ts'

/** The empty list returned documents share (documents are never mutated). */
const EMPTY: never[] = []

type Maker = (source: Source) => Record<string, unknown>

/** A copying function and the keys of the documents it copies (all of them, kept or not). */
interface Copier {
  readonly keys: readonly string[]
  readonly make: Maker
}

/** Stored copies of one index's documents, and the documents it returns from them. */
export class StoredDocuments {
  /** Fields whose documents hold lists (`array` or `nested` in the schema): left out when empty. */
  readonly #lists: readonly string[]
  /**
   * Per set of empty list fields (a bit per field of {@link #lists}), functions copying the other
   * keys as one object literal, one per key order met: every copy of a shape gets the same hidden
   * class with its fields in the object, as `{ ...source }` does for a whole document (adding the
   * keys one by one would put the fifth on in a separate array). Found by the bits and the keys
   * compared by identity: a signature string joined for each document was a tenth of port ingest.
   */
  readonly #copiers = new Map<number, Copier[]>()

  /**
   * @param schema the index's fields
   * @param kept fields kept even when empty (recipient lists: the index puts the shared list in)
   */
  constructor(schema: IndexSchema, kept: readonly string[]) {
    this.#lists = Object.entries(schema)
      .filter(([field, s]) => (s.array === true || s.type === 'nested') && !kept.includes(field))
      .map(([field]) => field)
    if (this.#lists.length > 30) throw new Error('an index has more list fields than a mask holds')
  }

  /** The copy of `source` to store: its own object, without its empty list fields. */
  copy(source: Source): Record<string, unknown> {
    const lists = this.#lists
    let empty = 0
    for (let i = 0; i < lists.length; i++) if (isEmptyList(source[lists[i] as string])) empty |= 1 << i
    if (empty === 0) return { ...source }
    const keys = Object.keys(source)
    let copiers = this.#copiers.get(empty)
    if (!copiers) {
      copiers = []
      this.#copiers.set(empty, copiers)
    }
    for (const copier of copiers) if (sameKeys(copier.keys, keys)) return copier.make(source)
    const left = new Set(lists.filter((_, i) => (empty & (1 << i)) !== 0))
    const copier = { keys, make: makerOf(keys.filter((key) => !left.has(key))) }
    copiers.push(copier)
    return copier.make(source)
  }

  /** Stored document `doc` as returned: the list fields left out put back, empty. */
  returned<D extends object>(doc: D): D {
    const source = doc as Source
    if (this.#lists.every((field) => field in source)) return doc
    const whole: Record<string, unknown> = { ...source }
    for (const field of this.#lists) if (!(field in source)) whole[field] = EMPTY
    return whole as D
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0
}

/** A function returning `{ k1: s[k1], … }` for `keys`. */
function makerOf(keys: readonly string[]): Maker {
  const fields = keys.map((key) => {
    const name = JSON.stringify(key)
    // A computed key: a literal `__proto__` key would set the prototype instead.
    return `${key === '__proto__' ? `[${name}]` : name}: s[${name}]`
  })
  return new Function('s', `return { ${fields.join(', ')} }`) as Maker
}
