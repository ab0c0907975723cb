/**
 * @module The copy of a document an index keeps: fields that hold their type's empty value (an
 * empty list, `false`) are not slots of the copy but read from its prototype, one per set of such
 * fields. Most messages mention no one, attach nothing and link nowhere, yet each held three empty
 * lists and two `false`s (`mentions`, `attachments`, `attachmentNames`, `mentionAll`,
 * `hasLink`), 8 bytes a slot at a million messages. Every read of a field (`doc[field]`: scoring,
 * columns, facets, sort keys) sees the same value as before; only the own keys differ, so a
 * returned document is made whole again ({@link wholeDocument}) and a snapshot saves each
 * shape's inherited fields with it (`snapshot/document-columns.ts`).
 */
import type { IndexSchema } from '../../src/query/index-schemas.ts'
import type { Source } from './plan.ts'

/** The empty list stored documents share (documents are never mutated). */
const EMPTY: never[] = []

type Maker = (proto: object, source: Source) => Record<string, unknown>

/** A copying function and the keys of the documents it copies (all of them, kept or not). */
interface Copier {
  readonly keys: readonly string[]
  readonly make: Maker
}

/** Stored copies of one index's documents. */
export class StoredDocuments {
  /** Fields that may be read from a prototype: lists (`array` or `nested`) and booleans. */
  readonly #fields: readonly string[]
  /** Per field of {@link #fields}, its empty value: `[]` or `false`. */
  readonly #empty: readonly unknown[]
  /**
   * Per set of fields read from the prototype (a bit per field of {@link #fields}), that
   * prototype and the functions copying the other keys as one object literal, one per key order
   * met: every copy of a shape gets the same hidden class with its fields in the object, as
   * `{ ...source }` does for a whole document (adding the keys one by one would put the fifth on
   * in a separate array). Found by the bits and the keys compared by identity: a signature string
   * joined for each document was a tenth of port ingest.
   */
  readonly #copiers = new Map<number, { proto: object; copiers: Copier[] }>()

  /**
   * @param schema the index's fields
   * @param kept fields always stored in the copy (recipient lists: the index puts the shared list in)
   */
  constructor(schema: IndexSchema, kept: readonly string[]) {
    const fields = Object.entries(schema).filter(
      ([field, s]) =>
        !kept.includes(field) && (s.array === true || s.type === 'nested' || s.type === 'boolean'),
    )
    if (fields.length > 30) throw new Error('an index has more defaulted fields than a mask holds')
    this.#fields = fields.map(([field]) => field)
    this.#empty = fields.map(([, s]) => (s.type === 'boolean' ? false : EMPTY))
  }

  /** The copy of `source` to store: its own object, its empty fields read from a shared prototype. */
  copy(source: Source): Record<string, unknown> {
    const fields = this.#fields
    let empty = 0
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string
      if (isEmpty(source[field], this.#empty[i]) && Object.hasOwn(source, field)) empty |= 1 << i
    }
    if (empty === 0) return { ...source }
    const keys = Object.keys(source)
    let found = this.#copiers.get(empty)
    if (!found) {
      const proto: Record<string, unknown> = {}
      fields.forEach((field, i) => {
        if ((empty & (1 << i)) !== 0) proto[field] = this.#empty[i]
      })
      found = { proto, copiers: [] }
      this.#copiers.set(empty, found)
    }
    for (const copier of found.copiers)
      if (sameKeys(copier.keys, keys)) return copier.make(found.proto, source)
    const copier = { keys, make: makerOf(keys.filter((key) => !(key in found.proto))) }
    found.copiers.push(copier)
    return copier.make(found.proto, source)
  }
}

/** A stored document as returned: its own object with every field, inherited ones too. */
export function wholeDocument<D extends object>(doc: D): D {
  const proto = Object.getPrototypeOf(doc)
  return proto === Object.prototype || proto === null ? doc : { ...proto, ...doc }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Whether `value` is the field's empty value (`false` for a boolean, an empty list for a list
 * field), which its prototype then holds: a boolean field holding an empty list keeps it.
 */
function isEmpty(value: unknown, empty: unknown): boolean {
  return empty === false ? value === false : Array.isArray(value) && value.length === 0
}

/** A function returning `{ __proto__: p, k1: s[k1], … }` for `keys`. */
function makerOf(keys: readonly string[]): Maker {
  const fields = keys.map((key) => {
    const name = JSON.stringify(key)
    // A computed key: a literal `__proto__` key would set the prototype instead.
    return `${key === '__proto__' ? `[${name}]` : name}: s[${name}]`
  })
  return new Function('p', 's', `return { __proto__: p, ${fields.join(', ')} }`) as Maker
}
