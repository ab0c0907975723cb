/**
 * @module GetRow, PutRow, UpdateRow, DeleteRow and GetRange.
 */
import { invalidParameter, unsupported } from '../errors.ts'
import type { StoredRow } from '../model/row.ts'
import { readRow } from '../plainbuffer/reader.ts'
import type { OutRow } from '../plainbuffer/writer.ts'
import { writeRow, writeRows } from '../plainbuffer/writer.ts'
import type {
  DeleteRowRequestMsg,
  GetRangeRequestMsg,
  GetRowRequestMsg,
  PutRowRequestMsg,
  ReturnContentMsg,
  UpdateRowRequestMsg,
} from '../protocol/messages.ts'
import { has, mainMessage } from '../protocol/proto.ts'
import { decodeFilter } from '../store/conditions.ts'
import type { ReadOptions } from '../store/projection.ts'
import { capacityUnits, projectRow, timeRangeOf } from '../store/projection.ts'
import { scanRange } from '../store/range-scan.ts'
import type { WriteResult } from '../store/row-writes.ts'
import { deleteRow, MAX_WRITE_BYTES, putRow, updateRow } from '../store/row-writes.ts'
import { asPrimaryKey, checkBound, checkWriteKey } from '../store/schema.ts'
import type { Handler } from './context.ts'
import { consumed, decodeRequest, respond, rowBytes } from './context.ts'

/**
 * A read asks for at most 128 columns (limits on the Wide Column model,
 * https://www.alibabacloud.com/help/en/tablestore/limits-on-widecolumn-model: "columns in
 * columns_to_get of a read request: 0 to 128").
 */
const MAX_COLUMNS_TO_GET = 128

/** Read options from the fields GetRow, BatchGetRow and GetRange share. */
export function readOptionsOf(msg: {
  columnsToGet: string[]
  filter?: Uint8Array
  startColumn?: string
  endColumn?: string
  timeRange?: GetRowRequestMsg['timeRange']
  transactionId?: string
}): ReadOptions {
  if (msg.transactionId) throw unsupported('Local transactions')
  if (msg.columnsToGet.length > MAX_COLUMNS_TO_GET)
    throw invalidParameter(`The number of columns_to_get exceeds the limit: ${MAX_COLUMNS_TO_GET}.`)
  const filterBytes = msg.filter
  return {
    columnsToGet: msg.columnsToGet,
    ...(filterBytes && filterBytes.length > 0 ? { filter: decodeFilter(filterBytes) } : {}),
    ...(has(msg, 'startColumn') && msg.startColumn ? { startColumn: msg.startColumn } : {}),
    ...(has(msg, 'endColumn') && msg.endColumn ? { endColumn: msg.endColumn } : {}),
    ...(msg.timeRange ? { timeRange: timeRangeOf(msg.timeRange) } : {}),
  }
}

/** The row a write returns: nothing, the primary key (RT_PK), or chosen columns after the change. */
export function returnedRow(result: WriteResult, content: ReturnContentMsg | undefined): OutRow | undefined {
  const type = content?.returnType ?? 0
  if (type === 0) return undefined
  if (type === 1) return { primaryKey: result.pk, attributes: [] }
  if (type === 2) {
    const names = content?.returnColumnNames ?? []
    const after: StoredRow | undefined = result.after
    const attributes = names.flatMap((name) => {
      const cell = after?.columns.get(name)
      return cell ? [{ name, value: cell.value, timestamp: cell.timestamp }] : []
    })
    return { primaryKey: result.pk, attributes }
  }
  throw invalidParameter(`Invalid return type ${type}.`)
}

const getRow: Handler = (state, body) => {
  const msg = decodeRequest<GetRowRequestMsg>(mainMessage('GetRowRequest'), body)
  const source = state.catalog.readable(msg.tableName, state.now())
  const wire = readRow(msg.primaryKey)
  checkWriteKey(
    source.keySchema.map((c) => ({ ...c, autoIncrement: false })),
    wire.primaryKey,
    false,
  )
  const opts = readOptionsOf(msg)
  const stored = source.rows.get(asPrimaryKey(wire.primaryKey))
  const out = stored ? projectRow(stored, opts) : undefined
  return respond(mainMessage('GetRowResponse'), {
    consumed: consumed(capacityUnits(stored), 0),
    row: rowBytes(out),
  })
}

function writeHandler<
  T extends {
    tableName: string
    condition: PutRowRequestMsg['condition']
    returnContent?: ReturnContentMsg
    transactionId?: string
  },
>(request: string, response: string, rowOf: (msg: T) => Uint8Array, apply: typeof putRow): Handler {
  return (state, body) => {
    const msg = decodeRequest<T>(mainMessage(request), body)
    if (msg.transactionId) throw unsupported('Local transactions')
    const bytes = rowOf(msg)
    if (bytes.length > MAX_WRITE_BYTES)
      throw invalidParameter(
        `The data size of ${request.replace(/Request$/, '')} exceeds the limit: ${MAX_WRITE_BYTES} bytes.`,
      )
    const now = state.now()
    const table = state.catalog.writable(msg.tableName, now)
    const result = apply(table, readRow(bytes), msg.condition, now)
    return respond(mainMessage(response), {
      consumed: consumed(0, capacityUnits(result.after ?? result.before)),
      row: rowBytes(returnedRow(result, msg.returnContent)),
    })
  }
}

const getRange: Handler = (state, body) => {
  const msg = decodeRequest<GetRangeRequestMsg>(mainMessage('GetRangeRequest'), body)
  if (msg.token && msg.token.length > 0) throw unsupported('GetRange continuation tokens (wide-row paging)')
  const source = state.catalog.readable(msg.tableName, state.now())
  const start = checkBound(
    source.keySchema,
    readRow(msg.inclusiveStartPrimaryKey).primaryKey,
    'the start key',
  )
  const end = checkBound(source.keySchema, readRow(msg.exclusiveEndPrimaryKey).primaryKey, 'the end key')
  if (msg.direction !== 0 && msg.direction !== 1)
    throw invalidParameter(`Invalid direction ${msg.direction}.`)
  const limit = has(msg, 'limit') ? msg.limit : undefined
  const result = scanRange(source, start, end, msg.direction === 1, limit, readOptionsOf(msg))
  return respond(mainMessage('GetRangeResponse'), {
    consumed: consumed(Math.max(1, result.rows.length), 0),
    rows: writeRows(result.rows),
    ...(result.next ? { nextStartPrimaryKey: writeRow({ primaryKey: result.next, attributes: [] }) } : {}),
  })
}

export const rowHandlers: Readonly<Record<string, Handler>> = {
  GetRow: getRow,
  PutRow: writeHandler<PutRowRequestMsg>('PutRowRequest', 'PutRowResponse', (m) => m.row, putRow),
  UpdateRow: writeHandler<UpdateRowRequestMsg>(
    'UpdateRowRequest',
    'UpdateRowResponse',
    (m) => m.rowChange,
    updateRow,
  ),
  DeleteRow: writeHandler<DeleteRowRequestMsg>(
    'DeleteRowRequest',
    'DeleteRowResponse',
    (m) => m.primaryKey,
    deleteRow,
  ),
  GetRange: getRange,
}
