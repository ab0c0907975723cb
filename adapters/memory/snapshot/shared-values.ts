/**
 * @module Equal small objects decoded in one snapshot load made once and shared by the documents
 * holding them (which never change them): a user's or group's tags (`{ name, weight }`, names
 * from a pool, a handful of weights), places on the person grid. Decoded one by one,
 * a user's tags were about 260 bytes of the 530 its stored document took at 200k bench messages.
 */

/** Values of more characters than this are not shared: not worth a lookup, nor likely repeated. */
const MAX_CHARACTERS = 512

/** Values of a field looked up before judging whether the field's values repeat. */
const TRIAL = 4096

/**
 * Values made so far in one load, by their JSON. A field whose values do not repeat (fewer than
 * one lookup in eight finds a value or part made before, over its first {@link TRIAL} values) is
 * not looked up further in the load: a message's attachment list, say, would cost a JSON encoding
 * and a lookup each for nothing.
 */
export class SharedValues {
  readonly #kept = new Map<string, unknown>()
  /** Per field: values looked up, and lookups that found one. */
  readonly #trials = new Map<string, { tried: number; found: number }>()
  #found = 0

  /**
   * `value`, or an equal one made earlier in the load: a plain object of plain data (strings,
   * finite numbers other than `-0`, booleans, null, arrays and objects of those), its object
   * parts shared first. An array is kept as it is, its objects shared (lists of tags mostly
   * differ while their tags repeat: keying each list too doubled the cost of a load's sharing for
   * a few per cent of its gain). Anything else is returned as it is. Mutates `value`'s parts in
   * place: pass only values freshly decoded from msgpack (plain data properties, no accessors).
   * `field` names the document field it is of.
   */
  share(field: string, value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value
    let trial = this.#trials.get(field)
    if (!trial) {
      trial = { tried: 0, found: 0 }
      this.#trials.set(field, trial)
    }
    if (trial.tried >= TRIAL && trial.found * 8 < trial.tried) return value
    const before = this.#found
    let kept = value
    if (!Array.isArray(value)) kept = this.#sharePlain(value)
    else
      for (let i = 0; i < value.length; i++) {
        const item = value[i]
        if (typeof item === 'object' && item !== null) value[i] = this.#sharePlain(item)
      }
    trial.tried++
    if (this.#found > before) trial.found++
    return kept
  }

  /** `value` or the equal one kept, if it is plain data of a modest size. */
  #sharePlain(value: object): object {
    return plainCharacters(value, 0) > MAX_CHARACTERS ? value : this.#share(value)
  }

  /**
   * `value` (plain data, see {@link plainCharacters}) or the equal one kept, keyed by its JSON;
   * an array as in {@link share}.
   */
  #share(value: object): object {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const part = value[i]
        if (typeof part === 'object' && part !== null) value[i] = this.#share(part)
      }
      return value
    }
    // Exact for plain data: JSON keeps the types, the keys' order, and every finite number but -0.
    const key = JSON.stringify(value)
    const kept = this.#kept.get(key) as object | undefined
    if (kept !== undefined) {
      this.#found++
      return kept
    }
    const parts = value as Record<string, unknown>
    for (const name in parts) {
      const part = parts[name]
      if (typeof part === 'object' && part !== null) parts[name] = this.#share(part)
    }
    this.#kept.set(key, value)
    return value
  }
}

/**
 * The key by which a load shares `value` with equal ones (its JSON), or undefined when
 * {@link SharedValues} would not share it on its own: not a plain object (a list, a class
 * instance), too large, or holding a number JSON changes. Equal keys, equal values.
 */
export function sharingKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  return plainCharacters(value, 0) > MAX_CHARACTERS ? undefined : JSON.stringify(value)
}

/**
 * About how many characters `value`'s JSON takes, or `Infinity` when JSON would not tell it
 * apart from another value: not plain data (a typed array, a class instance, undefined), or a
 * number JSON changes (`-0`, NaN, infinities).
 */
function plainCharacters(value: unknown, total: number): number {
  switch (typeof value) {
    case 'string':
      return total + value.length + 2
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? total + 8 : Number.POSITIVE_INFINITY
    case 'boolean':
      return total + 5
    case 'object': {
      if (value === null) return total + 4
      if (Array.isArray(value)) {
        for (const item of value) {
          total = plainCharacters(item, total + 1)
          if (total > MAX_CHARACTERS) return total
        }
        return total + 2
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return Number.POSITIVE_INFINITY
      const object = value as Record<string, unknown>
      for (const name in object) {
        total = plainCharacters(object[name], total + name.length + 4)
        if (total > MAX_CHARACTERS) return total
      }
      return total + 2
    }
    default:
      return Number.POSITIVE_INFINITY
  }
}
