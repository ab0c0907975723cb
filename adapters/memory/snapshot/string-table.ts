/**
 * @module One table of the strings every index of a snapshot holds (its keyword and fuzzy
 * fields' values, recipient sets' member ids, keyword columns' values), each distinct
 * string once: the indexes and the stored documents' columns refer to it by number. A load
 * decodes each string once and shares it by number wherever it is held (a contact's name forms
 * are its user's, a sender a user), where numbering them at load took a `Map` lookup per string
 * (about 360 ms of a 1M data dir's start-up, for 340,000 distinct strings among about a million
 * held).
 *
 * A fuzzy field's values keep their own strings, decoded in order with the field's list: its
 * substring scans read them one after another, and strings made for another index lie scattered
 * (at 200k bench messages, a contact name search took 40% more CPU on its user's strings). A string
 * first held by a fuzzy list is given to the table by that list, so it is decoded once too.
 */
import type { DocIndexSnapshot } from '../doc-index.ts'

type IndexState = Omit<DocIndexSnapshot, 'documents'>

/**
 * An index's string lists as numbers into the table, saved in `documents.bin` (dropped after the
 * load). A fuzzy list's number `-1 - n` marks the string that gives the table its entry `n`.
 */
export interface NumberedLists {
  keyword: Record<string, Int32Array>
  fuzzy: Record<string, Int32Array>
  recipientSets: Record<string, Int32Array>
  /** Keyword columns' values (`doc-columns.ts`), by field. */
  columns: Record<string, Int32Array>
}

/** The table as saved: how many strings, and those not given by a fuzzy list, in table order. */
export interface SavedTable {
  size: number
  strings: readonly unknown[]
}

/** Numbers the strings of a snapshot's indexes as they are saved, first seen first. */
export class StringNumbering {
  readonly #numbers = new Map<string, number>()
  /** The table's strings in order, but those a fuzzy list gives at load. */
  readonly #saved: string[] = []

  /** The numbers so far, for the document columns (`encodeChunk`'s shared strings). */
  get numbers(): ReadonlyMap<string, number> {
    return this.#numbers
  }

  /**
   * `state`'s string lists numbered, and `state` without them (empty lists, but the fuzzy ones,
   * which are saved as they are). Indexes are numbered in the order they are saved.
   */
  take(state: IndexState): { lists: NumberedLists; rest: IndexState } {
    const each = <I, O>(record: Record<string, I>, f: (item: I) => O) =>
      Object.fromEntries(Object.entries(record).map(([field, item]) => [field, f(item)]))
    // In the order the reader fills the table: fuzzy lists after the others of an index.
    const lists: NumberedLists = {
      keyword: each(state.keyword, (index) => this.#number(index.values, false)),
      fuzzy: each(state.fuzzy, (index) => this.#number(index.values, true)),
      recipientSets: each(state.recipientSets, (index) => this.#number(index.ids, false)),
      columns: Object.fromEntries(
        state.columns.columns.flatMap((column) =>
          column.kind === 'keyword' ? [[column.field, this.#number(column.values, false)]] : [],
        ),
      ),
    }
    const rest: IndexState = {
      ...state,
      keyword: each(state.keyword, (index) => ({ ...index, values: [] })),
      recipientSets: each(state.recipientSets, (index) => ({ ...index, ids: [] })),
      columns: {
        ...state.columns,
        columns: state.columns.columns.map((column) =>
          column.kind === 'keyword' ? { ...column, values: [] } : column,
        ),
      },
    }
    return { lists, rest }
  }

  /** The table to save once every index is numbered. */
  table(): SavedTable {
    return { size: this.#numbers.size, strings: this.#saved }
  }

  #number(values: readonly string[], fuzzy: boolean): Int32Array {
    const numbers = new Int32Array(values.length)
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string
      let number = this.#numbers.get(value)
      if (number === undefined) {
        number = this.#numbers.size
        this.#numbers.set(value, number)
        if (fuzzy) number = -1 - number
        else this.#saved.push(value)
      }
      numbers[i] = number
    }
    return numbers
  }
}

/**
 * The whole table: the strings `fuzzyLists` give (each index's fuzzy values with their numbers,
 * in the order they were saved), the saved ones in the other entries. Throws when they do not
 * fill it exactly.
 */
export function readTable(
  saved: SavedTable,
  fuzzyLists: readonly { values: readonly string[]; numbers: Int32Array }[],
): string[] {
  const { size, strings } = saved
  if (!Number.isInteger(size) || size < strings.length) throw new Error('the string table is malformed')
  // Made at its length and filled, as msgpack makes a list: a list grown by pushes keeps up to
  // half its length spare.
  const table: (string | undefined)[] = new Array(size)
  let given = 0
  for (const { values, numbers } of fuzzyLists) {
    if (numbers.length !== values.length) throw new Error('a fuzzy list is numbered apart from its values')
    for (let i = 0; i < numbers.length; i++) {
      const n = -1 - (numbers[i] as number)
      if (n < 0) continue
      if (n >= size || table[n] !== undefined) throw new Error('a fuzzy list gives a string out of place')
      table[n] = values[i]
      given++
    }
  }
  if (given + strings.length !== size) throw new Error('the string table does not add up')
  let next = 0
  for (let n = 0; n < size; n++) {
    if (table[n] !== undefined) continue
    const value = strings[next++]
    if (typeof value !== 'string') throw new Error('the string table holds a non-string')
    table[n] = value
  }
  return table as string[]
}

/** Puts `state`'s string lists back from `lists` (see {@link StringNumbering.take}) and `table`. */
export function restoreLists(state: IndexState, lists: NumberedLists, table: readonly string[]): void {
  for (const [field, index] of Object.entries(state.keyword))
    index.values = stringsOf(numbersOf(lists.keyword, field), table)
  for (const [field, index] of Object.entries(state.recipientSets))
    index.ids = stringsOf(numbersOf(lists.recipientSets, field), table)
  for (const column of state.columns.columns)
    if (column.kind === 'keyword') column.values = stringsOf(numbersOf(lists.columns, column.field), table)
}

/** `lists[field]`; throws when it is not numbers. */
export function numbersOf(lists: Record<string, Int32Array>, field: string): Int32Array {
  const numbers = lists[field]
  if (!(numbers instanceof Int32Array)) throw new Error(`no numbered strings for field ${field}`)
  return numbers
}

function stringsOf(numbers: Int32Array, table: readonly string[]): string[] {
  const strings: string[] = new Array(numbers.length)
  for (let i = 0; i < numbers.length; i++) {
    const value = table[numbers[i] as number]
    if (value === undefined) throw new Error('a numbered string is out of range')
    strings[i] = value
  }
  return strings
}
