/**
 * @module Sends a fuzz request through the app and checks the one contract every answer keeps:
 * never a 5xx, every 4xx an RFC 9457 problem document, and an answer within a bound (no hang).
 */
import { expect } from 'vitest'
import type { FuzzRequest } from './fuzz-requests.ts'

/**
 * A request, body read included, must finish within this. Generous because the 2-core CI machine
 * is shared; the slowest hostile requests (1 MiB bodies, 70,000-character queries) take ~100 ms.
 */
export const ANSWER_TIMEOUT_MS = 5_000

export interface Answer {
  status: number
  contentType: string
  text: string
  ms: number
}

interface Fetcher {
  request(url: string, init: RequestInit): Response | Promise<Response>
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (a hang?): ${what}`)), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Shortens a request for failure messages: a 70,000-character URL helps nobody. */
export function describeRequest(req: FuzzRequest): string {
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s)
  const body =
    req.body === undefined
      ? ''
      : typeof req.body === 'string'
        ? ` body ${cut(req.body)}`
        : ` body bytes ${cut(Buffer.from(req.body).toString('hex'))}`
  return `${req.method} ${cut(req.url)}${body}`
}

async function sendOnce(app: Fetcher, req: FuzzRequest, authorization: string): Promise<Answer> {
  const started = performance.now()
  const headers: Record<string, string> = { authorization }
  if (req.body !== undefined) headers['content-type'] = 'application/json'
  return withTimeout(
    (async () => {
      const res = await app.request(req.url, { method: req.method, headers, body: req.body })
      const text = await res.text()
      const contentType = res.headers.get('content-type') ?? ''
      return { status: res.status, contentType, text, ms: performance.now() - started }
    })(),
    ANSWER_TIMEOUT_MS,
    describeRequest(req),
  )
}

/**
 * Sends the request; one that misses the bound is sent once more. A hang misses it both times,
 * while a machine busy with other suites (the load test runs beside this one in `npm test`)
 * only delays one answer now and then.
 */
export async function send(app: Fetcher, req: FuzzRequest, authorization: string): Promise<Answer> {
  try {
    return await sendOnce(app, req, authorization)
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('no answer within'))) throw error
    return sendOnce(app, req, authorization)
  }
}

/** Never a 5xx; a 4xx is a problem document whose `status` is the response's. */
export function expectWellFormed(answer: Answer, req: FuzzRequest): void {
  const what = `${describeRequest(req)} → ${answer.status} ${answer.text.slice(0, 300)}`
  expect(answer.status, what).toBeLessThan(500)
  if (answer.status < 400) {
    if (answer.status !== 204) expect(answer.contentType, what).toMatch(/^application\/json/)
    return
  }
  expect(answer.contentType, what).toBe('application/problem+json')
  const problem = JSON.parse(answer.text) as Record<string, unknown>
  expect(problem.status, what).toBe(answer.status)
  for (const field of ['type', 'title', 'detail'])
    expect(typeof problem[field], `${field}: ${what}`).toBe('string')
}
