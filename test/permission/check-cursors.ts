/**
 * @module Cursors are opaque and tamper-proof (issue 8): a cursor that is not exactly one the
 * service issued to this caller for this search — random bytes, one character changed, cut,
 * lengthened, another caller's, another search's, another endpoint's, or two spliced together —
 * is a 400 naming `cursor`, never a page. The one legal variation, another page size, continues
 * the same search. A cursor kept across data changes is refused or answers from the data as it is
 * now, never with what the caller may no longer see.
 */
import { expect } from 'vitest'
import { expectJson, expectProblem, type Reply } from '../routes/harness.ts'
import { checkMessageSearch } from './check-messages.ts'
import { type IssuedCursor, idOf, type Params, type Prober } from './probe.ts'
import type { Attack } from './probes.ts'
import { USER_IDS } from './world.ts'

/** A valid search on each endpoint, for replaying a cursor where it was not issued. */
const ELSEWHERE: Record<string, Params> = {
  '/v1/search/messages': { q: '上海', limit: 3 },
  '/v1/search/users': { q: '张', limit: 3 },
  '/v1/search/groups': { q: '的群', limit: 3 },
  '/v1/me/contacts': { sort: 'name', limit: 3 },
  '/v1/search/conversations': { q: '上海', limit: 3 },
}

/** The same search with one parameter that is part of it changed. */
function otherSearch(issued: IssuedCursor): Params {
  const { params } = issued
  switch (issued.path) {
    case '/v1/search/messages':
      return { ...params, sort: params.sort === 'oldest' ? 'newest' : 'oldest' }
    case '/v1/me/contacts':
      return { ...params, sort: params.sort === 'name' ? 'added' : 'name' }
    case '/v1/search/conversations':
      return { ...params, tz: params.tz === 'Asia/Shanghai' ? 'UTC' : 'Asia/Shanghai' }
    default:
      return { ...params, tagMode: params.tagMode === 'all' ? 'any' : 'all' }
  }
}

export async function checkCursorAttack(
  p: Prober,
  caller: string,
  pick: number,
  attack: Attack,
): Promise<void> {
  const refused = (reply: Reply) => expectProblem(reply, 400, 'cursor')
  if (attack.kind === 'bytes') {
    const cursor = Buffer.from(attack.bytes).toString('base64url')
    for (const [path, params] of Object.entries(ELSEWHERE))
      refused(await p.get(caller, path, { ...params, cursor }))
    return
  }
  // Nothing paged yet: page through the caller's messages one at a time, which issues cursors.
  if (p.cursors.length === 0) await checkMessageSearch(p, { caller, limit: 1 })
  const issued = p.cursors[pick % Math.max(1, p.cursors.length)]
  if (!issued) return
  const { cursor, path, params } = issued
  const replay = (forged: string, as = issued.caller, on = path, with_: Params = params) =>
    p.get(as, on, { ...with_, cursor: forged })
  switch (attack.kind) {
    case 'flip': {
      const at = attack.at % cursor.length
      const forged = cursor.slice(0, at) + attack.char + cursor.slice(at + 1)
      if (forged !== cursor) refused(await replay(forged))
      return
    }
    case 'truncate':
      refused(await replay(cursor.slice(0, 1 + (attack.at % (cursor.length - 1)))))
      return
    case 'extend':
      refused(await replay(cursor + attack.tail))
      return
    case 'other-user': {
      const other = USER_IDS.find((u) => u !== issued.caller) as string
      refused(await replay(cursor, caller === issued.caller ? other : caller))
      return
    }
    case 'other-search':
      refused(await replay(cursor, issued.caller, path, otherSearch(issued)))
      return
    case 'other-endpoint': {
      const [on, with_] = Object.entries(ELSEWHERE).find(([x]) => x !== path) as [string, Params]
      refused(await replay(cursor, issued.caller, on, with_))
      return
    }
    case 'splice': {
      const other = p.cursors[attack.other % p.cursors.length] as IssuedCursor
      const [body] = cursor.split('.')
      const [, signature] = other.cursor.split('.')
      const forged = `${body}.${signature}`
      if (forged !== cursor) refused(await replay(forged))
      refused(await replay(`${cursor}.${signature}`))
      return
    }
    case 'other-limit': {
      // The page size is not part of the search: the rest of the same answer, nothing else.
      const body = expectJson(await replay(cursor, issued.caller, path, { ...params, limit: 100 }), 200)
      const expected = issued.expected()
      expect(body.total).toBe(expected.total)
      expect(body).not.toHaveProperty('nextCursor')
      const rest = body.hits.map(idOf)
      expect([...issued.before, ...rest].sort()).toEqual([...expected.ids].sort())
      return
    }
  }
}

/**
 * A cursor issued before the data changed: a 400, or a page of the search as it is now (hits
 * the caller may still see and that still match, and today's total), never more.
 */
export async function checkStaleCursor(p: Prober, issued: IssuedCursor): Promise<void> {
  const reply = await p.get(issued.caller, issued.path, { ...issued.params, cursor: issued.cursor })
  if (reply.status === 400) {
    expectProblem(reply, 400, 'cursor')
    return
  }
  const body = expectJson(reply, 200)
  const now = issued.expected()
  for (const hit of body.hits) expect(now.ids.has(idOf(hit)), `stale cursor showed ${idOf(hit)}`).toBe(true)
  expect(body.total, 'stale cursor total').toBe(now.total)
}
