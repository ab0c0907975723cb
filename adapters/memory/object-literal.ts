/**
 * @module The source text of an object literal, for functions compiled at run time that make many
 * objects of one shape at once (`stored-documents.ts`, `snapshot/document-columns.ts`): every
 * object made by one gets the same hidden class.
 */

/**
 * `{ "a": v0, … }` for `keys` and each one's value as source text. A `__proto__` key is computed:
 * a literal one would set the object's prototype instead of a field.
 */
export function objectLiteral(keys: readonly string[], values: readonly string[]): string {
  const fields = keys.map(
    (key, j) => `${key === '__proto__' ? '["__proto__"]' : JSON.stringify(key)}: ${values[j]}`,
  )
  return `{ ${fields.join(', ')} }`
}
