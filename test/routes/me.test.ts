/**
 * `GET /v1/me/groups` and `GET /v1/me/contacts` (issue 4): the caller's own lists, from the
 * relation tables; contacts matched on name or nickname by the fuzzy rules, sorted and paged.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createFixtureHarness,
  createHarness,
  expectJson,
  expectProblem,
  type Harness,
  qs,
  T0,
} from './harness.ts'

type Contact = { userId: string; name: string; nickname?: string; addedAt: number; score: number }
const contactIds = (body: { hits: Contact[] }) => body.hits.map((x) => x.userId)
const contacts = (h: Harness, caller: string, params: Record<string, string | number | undefined> = {}) =>
  h.get(caller, `/v1/me/contacts${qs(params)}`)

describe('GET /v1/me/groups', () => {
  it('newest join first, with name and joinedAt; a leave removes the group', async () => {
    const h = createHarness()
    for (const id of ['u1', 'u2']) await h.ingest('PUT', `/v1/users/${id}`, { name: id })
    h.setNow(T0 + 1000)
    await h.ingest('PUT', '/v1/groups/g1', { name: '前端技术交流群', ownerId: 'u2' })
    await h.ingest('PUT', '/v1/groups/g2', {
      name: 'Team Alpha on-call',
      ownerId: 'u2',
      visibility: 'private',
    })
    await h.ingest('PUT', '/v1/groups/g3', { name: '杭州徒步俱乐部', ownerId: 'u2' })
    h.setNow(T0 + 3000)
    await h.ingest('PUT', '/v1/groups/g2/members/u1')
    h.setNow(T0 + 2000)
    await h.ingest('PUT', '/v1/groups/g1/members/u1')
    h.setNow(T0 + 4000)
    await h.ingest('PUT', '/v1/groups/g3/members/u1')

    expect(expectJson(await h.get('u1', '/v1/me/groups'), 200)).toEqual({
      hits: [
        { groupId: 'g3', name: '杭州徒步俱乐部', joinedAt: T0 + 4000 },
        { groupId: 'g2', name: 'Team Alpha on-call', joinedAt: T0 + 3000 },
        { groupId: 'g1', name: '前端技术交流群', joinedAt: T0 + 2000 },
      ],
    })
    await h.ingest('DELETE', '/v1/groups/g3/members/u1')
    expect(
      expectJson(await h.get('u1', '/v1/me/groups'), 200).hits.map((g: { groupId: string }) => g.groupId),
    ).toEqual(['g2', 'g1'])
    expect(expectJson(await h.get('nobody', '/v1/me/groups'), 200)).toEqual({ hits: [] })
  })

  it('on the fixtures: u1 is in g1, g2, g3 and g5, newest join first; u8 is in none', async () => {
    const h = await createFixtureHarness()
    const body = expectJson(await h.get('u1', '/v1/me/groups'), 200)
    const ids = body.hits.map((g: { groupId: string }) => g.groupId)
    expect(ids).toEqual(expect.arrayContaining(['g1', 'g2', 'g3', 'g5']))
    const times = body.hits.map((g: { joinedAt: number }) => g.joinedAt)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(body.hits.find((g: { groupId: string }) => g.groupId === 'g2')).toMatchObject({
      name: '表格存储开发者群',
    })
    expect(expectJson(await h.get('u8', '/v1/me/groups'), 200)).toEqual({ hits: [] })
    const u10 = expectJson(await h.get('u10', '/v1/me/groups'), 200)
    expect(u10.hits.find((g: { groupId: string }) => g.groupId === 'g1')?.joinedAt).toBe(
      Date.parse('2025-07-01T09:00:00Z'),
    )
  })
})

describe('GET /v1/me/contacts on the fixtures', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createFixtureHarness()
  })

  it("u1's contacts include u2..u7 with u1's nicknames; newest added first by default", async () => {
    const body = expectJson(await contacts(h, 'u1', { limit: 100 }), 200)
    expect(contactIds(body)).toEqual(expect.arrayContaining(['u2', 'u3', 'u4', 'u5', 'u6', 'u7']))
    expect(body.total).toBe(body.hits.length)
    expect(body).not.toHaveProperty('nextCursor')
    const byId = new Map<string, Contact>(body.hits.map((c: Contact) => [c.userId, c]))
    expect(byId.get('u2')).toMatchObject({ name: '王芳', nickname: '芳芳' })
    expect(byId.get('u3')).toMatchObject({ name: '张伟', nickname: '北京张伟' })
    expect(byId.get('u5')).toMatchObject({ name: '刘洋', nickname: '小刘' })
    const added = body.hits.map((c: Contact) => c.addedAt)
    expect([...added].sort((a, b) => b - a)).toEqual(added)
    // Mirrored rows carry the other side's own nickname.
    const u2 = expectJson(await contacts(h, 'u2', { q: '老张' }), 200)
    expect(u2.hits[0]).toMatchObject({ userId: 'u1', name: '张伟', nickname: '老张' })
    const u3 = expectJson(await contacts(h, 'u3', { q: '杭州张伟' }), 200)
    expect(contactIds(u3)).toEqual(['u1'])
  })

  it('q matches the name or the nickname, with pinyin and prefixes', async () => {
    expect(contactIds(expectJson(await contacts(h, 'u1', { q: '芳芳' }), 200))).toEqual(['u2'])
    expect(contactIds(expectJson(await contacts(h, 'u1', { q: '王芳' }), 200))).toEqual(['u2'])
    expect(contactIds(expectJson(await contacts(h, 'u1', { q: 'wangfang' }), 200))).toContain('u2')
    expect(contactIds(expectJson(await contacts(h, 'u1', { q: '小刘' }), 200))).toEqual(['u5'])
    expect(contactIds(expectJson(await contacts(h, 'u1', { q: 'Alice' }), 200))).toEqual(['u6'])
    expect(contactIds(expectJson(await contacts(h, 'u1', { q: 'Alice Jonson' }), 200))).toEqual(['u6'])
    const zw = contactIds(expectJson(await contacts(h, 'u1', { q: 'zw' }), 200))
    expect(zw).toEqual(expect.arrayContaining(['u3', 'u4']))
    // Only the caller's own contacts: u8 has none, u1 is not a contact of u8.
    expect(expectJson(await contacts(h, 'u8', { q: '张伟' }), 200)).toEqual({ hits: [], total: 0 })
  })

  it('sort=name orders by name; sort=added newest first', async () => {
    const byName = expectJson(await contacts(h, 'u1', { sort: 'name', limit: 100 }), 200)
    const byAdded = expectJson(await contacts(h, 'u1', { sort: 'added', limit: 100 }), 200)
    expect(contactIds(byName).sort()).toEqual(contactIds(byAdded).sort())
    expect(contactIds(byName)).not.toEqual(contactIds(byAdded))
    const added = byAdded.hits.map((c: Contact) => c.addedAt)
    expect([...added].sort((a, b) => b - a)).toEqual(added)
    expect(expectJson(await contacts(h, 'u1', { limit: 100 }), 200).hits).toEqual(byAdded.hits)
  })

  it('cursor paging without skips or repeats; 400 for a foreign cursor and bad parameters', async () => {
    const all = expectJson(await contacts(h, 'u1', { sort: 'name', limit: 100 }), 200)
    const seen: string[] = []
    let cursor: string | undefined
    let first: string | undefined
    do {
      const page = expectJson(await contacts(h, 'u1', { sort: 'name', limit: 3, cursor }), 200)
      expect(page.total).toBe(all.total)
      seen.push(...contactIds(page))
      cursor = page.nextCursor
      first ??= cursor
    } while (cursor !== undefined)
    expect(seen).toEqual(contactIds(all))
    expect(first).toEqual(expect.any(String))
    expectProblem(await contacts(h, 'u2', { sort: 'name', limit: 3, cursor: first }), 400, 'cursor')
    expectProblem(await contacts(h, 'u1', { sort: 'added', limit: 3, cursor: first }), 400, 'cursor')
    expectProblem(await contacts(h, 'u1', { sort: 'newest' }), 400, 'query.sort')
    expectProblem(await contacts(h, 'u1', { limit: 101 }), 400, 'query.limit')
    expectProblem(await contacts(h, 'u1', { q: 'x'.repeat(257) }), 400, 'query.q')
  })
})
