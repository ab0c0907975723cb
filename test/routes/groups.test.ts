/**
 * `PUT/GET/DELETE /v1/groups/{groupId}`, `PUT/DELETE /v1/groups/{groupId}/members/{userId}` and
 * `GET /v1/groups/{groupId}/members` (issue 4): a private group is visible only to its members.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createHarness, expectJson, expectProblem, type Harness, qs, T0 } from './harness.ts'

describe('groups and members', () => {
  let h: Harness
  beforeEach(async () => {
    h = createHarness()
    h.setNow(T0 + 60_000)
    for (const [id, name] of [
      ['u1', '张伟'],
      ['u2', '王芳'],
      ['u3', '张伟'],
      ['u7', '陈静'],
    ])
      await h.ingest('PUT', `/v1/users/${id}`, { name })
  })

  it('PUT creates (201) with the owner as the only member, replaces (200) keeping createdAt', async () => {
    const created = expectJson(
      await h.ingest('PUT', '/v1/groups/g1', {
        name: '前端技术交流群',
        description: 'React, Vue 和 TypeScript',
        tags: ['前端', { name: 'javascript', weight: 2 }],
        location: { lat: 30.27, lon: 120.12 },
        ownerId: 'u1',
      }),
      201,
    )
    expect(created).toEqual({
      groupId: 'g1',
      name: '前端技术交流群',
      description: 'React, Vue 和 TypeScript',
      tags: [
        { name: '前端', weight: 1 },
        { name: 'javascript', weight: 2 },
      ],
      location: { lat: 30.27, lon: 120.12 },
      visibility: 'public',
      ownerId: 'u1',
      createdAt: T0 + 60_000,
      memberCount: 1,
    })
    expect(expectJson(await h.get('u1', '/v1/groups/g1/members'), 200)).toEqual({
      hits: [{ groupId: 'g1', userId: 'u1', joinedAt: T0 + 60_000 }],
      total: 1,
    })
    h.setNow(T0 + 120_000)
    const replaced = expectJson(
      await h.ingest('PUT', '/v1/groups/g1', { name: 'Frontend 前端', ownerId: 'u1' }),
      200,
    )
    expect(replaced).toMatchObject({
      groupId: 'g1',
      name: 'Frontend 前端',
      createdAt: T0 + 60_000,
      memberCount: 1,
    })
    expect(expectJson(await h.get('u2', '/v1/groups/g1'), 200).name).toBe('Frontend 前端')
  })

  it.each([
    ['missing ownerId', { name: 'x' }, 'body.ownerId'],
    ['unknown visibility', { name: 'x', ownerId: 'u1', visibility: 'secret' }, 'body.visibility'],
    ['missing name', { ownerId: 'u1' }, 'body.name'],
    [
      'longitude out of range',
      { name: 'x', ownerId: 'u1', location: { lat: 0, lon: 181 } },
      'body.location.lon',
    ],
  ])('PUT 400 for %s', async (_label, body, path) => {
    expectProblem(await h.ingest('PUT', '/v1/groups/g9', body), 400, path)
    expectProblem(await h.get('u1', '/v1/groups/g9'), 404)
  })

  it('a public group is visible to anyone; a private one only to its members (404 otherwise)', async () => {
    await h.ingest('PUT', '/v1/groups/g1', { name: '前端技术交流群', ownerId: 'u1' })
    await h.ingest('PUT', '/v1/groups/g2', { name: '表格存储开发者群', ownerId: 'u7', visibility: 'private' })
    await h.ingest('PUT', '/v1/groups/g2/members/u1')

    expect(expectJson(await h.get('u2', '/v1/groups/g1'), 200)).toMatchObject({
      groupId: 'g1',
      visibility: 'public',
    })
    expect(expectJson(await h.get('u2', '/v1/groups/g1/members'), 200).total).toBe(1)

    for (const member of ['u7', 'u1']) {
      expect(expectJson(await h.get(member, '/v1/groups/g2'), 200)).toMatchObject({
        groupId: 'g2',
        visibility: 'private',
        memberCount: 2,
      })
      expect(expectJson(await h.get(member, '/v1/groups/g2/members'), 200)).toMatchObject({
        hits: [{ userId: 'u1' }, { userId: 'u7' }],
        total: 2,
      })
    }
    for (const outsider of ['u2', 'u3']) {
      const p = expectProblem(await h.get(outsider, '/v1/groups/g2'), 404)
      // The same answer as for a group that does not exist.
      expect(p.detail).toBe(
        expectProblem(await h.get(outsider, '/v1/groups/g404'), 404).detail.replace('g404', 'g2'),
      )
      expectProblem(await h.get(outsider, '/v1/groups/g2/members'), 404)
    }
    expectProblem(await h.get('u1', '/v1/groups/g404/members'), 404)
  })

  it('PUT member: 201 when joining, 200 when already a member, 404 for an unknown group', async () => {
    await h.ingest('PUT', '/v1/groups/g3', { name: '杭州徒步俱乐部', ownerId: 'u2' })
    h.setNow(T0 + 90_000)
    const joined = expectJson(await h.ingest('PUT', '/v1/groups/g3/members/u1'), 201)
    expect(joined).toEqual({ groupId: 'g3', userId: 'u1', joinedAt: T0 + 90_000 })
    h.setNow(T0 + 95_000)
    // Already a member: the stored membership, with the original join time.
    expect(expectJson(await h.ingest('PUT', '/v1/groups/g3/members/u1'), 200)).toEqual(joined)
    expect(expectJson(await h.get('u3', '/v1/groups/g3'), 200).memberCount).toBe(2)
    expectProblem(await h.ingest('PUT', '/v1/groups/g404/members/u1'), 404)
    expectProblem(await h.ingest('PUT', '/v1/groups/g3/members/not%20an%20id'), 400, 'params.userId')
  })

  it('DELETE member: 204, 404 when not a member, 409 for the owner; memberCount follows', async () => {
    await h.ingest('PUT', '/v1/groups/g3', { name: '杭州徒步俱乐部', ownerId: 'u2' })
    await h.ingest('PUT', '/v1/groups/g3/members/u1')
    await h.ingest('PUT', '/v1/groups/g3/members/u3')
    expect(expectJson(await h.get('u1', `/v1/search/groups${qs({ q: '徒步' })}`), 200).hits).toEqual([
      expect.objectContaining({ groupId: 'g3', memberCount: 3 }),
    ])

    const reply = await h.ingest('DELETE', '/v1/groups/g3/members/u1')
    expect(reply.status).toBe(204)
    expect(expectJson(await h.get('u1', '/v1/groups/g3/members'), 200)).toMatchObject({
      hits: [{ userId: 'u2' }, { userId: 'u3' }],
      total: 2,
    })
    expect(
      expectJson(await h.get('u1', `/v1/search/groups${qs({ q: '徒步' })}`), 200).hits[0].memberCount,
    ).toBe(2)
    expectProblem(await h.ingest('DELETE', '/v1/groups/g3/members/u1'), 404)
    expectProblem(await h.ingest('DELETE', '/v1/groups/g3/members/u2'), 409)
    expectProblem(await h.ingest('DELETE', '/v1/groups/g404/members/u2'), 404)
  })

  it('DELETE group: 204, then gone from reads, search and my groups; 404 the second time', async () => {
    await h.ingest('PUT', '/v1/groups/g1', { name: '前端技术交流群', ownerId: 'u1' })
    await h.ingest('PUT', '/v1/groups/g1/members/u2')
    const reply = await h.ingest('DELETE', '/v1/groups/g1')
    expect(reply.status).toBe(204)
    expectProblem(await h.get('u1', '/v1/groups/g1'), 404)
    expectProblem(await h.get('u1', '/v1/groups/g1/members'), 404)
    expect(expectJson(await h.get('u1', `/v1/search/groups${qs({ q: '前端' })}`), 200)).toEqual({
      hits: [],
      total: 0,
    })
    expect(expectJson(await h.get('u2', '/v1/me/groups'), 200)).toEqual({ hits: [] })
    expectProblem(await h.ingest('DELETE', '/v1/groups/g1'), 404)
  })
})
