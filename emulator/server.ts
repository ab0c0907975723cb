/**
 * @module The HTTP front: reads the body, authenticates, routes, and writes protobuf responses or
 * Tablestore-style errors (`HTTP status + main.proto.Error{code, message}`).
 */
import { createHash, randomUUID } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AuthConfig } from './auth.ts'
import { authenticate, responseSignature } from './auth.ts'
import { OtsError } from './errors.ts'
import { DROPPED, type FaultInjector } from './faults.ts'
import type { AnswerMods, EmulatorState } from './ops/context.ts'
import { encodeMessage, mainMessage } from './protocol/proto.ts'
import { route } from './router.ts'

/**
 * Request bodies larger than 5 MB are refused with 413 OTSRequestBodyTooLarge (limits on the Wide
 * Column model, https://www.alibabacloud.com/help/en/tablestore/limits-on-widecolumn-model: "data
 * size of the request body of one HTTP request: 5 MB"; the code from the error-codes page).
 */
const MAX_BODY_BYTES = 5 * 1024 * 1024

/** One handled request, for tests that assert what the SDK sent. */
export interface RequestRecord {
  readonly operation: string
  readonly status: number
  readonly errorCode?: string
}

export interface ServerDeps {
  readonly auth: AuthConfig
  readonly state: EmulatorState
  readonly onRequest: (record: RequestRecord) => void
  /** Called once per request received, with the operation its path names (round-trip counts). */
  readonly onOperation?: (operation: string) => void
  /** Injected failures (tests); absent, every request is answered normally. */
  readonly faults?: FaultInjector
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge())
        req.resume()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, auth: AuthConfig, path: string, status: number, body: Uint8Array): void {
  const headers: Record<string, string> = {
    'x-ots-contentmd5': createHash('md5').update(body).digest('base64'),
    'x-ots-requestid': randomUUID(),
    'x-ots-date': new Date().toISOString(),
    'x-ots-contenttype': 'protocol buffer',
  }
  headers.authorization = `OTS ${auth.accessKeyId}:${responseSignature(auth.accessKeySecret, path, headers)}`
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/x-protobuf',
    'content-length': String(body.length),
  })
  res.end(body)
}

function errorBody(err: OtsError): Uint8Array {
  return encodeMessage(mainMessage('Error'), { code: err.code, message: err.message })
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = req.url ?? '/'
  let operation = path.replace(/^\//, '')
  deps.onOperation?.(operation.split('?')[0] ?? operation)
  try {
    if (req.method !== 'POST')
      throw new OtsError('OTSMethodNotAllowed', 'Only POST method for requests is supported.', 405)
    let body: Buffer
    try {
      body = await readBody(req)
    } catch (err) {
      if (err instanceof BodyTooLarge)
        throw new OtsError('OTSRequestBodyTooLarge', 'The size of POST data is too large.', 413)
      throw err
    }
    authenticate(deps.auth, path, req.headers, body, Date.now())
    const routed = route(path)
    operation = routed.operation
    const apply = (mods: AnswerMods) => routed.handler(deps.state, body, mods)
    const out = deps.faults ? await deps.faults.run(operation, body, res, apply) : apply({})
    if (out === DROPPED) return
    send(res, deps.auth, path, 200, out)
    deps.onRequest({ operation, status: 200 })
  } catch (err) {
    const ots =
      err instanceof OtsError
        ? err
        : new OtsError(
            'OTSInternalServerError',
            `[im-search] [tablestore-emulator] internal error: ${(err as Error)?.message ?? String(err)}`,
            500,
          )
    send(res, deps.auth, path, ots.status, errorBody(ots))
    deps.onRequest({ operation, status: ots.status, errorCode: ots.code })
  }
}

/** Creates (but does not start) the HTTP server. */
export function createEmulatorServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    void handle(deps, req, res)
  })
}
