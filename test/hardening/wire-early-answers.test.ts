/**
 * Connections stay healthy after an early answer (issue #14). With Node's own `fetch`, after a 413
 * for an oversized body the next request on the pool succeeded and the one after it died with
 * `UND_ERR_SOCKET`. Every answer given before the body was read must leave a connection a pooling
 * client can reuse, or close it with `Connection: close`: each case below is followed by ten
 * ordinary requests on the same keep-alive pool (undici, the library behind Node's `fetch`), and
 * all of them must succeed.
 */
import { Readable } from 'node:stream'
import { Pool } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWireServer, type WireServer } from './wire-server.ts'

type Dispatch = Parameters<Pool['request']>[0]

const MIB = 1024 * 1024
const json = { 'content-type': 'application/json' }
/** A body that is valid JSON from its first byte on, so only its size or type is wrong. */
const jsonOf = (bytes: number) => `{"pad":"${'x'.repeat(Math.max(0, bytes - 10))}"}`
/** A chunked body: no content-length, so the server finds out the size only by reading. */
const chunked = (bytes: number) =>
  Readable.from(
    (function* () {
      for (let sent = 0; sent < bytes; sent += 64 * 1024) yield Buffer.alloc(64 * 1024, 'x')
    })(),
  )

let server: WireServer
let limited: WireServer

beforeAll(async () => {
  server = await startWireServer()
  // One request per caller a minute, so the second one is refused before its body is read.
  limited = await startWireServer({ rateLimitPerMinute: 1 })
})

afterAll(async () => {
  await server?.close()
  await limited?.close()
})

/** Sends `request` on a one-connection keep-alive pool, then ten ordinary requests on it. */
async function earlyAnswerThenTen(target: WireServer, request: Dispatch): Promise<number> {
  const pool = new Pool(target.url, { connections: 1, pipelining: 1 })
  try {
    const answer = await pool.request(request)
    await answer.body.dump()
    for (let i = 0; i < 10; i++) {
      const ordinary =
        i % 2 === 0
          ? await pool.request({ path: '/healthz', method: 'GET' })
          : await pool.request({ path: '/v1/nowhere', method: 'POST', headers: json, body: '{}' })
      await ordinary.body.dump()
      expect(ordinary.statusCode, `ordinary request ${i + 1} after the early answer`).toBe(
        i % 2 === 0 ? 200 : 404,
      )
    }
    return answer.statusCode
  } finally {
    await pool.close()
  }
}

describe('an early answer leaves a usable connection (issue #14)', () => {
  it('413 for a declared length past the limit, discarded', async () => {
    const auth = await server.bearer('ingestor', ['ingest'])
    const body = jsonOf(2 * MIB)
    const status = await earlyAnswerThenTen(server, {
      path: '/v1/messages',
      method: 'POST',
      headers: { ...json, authorization: auth },
      body,
    })
    expect(status).toBe(413)
  })

  it("the issue's own steps: Node's global fetch, a 413, then ten requests", async () => {
    const auth = await server.bearer('ingestor', ['ingest'])
    const refused = await fetch(`${server.url}v1/messages`, {
      method: 'POST',
      headers: { ...json, authorization: auth },
      body: jsonOf(2 * MIB),
    })
    expect(refused.status).toBe(413)
    await refused.arrayBuffer()
    for (let i = 0; i < 10; i++) {
      const ordinary = await fetch(`${server.url}healthz`)
      expect(ordinary.status, `request ${i + 1} after the 413`).toBe(200)
      await ordinary.arrayBuffer()
    }
  })

  it('413 for a declared length far past what is worth reading: the answer closes the connection', async () => {
    const auth = await server.bearer('ingestor', ['ingest'])
    const pool = new Pool(server.url, { connections: 1 })
    try {
      // Only the head and a little of the body are sent, so nothing depends on who hangs up first.
      const answer = await pool.request({
        path: '/v1/messages',
        method: 'POST',
        headers: { ...json, authorization: auth, 'content-length': String(64 * MIB) },
        body: Readable.from(
          (async function* () {
            yield Buffer.from('{"pad":"')
            await new Promise(() => {})
          })(),
        ),
      })
      expect(answer.statusCode).toBe(413)
      expect(answer.headers.connection).toBe('close')
      await answer.body.dump()
    } finally {
      await pool.destroy()
    }
    expect(await earlyAnswerThenTen(server, { path: '/healthz', method: 'GET' })).toBe(200)
  })

  it('413 half-way through a chunked body', async () => {
    const auth = await server.bearer('ingestor', ['ingest'])
    const status = await earlyAnswerThenTen(server, {
      path: '/v1/messages',
      method: 'POST',
      headers: { ...json, authorization: auth },
      body: chunked(3 * MIB),
    })
    expect(status).toBe(413)
  })

  it('a GET or HEAD with a body past the limit: answered as without one (a GET has no body to read)', async () => {
    const auth = await server.bearer('searcher', ['search'])
    for (const method of ['GET', 'HEAD'] as const) {
      for (const body of [jsonOf(2 * MIB), chunked(2 * MIB)]) {
        const status = await earlyAnswerThenTen(server, {
          path: `/v1/search/messages?q=${encodeURIComponent('上海')}`,
          method,
          headers: { authorization: auth },
          body,
        })
        expect(status, method).toBe(200)
      }
    }
  })

  it('415 for a body that is not JSON', async () => {
    const auth = await server.bearer('ingestor', ['ingest'])
    const status = await earlyAnswerThenTen(server, {
      path: '/v1/messages',
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: auth },
      body: 'x'.repeat(512 * 1024),
    })
    expect(status).toBe(415)
  })

  it('401 on a POST without a token, 403 with the wrong scope', async () => {
    const body = jsonOf(512 * 1024)
    expect(
      await earlyAnswerThenTen(server, { path: '/v1/messages', method: 'POST', headers: json, body }),
    ).toBe(401)
    const searcher = await server.bearer('searcher', ['search'])
    expect(
      await earlyAnswerThenTen(server, {
        path: '/v1/messages',
        method: 'POST',
        headers: { ...json, authorization: searcher },
        body: chunked(512 * 1024),
      }),
    ).toBe(403)
  })

  it('404 and 405 with a body', async () => {
    const body = chunked(512 * 1024)
    expect(
      await earlyAnswerThenTen(server, { path: '/v1/nowhere', method: 'POST', headers: json, body }),
    ).toBe(404)
    expect(
      await earlyAnswerThenTen(server, {
        path: '/healthz',
        method: 'POST',
        headers: json,
        body: jsonOf(512 * 1024),
      }),
    ).toBe(405)
  })

  it('429 for a caller over the rate limit', async () => {
    const auth = await limited.bearer('hasty', ['ingest'])
    const request = {
      path: '/v1/messages',
      method: 'POST',
      headers: { ...json, authorization: auth },
      body: jsonOf(512 * 1024),
    } as const
    await earlyAnswerThenTen(limited, { ...request, body: jsonOf(512 * 1024) })
    expect(await earlyAnswerThenTen(limited, { ...request, body: chunked(512 * 1024) })).toBe(429)
  })

  it('431 for headers past the limit', async () => {
    const status = await earlyAnswerThenTen(server, {
      path: '/healthz',
      method: 'GET',
      headers: { 'x-big': 'a'.repeat(64 * 1024) },
    })
    expect(status).toBe(431)
  })
})
