import { describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../src/http/app.ts'
import { toProblemError } from '../../src/http/error-handler.ts'
import { PROBLEM_BASE_URI, ProblemError } from '../../src/http/problem.ts'
import { invalidInput } from '../../src/services/errors.ts'
import { authHeader, problemOf, testApp } from './support.ts'

const { app, logs } = testApp({
  mapError: (error) =>
    error instanceof Error && error.message === 'backend down'
      ? new ProblemError(503, { detail: 'the search backend is unavailable' })
      : undefined,
})

async function put(
  body: string | Buffer | null,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return app.request('/v1/items/i1', {
    method: 'PUT',
    headers: { ...(await authHeader()), ...headers },
    body,
  })
}

describe('problem documents', () => {
  it('one type, one title: a service 400 and a validation 400 are both "Invalid input"', () => {
    const fromService = toProblemError(invalidInput('q: 17 terms, at most 16')).toDocument()
    const fromValidation = ProblemError.invalid([{ path: 'query.q', message: 'too long' }]).toDocument()
    expect(fromService).toMatchObject({ type: fromValidation.type, title: 'Invalid input', status: 400 })
    expect(fromValidation.title).toBe('Invalid input')
  })

  it('400 names each invalid field with a path', async () => {
    const res = await put(JSON.stringify({ name: '', tags: ['a', 'b', 'c', 'd'], count: 1.5 }))
    expect(res.status).toBe(400)
    const { contentType, body } = await problemOf(res)
    expect(contentType).toBe('application/problem+json')
    expect(body).toMatchObject({
      type: `${PROBLEM_BASE_URI}invalid-input`,
      title: 'Invalid input',
      status: 400,
    })
    expect(body.errors?.map((e) => e.path).sort()).toEqual(['body.count', 'body.name', 'body.tags'])
    expect(body.detail).toContain('body.')
    for (const e of body.errors ?? []) expect(e.message.length).toBeGreaterThan(0)
  })

  it('400 paths include array indexes, params and query', async () => {
    const nested = await problemOf(
      await put(JSON.stringify({ name: 'x', tags: ['ok', 'much-too-long-tag'] })),
    )
    expect(nested.body.errors?.map((e) => e.path)).toEqual(['body.tags[1]'])

    const badParam = await app.request('/v1/items/a%20b', { headers: await authHeader() })
    expect(badParam.status).toBe(400)
    expect((await problemOf(badParam)).body.errors?.[0]?.path).toBe('params.itemId')

    const badQuery = await app.request('/v1/items/i1?limit=1000', { headers: await authHeader() })
    expect(badQuery.status).toBe(400)
    expect((await problemOf(badQuery)).body.errors?.[0]?.path).toBe('query.limit')
  })

  it('400 for a missing body, malformed JSON, and JSON that is not an object', async () => {
    for (const body of [null, '{"name":', '{name: 1}', '', 'null', '[]', '"x"']) {
      const res = await put(body)
      expect(res.status, `body ${JSON.stringify(body)}`).toBe(400)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    }
  })

  it('lone surrogates, control characters and odd Unicode never cause a 500', async () => {
    const bodies = [
      '{"name":"\\ud800"}',
      '{"name":"\\udfff\\ud800x"}',
      '{"name":"\\u0000\\u001f"}',
      '{"name":"a\u0001b"}', // raw control character inside a string: invalid JSON
      '{"name":"\uFEFF\u202E"}',
      Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0xff, 0xfe, 0x7d]), // invalid UTF-8
    ]
    for (const body of bodies) {
      const res = await put(body)
      expect(res.status, String(body)).toBeLessThan(500)
      await res.text()
    }
    // A lone surrogate is not text: refused (issue #8), as the UTF-8 stores would keep U+FFFD.
    const refused = await put('{"name":"\\ud83d"}')
    expect(refused.status).toBe(400)
    expect((await problemOf(refused)).body.errors?.[0]?.path).toBe('body.name')
    // A pair is one character and passes.
    expect((await put('{"name":"\\ud83d\\ude00"}')).status).toBe(200)
  })

  it('415 for a body that is not JSON', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await put('name=x', { 'content-type': type })
      expect(res.status, type).toBe(415)
      const { body } = await problemOf(res)
      expect(body.type).toBe(`${PROBLEM_BASE_URI}unsupported-media-type`)
    }
    const untyped = await app.request(
      new Request('http://localhost/v1/items/i1', {
        method: 'PUT',
        headers: await authHeader(),
        body: new Blob(['{"name":"x"}']),
      }),
    )
    expect(untyped.status).toBe(415)
  })

  it('accepts JSON media types with parameters and +json suffixes', async () => {
    expect((await put('{"name":"x"}', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(
      200,
    )
    expect((await put('{"name":"x"}', { 'content-type': 'application/merge-patch+json' })).status).toBe(200)
  })

  it('413 for a body over 1 MiB, with or without content-length', async () => {
    const big = JSON.stringify({ name: 'x', pad: 'a'.repeat(MAX_BODY_BYTES) })
    const withLength = await put(big, {
      'content-type': 'application/json',
      'content-length': String(big.length),
    })
    expect(withLength.status).toBe(413)
    expect((await problemOf(withLength)).body.type).toBe(`${PROBLEM_BASE_URI}payload-too-large`)

    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x20))
        controller.close()
      },
    })
    const chunked = await app.request(
      new Request('http://localhost/v1/items/i1', {
        method: 'PUT',
        headers: { ...(await authHeader()), 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    )
    expect(chunked.status).toBe(413)
  })

  it('a body just under the limit is accepted by the limit', async () => {
    const body = JSON.stringify({ name: 'x', pad: 'a'.repeat(MAX_BODY_BYTES - 100) })
    expect((await put(body)).status).toBe(200)
  })

  it('404 for unknown routes, as a problem', async () => {
    for (const path of ['/nope', '/v1', '/v1/items', '/v1/items/i1/extra']) {
      const res = await app.request(path)
      expect(res.status, path).toBe(404)
      const { contentType, body } = await problemOf(res)
      expect(contentType).toBe('application/problem+json')
      expect(body).toMatchObject({ status: 404, type: `${PROBLEM_BASE_URI}not-found` })
    }
  })

  it('404 thrown by a handler keeps its detail', async () => {
    const res = await app.request('/v1/items/missing', { headers: await authHeader() })
    expect(res.status).toBe(404)
    expect((await problemOf(res)).body.detail).toBe('no item missing')
  })

  it('405 with Allow for a known path and a wrong method', async () => {
    const res = await app.request('/v1/items/i1', { method: 'POST', body: 'x' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('PUT, GET, HEAD')
    const { contentType, body } = await problemOf(res)
    expect(contentType).toBe('application/problem+json')
    expect(body.type).toBe(`${PROBLEM_BASE_URI}method-not-allowed`)
    expect((await app.request('/healthz', { method: 'DELETE' })).status).toBe(405)
  })

  it('500 hides internals, logs them, and carries the request id', async () => {
    const res = await app.request('/v1/boom', { headers: { 'x-request-id': 'req-boom-1' } })
    expect(res.status).toBe(500)
    expect(res.headers.get('x-request-id')).toBe('req-boom-1')
    const { body } = await problemOf(res)
    expect(body).toMatchObject({ status: 500, type: `${PROBLEM_BASE_URI}internal`, instance: 'req-boom-1' })
    expect(JSON.stringify(body)).not.toContain('internal detail')
    const line = logs.lines.find((l) => l.msg === 'request failed')
    expect(line?.reqId).toBe('req-boom-1')
    expect(JSON.stringify(line)).toContain('internal detail')
  })

  it('mapError turns adapter errors into 503', async () => {
    const local = testApp({
      mapError: (error) =>
        error instanceof Error && error.message === 'backend down' ? new ProblemError(503) : undefined,
    })
    local.app.get('/v1/down', () => {
      throw new Error('backend down')
    })
    // Routes added after the first request still work: the app is an ordinary Hono app.
    const res = await local.app.request('/v1/down')
    expect(res.status).toBe(503)
    expect((await problemOf(res)).body.type).toBe(`${PROBLEM_BASE_URI}unavailable`)
  })

  it('ProblemError defaults by status and allows overrides', () => {
    const conflict = new ProblemError(409, { slug: 'message-conflict', detail: 'different content' })
    expect(conflict.toDocument('r1')).toEqual({
      type: `${PROBLEM_BASE_URI}message-conflict`,
      title: 'Conflict',
      status: 409,
      detail: 'different content',
      instance: 'r1',
    })
    expect(new ProblemError(418).type).toBe(`${PROBLEM_BASE_URI}invalid-request`)
    expect(new ProblemError(502).type).toBe(`${PROBLEM_BASE_URI}internal`)
  })
})
