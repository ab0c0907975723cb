/**
 * @module Equal small values decoded in one snapshot load made once and shared by the documents
 * holding them (which never change them): a user's or group's tags (`{ name, weight }`, names
 * from a pool, a handful of weights), places on the person grid, their lists. Decoded one by one,
 * a user's tags were about 260 bytes of the 530 its stored document took at 200k bench messages.
 */

/** Values made so far in a load, by their JSON (see {@link shareValue}). */
export type SharedValues = Map<string, unknown>

/** Values of more characters than this are not shared: not worth a lookup, nor likely repeated. */
const MAX_CHARACTERS = 512

/**
 * `value`, or an equal one made earlier in the load: plain objects and arrays of plain data
 * (strings, finite numbers other than `-0`, booleans, null), their object and array parts shared
 * first. Anything else is returned as it is. Mutates `value`'s parts in place: pass only values
 * freshly decoded from msgpack (plain data properties, no accessors).
 */
export function shareValue(value: unknown, shared: SharedValues): unknown {
  if (typeof value !== 'object' || value === null || plainCharacters(value, 0) > MAX_CHARACTERS) return value
  return share(value, shared)
}

/** `value` (plain data, see {@link plainCharacters}) or the equal one kept, keyed by its JSON. */
function share(value: object, shared: SharedValues): unknown {
  // Exact for plain data: JSON keeps the types, the keys' order, and every finite number but -0.
  const key = JSON.stringify(value)
  const kept = shared.get(key)
  if (kept !== undefined) return kept
  const parts = value as Record<string, unknown>
  for (const name in parts) {
    const part = parts[name]
    if (typeof part === 'object' && part !== null) parts[name] = share(part, shared)
  }
  shared.set(key, value)
  return value
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
