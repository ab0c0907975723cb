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

/** Stored copies of one index's documents, and the documents it returns from them. */
export class StoredDocuments {
  /** Fields whose documents hold lists (`array` or `nested` in the schema): left out when empty. */
  readonly #lists: readonly string[]
  readonly #isList: ReadonlySet<string>
  /**
   * Per set of kept keys (in order), a function copying them as one object literal: every copy
   * of that set gets the same hidden class with its fields in the object, as `{ ...source }`
   * does for a whole document (adding the keys one by one would put the fifth on in a separate
   * array).
   */
  readonly #makers = new Map<string, Maker>()

  /**
   * @param schema the index's fields
   * @param kept fields kept even when empty (recipient lists: the index puts the shared list in)
   */
  constructor(schema: IndexSchema, kept: readonly string[]) {
    this.#lists = Object.entries(schema)
      .filter(([field, s]) => (s.array === true || s.type === 'nested') && !kept.includes(field))
      .map(([field]) => field)
    this.#isList = new Set(this.#lists)
  }

  /** The copy of `source` to store: its own object, without its empty list fields. */
  copy(source: Source): Record<string, unknown> {
    if (!this.#lists.some((field) => isEmptyList(source[field]))) return { ...source }
    let signature = ''
    for (const key of Object.keys(source))
      if (!(this.#isList.has(key) && isEmptyList(source[key]))) signature += `${key}\u0000`
    let make = this.#makers.get(signature)
    if (!make) {
      make = makerOf(signature.split('\u0000').slice(0, -1))
      this.#makers.set(signature, make)
    }
    return make(source)
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
