/**
 * @module Maps the request path (`/PutRow`, `/Search`, …) to its operation handler.
 */
import { invalidParameter } from './errors.ts'
import { batchHandlers } from './ops/batch-ops.ts'
import type { Handler } from './ops/context.ts'
import { rowHandlers } from './ops/row-ops.ts'
import { scanHandlers } from './ops/scan-ops.ts'
import { searchIndexHandlers } from './ops/search-index-ops.ts'
import { searchHandlers } from './ops/search-ops.ts'
import { tableHandlers } from './ops/table-ops.ts'

const HANDLERS: ReadonlyMap<string, Handler> = new Map(
  Object.entries({
    ...tableHandlers,
    ...rowHandlers,
    ...batchHandlers,
    ...searchIndexHandlers,
    ...searchHandlers,
    ...scanHandlers,
  }),
)

/** Operation names the emulator implements, for the CLI banner and docs. */
export const SUPPORTED_OPERATIONS: readonly string[] = [...HANDLERS.keys()].sort()

/** The handler for a path, or OTSParameterInvalid "Unsupported operation" as Tablestore answers. */
export function route(path: string): { operation: string; handler: Handler } {
  const operation = path.replace(/^\//, '').split('?')[0] ?? ''
  const handler = HANDLERS.get(operation)
  if (!handler) throw invalidParameter(`Unsupported operation: ${operation}.`)
  return { operation, handler }
}
