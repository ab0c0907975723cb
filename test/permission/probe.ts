/**
 * @module How the suite asks: every GET goes through {@link Prober}, which scans each answer for
 * people's coordinates (none may leave the service except in one's own profile), pages through
 * searches to the end, and keeps the cursors it saw for the forgery checks.
 */
import { expect } from 'vitest'
import { expectJson, expectProblem, type Harness, qs, type Reply } from '../routes/harness.ts'
import type { Model } from './model.ts'

export type Params = Record<string, string | number | readonly string[] | undefined>

/** A cursor the service issued, with the search it continues and what that search must find now. */
export interface IssuedCursor {
  caller: string
  path: string
  params: Params
  cursor: string
  /** Hits on the pages before this cursor. */
  before: string[]
  /** The total the search reported when the cursor was issued. */
  total: number
  /** Recomputes the full answer from the model as it is now (ids and total). */
  expected(): { ids: Set<string>; total: number }
}

export interface Paged {
  // biome-ignore lint/suspicious/noExplicitAny: hits are checked field by field against the model.
  hits: any[]
  total: number
}

/** At most this many pages per search: a cursor that never ends is a failure, not a hang. */
const MAX_PAGES = 60

export class Prober {
  /** Cursors issued in this phase of the script. */
  cursors: IssuedCursor[] = []

  constructor(
    readonly h: Harness,
    readonly model: Model,
  ) {}

  /** A GET as `caller`; the answer must not carry anyone's coordinates unless `ownProfile`. */
  async get(caller: string, path: string, params: Params = {}, ownProfile = false): Promise<Reply> {
    const reply = await this.h.get(caller, `${path}${qs(params)}`)
    if (!ownProfile) this.expectNoCoordinates(reply.body)
    return reply
  }

  /**
   * Every page of a search, `limit` at a time: each page 200 with the same total, every page but
   * the last full and with a cursor, the last without one.
   */
  async pageAll(
    caller: string,
    path: string,
    params: Params,
    expected: () => { ids: Set<string>; total: number },
    eachPage?: (body: Paged & Record<string, unknown>) => void,
  ): Promise<Paged> {
    const limit = Number(params.limit)
    const hits: Paged['hits'] = []
    const total = expected().total
    let cursor: string | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = expectJson(await this.get(caller, path, { ...params, cursor }), 200)
      expect(body.total).toBe(total)
      eachPage?.(body)
      hits.push(...body.hits)
      cursor = body.nextCursor
      if (cursor === undefined) {
        expect(body).not.toHaveProperty('nextCursor')
        expect(hits.length).toBe(total)
        return { hits, total }
      }
      expect(body.hits.length).toBe(limit)
      const before = hits.map(idOf)
      this.cursors.push({ caller, path, params, cursor, before, total, expected })
    }
    throw new Error(`${path} did not end after ${MAX_PAGES} pages`)
  }

  /**
   * A refusal about a record the caller may not see must be the refusal about one that does not
   * exist: same status, same problem document once the ids are swapped.
   */
  async expectSameAsMissing(
    caller: string,
    [path, id]: [string, string],
    [missingPath, missingId]: [string, string],
    params: Params = {},
  ): Promise<void> {
    const hidden = await this.get(caller, path, params)
    const missing = await this.get(caller, missingPath, params)
    expectProblem(hidden, 404)
    expectProblem(missing, 404)
    // `instance` is the request's own id: the one field that may differ.
    const strip = (reply: Reply, p: string, x: string) =>
      JSON.stringify({ ...reply.body, instance: undefined })
        .replaceAll(p, '<path>')
        .replaceAll(x, '<id>')
    expect(strip(hidden, path, id)).toBe(strip(missing, missingPath, missingId))
  }

  /** One assertion per answer: the paths of every value that is some person's latitude or longitude. */
  expectNoCoordinates(body: unknown): void {
    const forbidden = this.model.personCoordinates().flatMap((p) => [p.lat, p.lon])
    const leaks: string[] = []
    const walk = (value: unknown, path: string): void => {
      if (typeof value === 'number' && forbidden.includes(value)) leaks.push(path)
      else if (typeof value === 'string' && forbidden.some((n) => value.includes(String(n)))) leaks.push(path)
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`)
    }
    walk(body, '$')
    expect(leaks, 'coordinates in the answer').toEqual([])
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a hit of any search.
export function idOf(hit: any): string {
  return hit.messageId ?? hit.userId ?? hit.groupId ?? hit.conversationId
}
