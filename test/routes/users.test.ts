/**
 * `PUT/GET/DELETE /v1/users/{userId}` and `PUT/DELETE /v1/users/{userId}/contacts/{contactId}`
 * (issue 4): ingestion answers, validation problems, and the privacy rules of profile reads.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createHarness, expectJson, expectProblem, type Harness, qs, T0 } from './harness.ts'

const HANGZHOU = { lat: 30.263093, lon: 120.13362 }

describe('PUT /v1/users/{userId}', () => {
  let h: Harness
  beforeEach(() => {
    h = createHarness()
  })

  it('201 on create with defaults filled in, 200 on replace', async () => {
    const created = expectJson(
      await h.ingest('PUT', '/v1/users/u1', {
        name: '张伟',
        tags: ['前端', { name: 'Hiking', weight: 2 }],
        location: HANGZHOU,
        profile: { city: '杭州', title: '前端工程师' },
      }),
      201,
    )
    expect(created).toEqual({
      userId: 'u1',
      name: '张伟',
      tags: [
        { name: '前端', weight: 1 },
        { name: 'Hiking', weight: 2 },
      ],
      location: HANGZHOU,
      discoverable: true,
      profile: { city: '杭州', title: '前端工程师' },
    })
    const replaced = expectJson(
      await h.ingest('PUT', '/v1/users/u1', { name: 'Zhang Wei', discoverable: false }),
      200,
    )
    expect(replaced).toEqual({ userId: 'u1', name: 'Zhang Wei', tags: [], discoverable: false, profile: {} })
    // The replacement is what is read and searched now.
    expect(expectJson(await h.get('u1', '/v1/users/u1'), 200).name).toBe('Zhang Wei')
  })

  it.each([
    ['missing name', { tags: [] }, 'body.name'],
    ['empty name', { name: '   ' }, 'body.name'],
    ['latitude out of range', { name: 'A', location: { lat: 91, lon: 0 } }, 'body.location.lat'],
    ['tag weight not positive', { name: 'A', tags: [{ name: 'x', weight: 0 }] }, /^body\.tags\[0\]/],
    ['discoverable not a boolean', { name: 'A', discoverable: 'no' }, 'body.discoverable'],
  ])('400 for %s, naming the field', async (_label, body, path) => {
    expectProblem(await h.ingest('PUT', '/v1/users/u1', body), 400, path)
    expectProblem(await h.get('u1', '/v1/users/u1'), 404)
  })

  it('400 for an invalid id in the path, and for malformed JSON', async () => {
    expectProblem(await h.ingest('PUT', '/v1/users/bad%20id', { name: 'A' }), 400, 'params.userId')
    expectProblem(await h.ingest('PUT', '/v1/users/u1', '{"name": "A"'), 400)
    expectProblem(await h.ingest('PUT', '/v1/users/u1'), 400)
  })

  it('415 for a body that is not JSON, 413 for a body over 1 MiB', async () => {
    const reply = await h.call('PUT', '/v1/users/u1', {
      as: 'ingestor',
      scopes: ['ingest'],
      body: 'name=A',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expectProblem(reply, 415)
    const huge = { name: 'A', profile: { signature: 'x'.repeat(1024 * 1024 + 10) } }
    expectProblem(await h.ingest('PUT', '/v1/users/u1', huge), 413)
  })
})

describe('GET /v1/users/{userId}', () => {
  let h: Harness
  beforeEach(async () => {
    h = createHarness()
    await h.ingest('PUT', '/v1/users/u1', { name: '张伟', location: HANGZHOU, profile: { city: '杭州' } })
    await h.ingest('PUT', '/v1/users/u5', {
      name: '刘洋',
      location: { lat: 30.27, lon: 120.14 },
      discoverable: false,
    })
  })

  it('the user themselves gets their coordinates', async () => {
    expect(expectJson(await h.get('u1', '/v1/users/u1'), 200)).toEqual({
      userId: 'u1',
      name: '张伟',
      tags: [],
      location: HANGZHOU,
      discoverable: true,
      profile: { city: '杭州' },
    })
  })

  it('anyone else gets the profile without coordinates', async () => {
    const body = expectJson(await h.get('u2', '/v1/users/u1'), 200)
    expect(body).toEqual({
      userId: 'u1',
      name: '张伟',
      tags: [],
      discoverable: true,
      profile: { city: '杭州' },
    })
    expect(JSON.stringify(body)).not.toMatch(/lat|lon|30\.26|120\.13/)
  })

  it('a non-discoverable user is found by id only by themselves (404 for others)', async () => {
    expectProblem(await h.get('u1', '/v1/users/u5'), 404)
    expect(expectJson(await h.get('u5', '/v1/users/u5'), 200)).toMatchObject({
      userId: 'u5',
      discoverable: false,
      location: { lat: 30.27, lon: 120.14 },
    })
  })

  it('404 for an unknown user, 400 for an invalid id', async () => {
    const p = expectProblem(await h.get('u1', '/v1/users/u404'), 404)
    expect(p.detail).toContain('u404')
    expectProblem(await h.get('u1', `/v1/users/${encodeURIComponent('a/b?')}`), 400)
  })
})

describe('DELETE /v1/users/{userId}', () => {
  it('204, then the user, their friendships and memberships are gone; 404 the second time', async () => {
    const h = createHarness()
    await h.ingest('PUT', '/v1/users/u1', { name: '张伟' })
    await h.ingest('PUT', '/v1/users/u2', { name: '王芳' })
    await h.ingest('PUT', '/v1/groups/g3', { name: '杭州徒步俱乐部', ownerId: 'u1' })
    await h.ingest('PUT', '/v1/groups/g3/members/u2')
    await h.ingest('PUT', '/v1/users/u1/contacts/u2', { nickname: '芳芳' })

    const reply = await h.ingest('DELETE', '/v1/users/u2')
    expect(reply.status).toBe(204)
    expect(reply.body).toBe('')
    expectProblem(await h.get('u1', '/v1/users/u2'), 404)
    expect(expectJson(await h.get('u1', '/v1/me/contacts'), 200)).toMatchObject({ hits: [], total: 0 })
    expect(expectJson(await h.get('u1', '/v1/groups/g3/members'), 200)).toMatchObject({
      hits: [{ userId: 'u1' }],
      total: 1,
    })
    expect(expectJson(await h.get('u1', `/v1/search/users${qs({ q: '王芳' })}`), 200)).toEqual({
      hits: [],
      total: 0,
    })
    expectProblem(await h.ingest('DELETE', '/v1/users/u2'), 404)
  })
})

describe('PUT/DELETE /v1/users/{userId}/contacts/{contactId}', () => {
  let h: Harness
  beforeEach(async () => {
    h = createHarness()
    h.setNow(T0 + 1000)
    await h.ingest('PUT', '/v1/users/u1', { name: '张伟' })
    await h.ingest('PUT', '/v1/users/u2', { name: '王芳' })
  })

  it("200 with the first user's row; both users become contacts, each with their own nickname", async () => {
    const row = expectJson(await h.ingest('PUT', '/v1/users/u1/contacts/u2', { nickname: '芳芳' }), 200)
    expect(row).toEqual({ userId: 'u1', contactId: 'u2', nickname: '芳芳', addedAt: T0 + 1000 })
    h.setNow(T0 + 5000)
    const back = expectJson(await h.ingest('PUT', '/v1/users/u2/contacts/u1', { nickname: '老张' }), 200)
    // The friendship keeps the time it began.
    expect(back).toEqual({ userId: 'u2', contactId: 'u1', nickname: '老张', addedAt: T0 + 1000 })

    const mine = expectJson(await h.get('u1', '/v1/me/contacts'), 200)
    expect(mine.hits).toEqual([
      { userId: 'u2', name: '王芳', nickname: '芳芳', addedAt: T0 + 1000, score: expect.any(Number) },
    ])
    const theirs = expectJson(await h.get('u2', '/v1/me/contacts'), 200)
    expect(theirs.hits).toEqual([
      { userId: 'u1', name: '张伟', nickname: '老张', addedAt: T0 + 1000, score: expect.any(Number) },
    ])
  })

  it('an empty body makes a friendship without a nickname', async () => {
    const reply = await h.call('PUT', '/v1/users/u1/contacts/u2', { as: 'ingestor', scopes: ['ingest'] })
    expect(expectJson(reply, 200)).toEqual({ userId: 'u1', contactId: 'u2', addedAt: T0 + 1000 })
    const theirs = expectJson(await h.get('u2', '/v1/me/contacts'), 200)
    expect(theirs.hits.map((c: { userId: string }) => c.userId)).toEqual(['u1'])
    expect(theirs.hits[0].nickname).toBeUndefined()
  })

  it('400 for a user as their own contact, for a bad nickname and for a bad id', async () => {
    expectProblem(await h.ingest('PUT', '/v1/users/u1/contacts/u1', {}), 400, 'contactId')
    expectProblem(
      await h.ingest('PUT', '/v1/users/u1/contacts/u2', { nickname: 'x'.repeat(101) }),
      400,
      'body.nickname',
    )
    expectProblem(await h.ingest('PUT', '/v1/users/u1/contacts/%E2%98%83', {}), 400, 'params.contactId')
  })

  it("a contact's new name shows in the other's list and is what q matches", async () => {
    await h.ingest('PUT', '/v1/users/u1/contacts/u2', { nickname: '芳芳' })
    expectJson(await h.ingest('PUT', '/v1/users/u2', { name: 'Fiona Wang' }), 200)
    const list = expectJson(await h.get('u1', `/v1/me/contacts${qs({ q: 'fiona' })}`), 200)
    expect(list.hits).toEqual([
      expect.objectContaining({ userId: 'u2', name: 'Fiona Wang', nickname: '芳芳' }),
    ])
    expect(expectJson(await h.get('u1', `/v1/me/contacts${qs({ q: '王芳' })}`), 200).total).toBe(0)
  })

  it('DELETE ends the friendship for both (204), then 404', async () => {
    await h.ingest('PUT', '/v1/users/u1/contacts/u2', { nickname: '芳芳' })
    const reply = await h.ingest('DELETE', '/v1/users/u2/contacts/u1')
    expect(reply.status).toBe(204)
    expect(expectJson(await h.get('u1', '/v1/me/contacts'), 200)).toMatchObject({ hits: [], total: 0 })
    expect(expectJson(await h.get('u2', '/v1/me/contacts'), 200)).toMatchObject({ hits: [], total: 0 })
    expectProblem(await h.ingest('DELETE', '/v1/users/u1/contacts/u2'), 404)
  })
})
