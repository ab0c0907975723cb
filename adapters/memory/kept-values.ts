/**
 * @module Strings kept once and handed out again for equal ones (an index's keyword values,
 * shared by its stored documents): a loaded snapshot's in a {@link ValueTable}, later ones in a
 * map.
 */
import { MAP_ENTRY_BYTES, stringsBytes } from './memory-usage.ts'
import { ValueTable } from './value-table.ts'

export class KeptValues {
  readonly #loaded: ValueTable
  readonly #added = new Map<string, string>()

  /** Keeps `loaded` (distinct, as a snapshot saved them). */
  constructor(loaded: readonly string[] = []) {
    this.#loaded = new ValueTable(loaded)
  }

  /** `value`, or the equal string kept before (then `value` is kept from now on). */
  share(value: string): string {
    const added = this.#added.get(value)
    if (added !== undefined) return added
    const i = this.#loaded.numberOf(value)
    if (i >= 0) return this.#loaded.values[i] as string
    this.#added.set(value, value)
    return value
  }

  /** Every value kept, the loaded ones first: what a snapshot saves. */
  values(): string[] {
    return [...this.#loaded.values, ...this.#added.keys()]
  }

  /** The table, map and strings (estimated from a sample). */
  get byteLength(): number {
    const size = this.#loaded.size + this.#added.size
    const strings = stringsBytes(this.#each(), size)
    return this.#loaded.byteLength + this.#added.size * MAP_ENTRY_BYTES + strings
  }

  /** Every value, lazily: {@link stringsBytes} reads a sample. */
  *#each(): Iterable<string> {
    yield* this.#loaded.values
    yield* this.#added.keys()
  }
}
