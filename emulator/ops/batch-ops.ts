/**
 * @module BatchGetRow and BatchWriteRow: many rows, one result per row in request order.
 *
 * A BatchWriteRow that breaks a documented limit is refused whole, with nothing written; past those
 * checks, like Tablestore, a batch is not atomic: each row succeeds or fails on its own, and a failed
 * row reports its OTS error code and message in place.
 */
import { invalidParameter, OtsError, unsupported } from '../errors.ts'
import { pkKey } from '../model/row.ts'
import type { WireRow } from '../plainbuffer/reader.ts'
import { readRow } from '../plainbuffer/reader.ts'
import type {
  BatchGetRowRequestMsg,
  BatchWriteRowRequestMsg,
  RowInBatchWriteRowRequestMsg,
} from '../protocol/messages.ts'
import { mainMessage } from '../protocol/proto.ts'
import { capacityUnits, projectRow } from '../store/projection.ts'
import type { RowChangeKind } from '../store/row-writes.ts'
import { checkRowChange, deleteRow, MAX_WRITE_BYTES, putRow, updateRow } from '../store/row-writes.ts'
import { asPrimaryKey, checkWriteKey } from '../store/schema.ts'
import type { Table } from '../store/table.ts'
import type { EmulatorState, Handler } from './context.ts'
import { consumed, decodeRequest, respond, rowBytes } from './context.ts'
import { readOptionsOf, returnedRow } from './row-ops.ts'

/**
 * Per-request limits (limits on the Wide Column model,
 * https://www.alibabacloud.com/help/en/tablestore/limits-on-widecolumn-model): BatchGetRow reads at
 * most 100 rows, BatchWriteRow writes at most 200.
 */
const MAX_BATCH_GET_ROWS = 100
const MAX_BATCH_WRITE_ROWS = 200

function rowError(err: unknown): { isOk: false; error: { code: string; message: string } } {
  if (err instanceof OtsError) return { isOk: false, error: { code: err.code, message: err.message } }
  throw err
}

/**
 * BatchGetRow (https://www.alibabacloud.com/help/doc-detail/27310.html) fails as a whole when a table
 * does not exist, a row's key does not match the schema, the same table appears twice, there are more
 * than 100 rows in all, a table lists no rows, or columns_to_get names more than 128 columns. Past
 * those checks each row is read on its own (a table not ready yet fails its rows, with HTTP 200).
 */
const batchGetRow: Handler = (state, body) => {
  const msg = decodeRequest<BatchGetRowRequestMsg>(mainMessage('BatchGetRowRequest'), body)
  const total = msg.tables.reduce((n, t) => n + t.primaryKey.length, 0)
  if (total === 0) throw invalidParameter('BatchGetRow needs at least one row.')
  if (total > MAX_BATCH_GET_ROWS)
    throw invalidParameter(`Rows count exceeds the upper limit: ${MAX_BATCH_GET_ROWS}.`)
  const names = new Set<string>()
  const checked = msg.tables.map((t) => {
    if (names.has(t.tableName))
      throw invalidParameter(`Duplicated table name in BatchGetRow: ${t.tableName}.`)
    names.add(t.tableName)
    if (t.primaryKey.length === 0) throw invalidParameter(`No row specified in table: '${t.tableName}'.`)
    const source = state.catalog.source(t.tableName)
    const schema = source.keySchema.map((c) => ({ ...c, autoIncrement: false }))
    const keys = t.primaryKey.map((pkBytes) => {
      const wire = readRow(pkBytes)
      checkWriteKey(schema, wire.primaryKey, false)
      return asPrimaryKey(wire.primaryKey)
    })
    return { source, keys, opts: readOptionsOf(t) }
  })
  const now = state.now()
  const tables = checked.map(({ source, keys, opts }) => ({
    tableName: source.name,
    rows: keys.map((key) => {
      try {
        source.owner.checkReady(now)
        source.sync(now)
        const stored = source.rows.get(key)
        const out = stored ? projectRow(stored, opts) : undefined
        return { isOk: true, consumed: consumed(capacityUnits(stored), 0), row: rowBytes(out) }
      } catch (err) {
        return rowError(err)
      }
    }),
  }))
  return respond(mainMessage('BatchGetRowResponse'), { tables })
}

const WRITERS = { 1: putRow, 2: updateRow, 3: deleteRow } as const
const KINDS: Record<number, RowChangeKind> = { 1: 'PUT', 2: 'UPDATE', 3: 'DELETE' }

/** A row of a BatchWriteRow that passed the whole-request checks. */
interface CheckedRow {
  readonly table: Table
  readonly row: WireRow
  readonly msg: RowInBatchWriteRowRequestMsg
}

/**
 * The checks that refuse a BatchWriteRow as a whole, before any row is written. BatchWriteRow
 * (https://help.aliyun.com/document_detail/27311.htm, https://www.alibabacloud.com/help/doc-detail/27311.htm)
 * lists them: a table that does not exist, the same table twice, a row whose key or columns break the
 * naming rules, types or size limits, "requests with exactly the same primary key in one table",
 * "more than 200 row operations in total, or more than 4 MB of data", "a table with no row
 * operations (OTSParameterInvalid)", more than 1024 columns in one row. The data size is measured as
 * the rows' encoded bytes (the page does not say how it counts; limits on the Wide Column model give
 * the same 4 MB).
 */
function checkBatchWrite(state: EmulatorState, msg: BatchWriteRowRequestMsg): CheckedRow[][] {
  const total = msg.tables.reduce((n, t) => n + t.rows.length, 0)
  if (total === 0) throw invalidParameter('BatchWriteRow needs at least one row.')
  if (total > MAX_BATCH_WRITE_ROWS)
    throw invalidParameter(`Rows count exceeds the upper limit: ${MAX_BATCH_WRITE_ROWS}.`)
  const bytes = msg.tables.reduce((n, t) => n + t.rows.reduce((m, r) => m + r.rowChange.length, 0), 0)
  if (bytes > MAX_WRITE_BYTES)
    throw invalidParameter(
      `The total data size of BatchWriteRow exceeds the limit: ${MAX_WRITE_BYTES} bytes.`,
    )
  const names = new Set<string>()
  const checked = msg.tables.map((t) => {
    if (names.has(t.tableName)) throw invalidParameter(`Duplicated table name: ${t.tableName}.`)
    names.add(t.tableName)
    if (t.rows.length === 0) throw invalidParameter(`No row specified in table: '${t.tableName}'.`)
    const table = state.catalog.table(t.tableName)
    return t.rows.map((r) => {
      const kind = KINDS[r.type]
      if (!kind) throw invalidParameter(`Invalid operation type ${r.type}.`)
      if (!r.condition) throw invalidParameter('Each row of BatchWriteRow needs a condition.')
      const row = readRow(r.rowChange)
      checkRowChange(table, row, kind)
      return { table, row, msg: r }
    })
  })
  rejectDuplicateRows(checked)
  return checked
}

/** Tablestore refuses a batch that writes the same row of a table twice (the outcome would depend on order). */
function rejectDuplicateRows(tables: readonly CheckedRow[][]): void {
  for (const rows of tables) {
    const seen = new Set<string>()
    for (const { row } of rows) {
      // Auto-increment placeholders become distinct keys, so they never collide.
      if (row.primaryKey.some((c) => c.value.kind === 'AUTO_INCREMENT')) continue
      const id = pkKey(asPrimaryKey(row.primaryKey))
      if (seen.has(id))
        throw invalidParameter(
          'The input parameter is invalid: a row appears more than once in BatchWriteRow.',
        )
      seen.add(id)
    }
  }
}

const batchWriteRow: Handler = (state, body) => {
  const msg = decodeRequest<BatchWriteRowRequestMsg>(mainMessage('BatchWriteRowRequest'), body)
  if (msg.transactionId) throw unsupported('Local transactions')
  const checked = checkBatchWrite(state, msg)
  const now = state.now()
  // What is left can fail row by row, with HTTP 200 and is_ok=false: a condition, a table not ready yet.
  const tables = checked.map((rows, i) => ({
    tableName: msg.tables[i]?.tableName,
    rows: rows.map(({ table, row, msg: r }) => {
      try {
        table.checkReady(now)
        const result = WRITERS[r.type as 1 | 2 | 3](table, row, r.condition, now)
        return {
          isOk: true,
          consumed: consumed(0, capacityUnits(result.after ?? result.before)),
          row: rowBytes(returnedRow(result, r.returnContent)),
        }
      } catch (err) {
        return rowError(err)
      }
    }),
  }))
  return respond(mainMessage('BatchWriteRowResponse'), { tables })
}

export const batchHandlers: Readonly<Record<string, Handler>> = {
  BatchGetRow: batchGetRow,
  BatchWriteRow: batchWriteRow,
}
