/**
 * Bad input on the wire (issue #8): what `app.request()` cannot send — raw bytes in the request
 * line, chunked bodies past the limit, bodies cut short or trickled, oversized headers — sent over
 * a socket to the real Node server. Never a 5xx, never a hang, and the server keeps answering.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureLogs } from '../http/support.ts'
import { startWireServer, type WireServer } from './wire-server.ts'

const ANSWER_TIMEOUT_MS = 5_000

/** The app's own log, to tell a client's hang-up from a server failure. */
const logs = captureLogs()
let server: WireServer
let port: number
let auth: string

beforeAll(async () => {
  server = await startWireServer({ logger: logs.logger })
  port = server.port
  auth = await server.bearer('ingestor', ['ingest', 'search'])
})

afterAll(async () => {
  await server.close()
})

/** Writes `parts` (pausing `gapMs` between them), optionally ends the socket, and reads the answer. */
function raw(parts: (string | Buffer)[], options: { gapMs?: number; end?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`))
    }, ANSWER_TIMEOUT_MS)
    socket.on('data', (chunk) => {
      chunks.push(chunk)
      // One answer is all we wait for: its head and, when announced, its whole body.
      const text = Buffer.concat(chunks).toString('latin1')
      const length = /content-length: *(\d+)/i.exec(text)
      const head = text.indexOf('\r\n\r\n')
      if (head >= 0 && (!length || text.length - head - 4 >= Number(length[1]))) socket.end()
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks).toString('utf8'))
    })
    socket.on('error', () => {})
    void (async () => {
      for (const part of parts) {
        socket.write(part)
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs))
      }
      if (options.end) socket.end()
    })()
  })
}

/** Waits for the access-log line of the next request to `path`. */
async function accessLogLine(path: string): Promise<Record<string, unknown>> {
  for (let waited = 0; waited < ANSWER_TIMEOUT_MS; waited += 20) {
    const line = logs.lines.find((l) => l.msg === 'request' && l.path === path)
    if (line) {
      logs.lines.length = 0
      return line
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`no access-log line for ${path}`)
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1])

function expectProblem(answer: string, status: number): void {
  expect(statusOf(answer), answer.slice(0, 300)).toBe(status)
  expect(answer).toMatch(/content-type: application\/problem\+json/i)
}

async function expectHealthy(): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`)
  expect(res.status).toBe(200)
}

describe('bad input on the wire', () => {
  it('raw bytes in the request line: never a 5xx', async () => {
    const targets = [
      Buffer.from('/v1/search/messages?q=\xff\xfe\x00', 'latin1'),
      Buffer.from([0x2f, 0x76, 0x31, 0x2f, 0x75, 0x73, 0x65, 0x72, 0x73, 0x2f, 0xed, 0xa0, 0x80]),
      Buffer.from('/v1/search/messages?q=a b c'),
      Buffer.from(`/v1/search/messages?q=${'%'.repeat(3000)}`),
    ]
    for (const target of targets) {
      const answer = await raw([
        Buffer.concat([
          Buffer.from('GET '),
          target,
          Buffer.from(` HTTP/1.1\r\nhost: x\r\nauthorization: ${auth}\r\n\r\n`),
        ]),
      ])
      expect(statusOf(answer), answer.slice(0, 200)).toBeLessThan(500)
    }
    await expectHealthy()
  })

  it('a chunked body past 1 MiB: 413 problem', async () => {
    const head =
      'POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
      `authorization: ${auth}\r\ntransfer-encoding: chunked\r\n\r\n`
    const chunk = `${(64 * 1024).toString(16)}\r\n${'x'.repeat(64 * 1024)}\r\n`
    const answer = await raw([head, ...Array.from({ length: 20 }, () => chunk), '0\r\n\r\n'])
    expectProblem(answer, 413)
    await expectHealthy()
  })

  it('a body cut short by the client, and a body trickled in: no hang, the server goes on', async () => {
    const head = (length: number) =>
      'POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
      `authorization: ${auth}\r\ncontent-length: ${length}\r\n\r\n`
    // Announces 1,000 bytes, sends 10, hangs up: nobody is left to answer, and it is the client's
    // doing, so a 499 in the access log, not an error and a 503 "backend unavailable" (issue #8).
    logs.lines.length = 0
    await raw([head(1000), '{"message'], { end: true })
    const line = await accessLogLine('/v1/messages')
    expect(line.status).toBe(499)
    expect(logs.lines.filter((l) => Number(l.level) >= 50)).toEqual([])
    // Trickled over ~1 s in 20 pieces: answered like any other invalid body.
    const body = '{"messageId":"w1","conversationId":"dm:a:b","senderId":"a","content":1}'
    const pieces = body.match(/.{1,4}/g) as string[]
    expectProblem(await raw([head(Buffer.byteLength(body)), ...pieces], { gapMs: 50 }), 400)
    await expectHealthy()
  })

  it('a body longer than its content-length, and oversized headers: refused, never a 5xx', async () => {
    const smuggled =
      'POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
      `authorization: ${auth}\r\ncontent-length: 2\r\n\r\n{}GARBAGE / HTTP/1.1\r\n\r\n`
    // Node's parser refuses the pipelined garbage itself (connection closed), possibly before the
    // app answers the first request: whatever comes back is a 400 problem.
    const answer = await raw([smuggled])
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]))
    expect(statuses.length).toBeGreaterThan(0)
    for (const status of statuses) expect(status).toBe(400)
    expect(answer.match(/content-type: application\/problem\+json/gi)?.length).toBe(statuses.length)
    const huge = `GET /v1/me/groups HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(64 * 1024)}\r\n\r\n`
    const refused = await raw([huge])
    expectProblem(refused, 431)
    expect(JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 431,
      type: expect.stringContaining('malformed-http'),
    })
    await expectHealthy()
  })
})
