/**
 * @module BatchGetRow and BatchWriteRow: many rows, one result per row in request order.
 *
 * Like Tablestore, a batch is not atomic: each row succeeds or fails on its own, and a failed
 * row reports its OTS error code and message in place.
 */
import { invalidParameter, OtsError, unsupported } from '../errors.ts'
import type { WirePkValue } from '../model/values.ts'
import { readRow } from '../plainbuffer/reader.ts'
import type { BatchGetRowRequestMsg, BatchWriteRowRequestMsg } from '../protocol/messages.ts'
import { mainMessage } from '../protocol/proto.ts'
import { capacityUnits, projectRow } from '../store/projection.ts'
import { deleteRow, putRow, updateRow } from '../store/row-writes.ts'
import { asPrimaryKey, checkWriteKey } from '../store/schema.ts'
import type { Handler } from './context.ts'
import { consumed, decodeRequest, respond, rowBytes } from './context.ts'
import { readOptionsOf, returnedRow } from './row-ops.ts'

/** Documented per-request limits. */
const MAX_BATCH_GET_ROWS = 100
const MAX_BATCH_WRITE_ROWS = 200

function rowError(err: unknown): { isOk: false; error: { code: string; message: string } } {
  if (err instanceof OtsError) return { isOk: false, error: { code: err.code, message: err.message } }
  throw err
}

const batchGetRow: Handler = (state, body) => {
  const msg = decodeRequest<BatchGetRowRequestMsg>(mainMessage('BatchGetRowRequest'), body)
  const total = msg.tables.reduce((n, t) => n + t.primaryKey.length, 0)
  if (total === 0) throw invalidParameter('BatchGetRow needs at least one row.')
  if (total > MAX_BATCH_GET_ROWS)
    throw invalidParameter(`Rows count exceeds the upper limit: ${MAX_BATCH_GET_ROWS}.`)
  const now = state.now()
  const names = new Set<string>()
  const tables = msg.tables.map((t) => {
    if (names.has(t.tableName))
      throw invalidParameter(`Duplicated table name in BatchGetRow: ${t.tableName}.`)
    names.add(t.tableName)
    const opts = readOptionsOf(t)
    const rows = t.primaryKey.map((pkBytes) => {
      try {
        const source = state.catalog.readable(t.tableName, now)
        const wire = readRow(pkBytes)
        checkWriteKey(
          source.keySchema.map((c) => ({ ...c, autoIncrement: false })),
          wire.primaryKey,
          false,
        )
        const stored = source.rows.get(asPrimaryKey(wire.primaryKey))
        const out = stored ? projectRow(stored, opts) : undefined
        return { isOk: true, consumed: consumed(capacityUnits(stored), 0), row: rowBytes(out) }
      } catch (err) {
        return rowError(err)
      }
    })
    return { tableName: t.tableName, rows }
  })
  return respond(mainMessage('BatchGetRowResponse'), { tables })
}

const WRITERS = { 1: putRow, 2: updateRow, 3: deleteRow } as const

/** Tablestore refuses a batch that writes the same row twice (the outcome would depend on order). */
function rejectDuplicateRows(msg: BatchWriteRowRequestMsg): void {
  const seen = new Set<string>()
  for (const t of msg.tables)
    for (const r of t.rows) {
      const key = readRow(r.rowChange).primaryKey
      // Auto-increment placeholders become distinct keys, so they never collide.
      if (key.some((c) => c.value.kind === 'AUTO_INCREMENT')) continue
      const id = JSON.stringify([t.tableName, ...key.map((c) => [c.name, c.value.kind, keyText(c.value)])])
      if (seen.has(id))
        throw invalidParameter(
          'The input parameter is invalid: a row appears more than once in BatchWriteRow.',
        )
      seen.add(id)
    }
}

function keyText(value: WirePkValue): string {
  if (value.kind === 'BINARY') return value.value.toString('base64')
  return value.kind === 'INTEGER' || value.kind === 'STRING' ? String(value.value) : value.kind
}

const batchWriteRow: Handler = (state, body) => {
  const msg = decodeRequest<BatchWriteRowRequestMsg>(mainMessage('BatchWriteRowRequest'), body)
  if (msg.transactionId) throw unsupported('Local transactions')
  const total = msg.tables.reduce((n, t) => n + t.rows.length, 0)
  if (total === 0) throw invalidParameter('BatchWriteRow needs at least one row.')
  if (total > MAX_BATCH_WRITE_ROWS)
    throw invalidParameter(`Rows count exceeds the upper limit: ${MAX_BATCH_WRITE_ROWS}.`)
  rejectDuplicateRows(msg)
  const now = state.now()
  const tables = msg.tables.map((t) => {
    const rows = t.rows.map((r) => {
      try {
        const apply = WRITERS[r.type as 1 | 2 | 3]
        if (!apply) throw invalidParameter(`Invalid operation type ${r.type}.`)
        if (!r.condition) throw invalidParameter('Each row of BatchWriteRow needs a condition.')
        const table = state.catalog.writable(t.tableName, now)
        const result = apply(table, readRow(r.rowChange), r.condition, now)
        return {
          isOk: true,
          consumed: consumed(0, capacityUnits(result.after ?? result.before)),
          row: rowBytes(returnedRow(result, r.returnContent)),
        }
      } catch (err) {
        return rowError(err)
      }
    })
    return { tableName: t.tableName, rows }
  })
  return respond(mainMessage('BatchWriteRowResponse'), { tables })
}

export const batchHandlers: Readonly<Record<string, Handler>> = {
  BatchGetRow: batchGetRow,
  BatchWriteRow: batchWriteRow,
}
