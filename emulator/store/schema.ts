/**
 * @module Table schemas: primary-key columns, pre-defined columns, options, and key validation.
 */
import { invalidParameter, invalidPk } from '../errors.ts'
import type { PkBound, PrimaryKey } from '../model/row.ts'
import type { InfMax, InfMin, PkValue, WirePkValue } from '../model/values.ts'
import { valueBytes } from '../model/values.ts'

export type PkType = 'INTEGER' | 'STRING' | 'BINARY'
export type DefinedType = 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'BINARY'

export interface PkColumnSchema {
  readonly name: string
  readonly type: PkType
  readonly autoIncrement: boolean
}

export interface DefinedColumnSchema {
  readonly name: string
  readonly type: DefinedType
}

export interface TableOptions {
  readonly timeToLive: number
  readonly maxVersions: number
  readonly allowUpdate: boolean
}

/**
 * A STRING or BINARY primary-key value is at most 1 KB (limits on the Wide Column model,
 * https://www.alibabacloud.com/help/en/tablestore/limits-on-widecolumn-model: "String: a UTF-8
 * encoded string with a maximum length of 1 KB", "Binary: ... 1 KB").
 */
export const MAX_PK_VALUE_BYTES = 1024

/** Tablestore's naming rule for tables, indexes and columns. */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/

export function validateName(kind: string, name: string): void {
  if (!NAME_RE.test(name)) throw invalidParameter(`Invalid ${kind} name: '${name}'.`)
}

function pkKind(value: WirePkValue): string {
  return value.kind === 'BINARY' ? 'BINARY' : value.kind
}

/** Maps a PK value kind onto the schema type name (BINARY values are stored as `BINARY`). */
function matchesType(value: PkValue, type: PkType): boolean {
  return value.kind === type
}

/**
 * Validates a written key against the schema (names, order, count, types). AUTO_INCREMENT is
 * allowed only where `allowAutoIncrement` is set and the column is declared auto-increment.
 */
export function checkWriteKey(
  schema: readonly PkColumnSchema[],
  key: readonly { name: string; value: WirePkValue }[],
  allowAutoIncrement: boolean,
): void {
  if (key.length !== schema.length)
    throw invalidPk(`Validate PK size fail. Input: ${key.length}, Meta: ${schema.length}.`)
  schema.forEach((col, i) => {
    const given = key[i]
    if (!given || given.name !== col.name)
      throw invalidPk(`Validate PK name fail. Input: ${given?.name ?? '(none)'}, Meta: ${col.name}.`)
    const v = given.value
    if (v.kind === 'AUTO_INCREMENT') {
      if (!allowAutoIncrement || !col.autoIncrement)
        throw invalidParameter(
          `Column ${col.name} is not an auto-increment column or does not accept one here.`,
        )
      return
    }
    if (v.kind === 'INF_MIN' || v.kind === 'INF_MAX')
      throw invalidParameter(`INF_MIN and INF_MAX are only allowed in a range bound (column ${col.name}).`)
    if (!matchesType(v, col.type))
      throw invalidPk(`Validate PK type fail. Input: ${pkKind(v)}, Meta: ${col.type}.`)
    const size = valueBytes(v)
    if (size > MAX_PK_VALUE_BYTES)
      throw invalidParameter(
        `The length of primary key column: '${col.name}' exceeds the MaxLength:${MAX_PK_VALUE_BYTES} with CurrentLength:${size}.`,
      )
  })
}

/** Narrows a validated key that carries no placeholders. */
export function asPrimaryKey(key: readonly { name: string; value: WirePkValue }[]): PrimaryKey {
  return key.map((c) => {
    if (c.value.kind === 'AUTO_INCREMENT' || c.value.kind === 'INF_MIN' || c.value.kind === 'INF_MAX')
      throw invalidParameter(`Column ${c.name} must hold a concrete value.`)
    return { name: c.name, value: c.value }
  })
}

/** Validates a GetRange bound: full key, names in order, each a typed value or INF_MIN/INF_MAX. */
export function checkBound(
  schema: readonly { name: string; type: PkType }[],
  key: readonly { name: string; value: WirePkValue }[],
  what: string,
): PkBound {
  if (key.length !== schema.length)
    throw invalidPk(`Validate PK size fail for ${what}. Input: ${key.length}, Meta: ${schema.length}.`)
  return schema.map((col, i) => {
    const given = key[i]
    if (!given || given.name !== col.name)
      throw invalidPk(
        `Validate PK name fail for ${what}. Input: ${given?.name ?? '(none)'}, Meta: ${col.name}.`,
      )
    const v = given.value
    if (v.kind === 'AUTO_INCREMENT') throw invalidParameter(`AUTO_INCREMENT is not allowed in ${what}.`)
    if (v.kind !== 'INF_MIN' && v.kind !== 'INF_MAX' && !matchesType(v, col.type))
      throw invalidPk(`Validate PK type fail for ${what}. Input: ${pkKind(v)}, Meta: ${col.type}.`)
    return { name: col.name, value: v as PkValue | InfMin | InfMax }
  })
}
