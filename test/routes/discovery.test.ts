/**
 * `GET /v1/search/users` and `GET /v1/search/groups` (issue 4): fuzzy names (exact, prefix,
 * substring, pinyin, typo), weighted tags, radius / polygon / box, distance sort, and privacy:
 * hidden users, private groups and coordinates never leak.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createFixtureHarness,
  createHarness,
  expectJson,
  expectProblem,
  type Harness,
  qs,
} from './harness.ts'

type UserHit = { userId: string; name: string; score: number; distance?: number; tags: unknown[] }
type GroupHit = { groupId: string; name: string; score: number; memberCount: number; distance?: number }
type Params = Record<string, string | number | readonly string[] | undefined>

const users = (h: Harness, caller: string, params: Params) => h.get(caller, `/v1/search/users${qs(params)}`)
const groups = (h: Harness, caller: string, params: Params) => h.get(caller, `/v1/search/groups${qs(params)}`)
const userIds = (body: { hits: UserHit[] }) => body.hits.map((x) => x.userId)
const groupIds = (body: { hits: GroupHit[] }) => body.hits.map((x) => x.groupId)

const U1 = '30.263093,120.13362'

/** No hit may carry coordinates, under any key. */
function expectNoCoordinates(body: unknown) {
  const text = JSON.stringify(body)
  expect(text).not.toMatch(/"(location|lat|lon|latitude|longitude|coordinates)"/)
}

/** Every hit has exactly the documented keys. */
function expectUserHitShape(hit: UserHit, withDistance: boolean) {
  const keys = ['name', 'score', 'tags', 'userId', ...(withDistance ? ['distance'] : [])].sort()
  expect(Object.keys(hit).sort()).toEqual(keys)
}

describe('user search on the fixtures', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createFixtureHarness()
  })

  it('张伟 finds both 张伟 (u1, u3) and not the homophone 张薇', async () => {
    const body = expectJson(await users(h, 'u8', { q: '张伟' }), 200)
    expect(userIds(body).sort()).toEqual(['u1', 'u3'])
    expect(body.total).toBe(2)
    for (const hit of body.hits) expectUserHitShape(hit, false)
    expect(body.hits[0]).toMatchObject({ name: '张伟', tags: expect.any(Array) })
    expectNoCoordinates(body)
  })

  it.each(['zhangwei', 'zw', 'zhang wei', 'ZhangWei'])('pinyin %s finds u1, u3 and u4', async (q) => {
    const found = userIds(expectJson(await users(h, 'u8', { q, limit: 100 }), 200))
    expect(found).toEqual(expect.arrayContaining(['u1', 'u3', 'u4']))
    expect(found).not.toContain('u5')
  })

  it('zhangwei finds exactly the three, the same as "zhang wei"', async () => {
    const a = expectJson(await users(h, 'u8', { q: 'zhangwei' }), 200)
    expect(userIds(a).sort()).toEqual(['u1', 'u3', 'u4'])
    expect(expectJson(await users(h, 'u8', { q: 'zhang wei' }), 200)).toEqual(a)
  })

  it('compound surname: ouyang nana and oynn find 欧阳娜娜', async () => {
    for (const q of ['ouyang nana', 'oynn', '欧阳娜娜', '欧阳'])
      expect(userIds(expectJson(await users(h, 'u8', { q }), 200))).toContain('u9')
  })

  it('exact beats prefix beats substring; a typo still finds the name', async () => {
    const exact = expectJson(await users(h, 'u8', { q: 'Alice Johnson' }), 200)
    expect(exact.hits[0].userId).toBe('u6')
    const prefix = expectJson(await users(h, 'u8', { q: 'alice', limit: 100 }), 200)
    expect(userIds(prefix)).toContain('u6')
    for (const hit of prefix.hits) expect(hit.name.toLowerCase()).toContain('alice')
    const substring = expectJson(await users(h, 'u8', { q: 'Johnson', limit: 100 }), 200)
    expect(userIds(substring)).toContain('u6')
    const u6 = substring.hits.find((x: UserHit) => x.userId === 'u6')
    expect(exact.hits[0].score).toBeGreaterThan(prefix.hits.find((x: UserHit) => x.userId === 'u6').score)
    expect(prefix.hits.find((x: UserHit) => x.userId === 'u6').score).toBeGreaterThan(u6.score)
    expect(userIds(expectJson(await users(h, 'u8', { q: 'Alice Jonson' }), 200))).toEqual(['u6'])
    expect(userIds(expectJson(await users(h, 'u8', { q: 'Alise Johnson' }), 200))).toContain('u6')
  })

  it('contacts rank above other users that match equally well', async () => {
    // u1 knows u2 (王芳) but none of the other 王芳.
    const fromU1 = expectJson(await users(h, 'u1', { q: '王芳' }), 200)
    expect(fromU1.hits.length).toBeGreaterThanOrEqual(3)
    expect(fromU1.hits[0].userId).toBe('u2')
    expect(fromU1.hits[0].score).toBeGreaterThan(fromU1.hits[1].score)
    // Seen by a stranger, u2 is just one of equally good matches.
    const fromU8 = expectJson(await users(h, 'u8', { q: '王芳' }), 200)
    expect(new Set(fromU8.hits.map((x: UserHit) => x.score)).size).toBe(1)
    // u3 is u1's contact, u1 is u2's: each sees their contact first among the two 张伟.
    expect(userIds(expectJson(await users(h, 'u1', { q: '张伟' }), 200))).toEqual(['u3', 'u1'])
    expect(userIds(expectJson(await users(h, 'u2', { q: '张伟' }), 200))).toEqual(['u1', 'u3'])
  })

  it('a non-discoverable user is never found by others, not even by a contact; they find themselves', async () => {
    for (const caller of ['u1', 'u2', 'u8']) {
      for (const params of [
        { q: '刘洋', limit: 100 },
        { q: 'liuyang', limit: 100 },
        { near: U1, radius: '5km', limit: 100 },
      ]) {
        expect(userIds(expectJson(await users(h, caller, params), 200))).not.toContain('u5')
      }
      expectProblem(await h.get(caller, '/v1/users/u5'), 404)
    }
    expect(userIds(expectJson(await users(h, 'u5', { q: '刘洋', limit: 100 }), 200))).toContain('u5')
    const near = expectJson(await users(h, 'u5', { near: U1, radius: '5km', limit: 100 }), 200)
    expect(near.hits.find((x: UserHit) => x.userId === 'u5')?.distance).toBe(900)
  })

  it('near + radius: u2 is 1.98 km from u1 (distance 2000), u5 and u185 stay hidden, u11 has no location', async () => {
    const body = expectJson(await users(h, 'u8', { near: U1, radius: '5km', limit: 100 }), 200)
    const found = userIds(body)
    // Seventeen others live within 5 km of u1; u5 and u185 are not discoverable.
    expect(body.total).toBe(16)
    expect(found).toEqual(expect.arrayContaining(['u1', 'u2']))
    expect(found).not.toContain('u5')
    expect(found).not.toContain('u185')
    expect(found).not.toContain('u11')
    for (const hit of body.hits) {
      expectUserHitShape(hit, true)
      expect(hit.distance).toBeLessThanOrEqual(5000)
      expect(hit.distance! % 100).toBe(0)
    }
    expect(body.hits.find((x: UserHit) => x.userId === 'u2').distance).toBe(2000)
    expect(body.hits.find((x: UserHit) => x.userId === 'u1').distance).toBe(0)
    expectNoCoordinates(body)
    // u2 finds u1 within 5 km of u2's own place too.
    const u2 = expectJson(await h.get('u2', '/v1/users/u2'), 200).location
    const back = expectJson(
      await users(h, 'u2', { near: `${u2.lat},${u2.lon}`, radius: '5km', limit: 100 }),
      200,
    )
    expect(userIds(back)).toContain('u1')
  })

  it('radius in metres or with a unit; near alone defaults to 5 km', async () => {
    const ref = expectJson(await users(h, 'u8', { near: U1, radius: '5km', limit: 100 }), 200)
    for (const radius of ['5000', '5000m', '5 km', '5KM', undefined])
      expect(expectJson(await users(h, 'u8', { near: U1, radius, limit: 100 }), 200)).toEqual(ref)
    const small = expectJson(await users(h, 'u8', { near: U1, radius: '500m', limit: 100 }), 200)
    expect(userIds(small)).toContain('u1')
    expect(userIds(small)).not.toContain('u2')
    for (const hit of small.hits) expect(hit.distance).toBeLessThanOrEqual(500)
    const twoKm = expectJson(await users(h, 'u8', { near: U1, radius: '2km', limit: 100 }), 200)
    expect(twoKm.total).toBeLessThan(ref.total)
    expect(twoKm.total).toBeGreaterThan(small.total)
  })

  it('sort=distance orders nearest first; sort=relevance with a tag keeps the distance', async () => {
    const body = expectJson(
      await users(h, 'u8', { near: U1, radius: '5km', sort: 'distance', limit: 100 }),
      200,
    )
    const d = body.hits.map((x: UserHit) => x.distance)
    expect([...d].sort((a, b) => a - b)).toEqual(d)
    expect(body.hits[0].userId).toBe('u1')
    const tagged = expectJson(
      await users(h, 'u8', { tag: 'hiking', near: U1, radius: '5km', limit: 100 }),
      200,
    )
    expect(userIds(tagged)).toContain('u1')
    for (const hit of tagged.hits) expect(typeof hit.distance).toBe('number')
  })

  it('within a polygon and a box: the same people as the equivalent rectangle, no coordinates', async () => {
    const polygon = '30.30,120.09;30.30,120.18;30.22,120.18;30.22,120.09'
    const box = '30.30,120.09,30.22,120.18'
    const a = expectJson(await users(h, 'u8', { within: polygon, limit: 100 }), 200)
    const b = expectJson(await users(h, 'u8', { box, limit: 100 }), 200)
    expect(userIds(a).sort()).toEqual(userIds(b).sort())
    expect(userIds(a)).toEqual(expect.arrayContaining(['u1']))
    expect(userIds(a)).not.toContain('u5')
    expect(a.total).toBeGreaterThan(1)
    // Without near, hits carry no distance.
    for (const hit of a.hits) expectUserHitShape(hit, false)
    expectNoCoordinates(a)
    expectNoCoordinates(b)
    // With near, the fence filters and near only measures.
    const measured = expectJson(await users(h, 'u8', { box, near: U1, sort: 'distance', limit: 100 }), 200)
    expect(userIds(measured).sort()).toEqual(userIds(b).sort())
    expect(measured.hits[0]).toMatchObject({ userId: 'u1', distance: 0 })
  })

  it('tag search on anchors: 表格存储 ranks u7 (weight 5) above u1 (weight 1)', async () => {
    const body = expectJson(await users(h, 'u8', { tag: '表格存储', limit: 100 }), 200)
    const found = userIds(body)
    expect(found.indexOf('u7')).toBeGreaterThanOrEqual(0)
    expect(found.indexOf('u7')).toBeLessThan(found.indexOf('u1'))
    // Capitalised tags are the same key.
    const golf = userIds(expectJson(await users(h, 'u8', { tag: 'GOLF', limit: 100 }), 200))
    expect(golf).toContain('u6')
  })

  it.each([
    ['no criteria at all', {}, 'q'],
    ['a blank q only', { q: '   ' }, 'q'],
    ['near that is not lat,lon', { near: 'hangzhou' }, 'query.near'],
    ['near with latitude 91', { near: '91,120' }, 'query.near'],
    ['radius with an unknown unit', { near: U1, radius: '5mi' }, 'query.radius'],
    ['radius zero', { near: U1, radius: '0' }, 'query.radius'],
    ['negative radius', { near: U1, radius: '-5km' }, 'query.radius'],
    ['radius beyond half the Earth', { near: U1, radius: '30000km' }, 'query.radius'],
    ['a polygon of two points', { within: '30.3,120.1;30.2,120.2' }, 'query.within'],
    ['a polygon point out of range', { within: '30,120;31,120;95,121' }, 'query.within'],
    [
      'a polygon of 101 points',
      { within: Array.from({ length: 101 }, (_, i) => `30,${100 + i / 10}`).join(';') },
      'query.within',
    ],
    ['a box with north below south', { box: '30.2,120.1,30.3,120.2' }, 'query.box'],
    ['a box of three numbers', { box: '30.3,120.1,30.2' }, 'query.box'],
    ['a box with words', { box: 'n,w,s,e' }, 'query.box'],
    ['sort=distance without near', { q: '张伟', sort: 'distance' }, 'sort'],
    ['an unknown sort', { q: '张伟', sort: 'name' }, 'query.sort'],
    ['an unknown tagMode', { tag: 'golf', tagMode: 'some' }, 'query.tagMode'],
    ['limit 101', { q: '张伟', limit: 101 }, 'query.limit'],
    ['limit 0', { q: '张伟', limit: 0 }, 'query.limit'],
  ])('400 for %s', async (_label, params, path) => {
    expectProblem(await users(h, 'u1', params), 400, path)
    expectProblem(await groups(h, 'u1', params), 400, path)
  })

  it('cursor paging over users: no skips, no repeats, last page without nextCursor; foreign cursors 400', async () => {
    const params = { near: U1, radius: '5km', sort: 'distance' }
    const all = expectJson(await users(h, 'u8', { ...params, limit: 100 }), 200)
    const seen: string[] = []
    let cursor: string | undefined
    let first: string | undefined
    do {
      const page = expectJson(await users(h, 'u8', { ...params, limit: 3, cursor }), 200)
      seen.push(...userIds(page))
      cursor = page.nextCursor
      first ??= cursor
      if (cursor === undefined) expect(page).not.toHaveProperty('nextCursor')
    } while (cursor !== undefined)
    expect(seen).toEqual(userIds(all))
    // 16 hits in pages of 4: the fourth page is the last and carries no cursor.
    const pages: number[] = []
    cursor = undefined
    do {
      const page = expectJson(await users(h, 'u8', { ...params, limit: 4, cursor }), 200)
      pages.push(page.hits.length)
      cursor = page.nextCursor
    } while (cursor !== undefined && pages.length < 10)
    expect(pages).toEqual([4, 4, 4, 4])
    expectProblem(await users(h, 'u2', { ...params, limit: 3, cursor: first }), 400, 'cursor')
    expectProblem(await users(h, 'u8', { ...params, radius: '2km', limit: 3, cursor: first }), 400, 'cursor')
    expectProblem(await users(h, 'u8', { ...params, limit: 3, cursor: `x${first}` }), 400, 'cursor')
    expectProblem(await groups(h, 'u8', { ...params, limit: 3, cursor: first }), 400, 'cursor')
  })
})

describe('user search: weighted tags in a tiny world', () => {
  let h: Harness
  beforeAll(async () => {
    h = createHarness()
    const people: [string, string, unknown[]][] = [
      ['a', '李雷', [{ name: '咖啡', weight: 3 }, 'golf']],
      ['b', 'Han Meimei', [{ name: 'Golf', weight: 4 }]],
      ['c', '王小明', ['咖啡', { name: 'golf', weight: 0.5 }, '摄影']],
      ['d', 'Jim Green', [{ name: '摄影', weight: 5 }]],
    ]
    for (const [id, name, tags] of people)
      expectJson(await h.ingest('PUT', `/v1/users/${id}`, { name, tags }), 201)
  })

  it('tag is repeatable: any tag matches, ranked by the sum of matched weights', async () => {
    const body = expectJson(await users(h, 'z', { tag: ['咖啡', 'golf'] }), 200)
    // a: 咖啡 3 + golf 1; b: golf 4 (Golf is the same key); c: 咖啡 1 + golf 0.5.
    expect(userIds(body).slice(0, 2).sort()).toEqual(['a', 'b'])
    expect(userIds(body)[2]).toBe('c')
    expect(body.total).toBe(3)
    const score = (id: string) => body.hits.find((x: UserHit) => x.userId === id).score
    expect(score('a')).toBeCloseTo(4)
    expect(score('b')).toBeCloseTo(4)
    expect(score('c')).toBeCloseTo(1.5)
    const single = expectJson(await users(h, 'z', { tag: '摄影' }), 200)
    expect(userIds(single)).toEqual(['d', 'c'])
  })

  it('tagMode=all requires every tag', async () => {
    expect(
      userIds(expectJson(await users(h, 'z', { tag: ['咖啡', 'golf'], tagMode: 'all' }), 200)).sort(),
    ).toEqual(['a', 'c'])
    expect(
      userIds(expectJson(await users(h, 'z', { tag: ['咖啡', 'golf', '摄影'], tagMode: 'all' }), 200)),
    ).toEqual(['c'])
    expect(expectJson(await users(h, 'z', { tag: ['golf', '旅行'], tagMode: 'all' }), 200)).toEqual({
      hits: [],
      total: 0,
    })
  })

  it('q and tag together: both must hold', async () => {
    expect(userIds(expectJson(await users(h, 'z', { q: 'Han', tag: 'golf' }), 200))).toEqual(['b'])
    expect(expectJson(await users(h, 'z', { q: 'Jim', tag: 'golf' }), 200).total).toBe(0)
  })
})

describe('group search on the fixtures', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createFixtureHarness()
  })

  it('the private g2 is found by its members only', async () => {
    for (const member of ['u1', 'u3', 'u7', 'u9']) {
      const body = expectJson(await groups(h, member, { q: '表格存储开发者群' }), 200)
      expect(body.hits).toEqual([
        {
          groupId: 'g2',
          name: '表格存储开发者群',
          tags: expect.any(Array),
          memberCount: 8,
          score: expect.any(Number),
        },
      ])
    }
    for (const outsider of ['u2', 'u6', 'u10', 'u8'])
      expect(expectJson(await groups(h, outsider, { q: '表格存储开发者群' }), 200)).toEqual({
        hits: [],
        total: 0,
      })
  })

  it('public groups for anyone, with memberCount (g1 60, g14 120)', async () => {
    const g1 = expectJson(await groups(h, 'u8', { q: '前端技术交流群' }), 200)
    expect(g1.hits[0]).toMatchObject({ groupId: 'g1', memberCount: 60 })
    const g14 = expectJson(await groups(h, 'u8', { q: '羽毛球周末约' }), 200)
    expect(g14.hits[0]).toMatchObject({ groupId: 'g14', memberCount: 120 })
    const g4 = expectJson(await groups(h, 'u8', { q: 'kubernetes users' }), 200)
    expect(groupIds(g4)).toContain('g4')
  })

  it('no private group leaks into tag, near or box searches of a non-member', async () => {
    const mine = new Set(
      expectJson(await h.get('u2', '/v1/me/groups'), 200).hits.map((g: { groupId: string }) => g.groupId),
    )
    const searches: Params[] = [
      { near: U1, radius: '50km', limit: 100 },
      { box: '90,-180,-90,180', limit: 100 },
      { tag: ['表格存储', '数据库', 'tablestore', 'family', '家庭'], limit: 100 },
      { q: '群', limit: 100 },
    ]
    let checked = 0
    for (const params of searches) {
      const body = expectJson(await groups(h, 'u2', params), 200)
      for (const hit of body.hits as GroupHit[]) {
        const group = await h.get('u2', `/v1/groups/${hit.groupId}`)
        const visibility = expectJson(group, 200).visibility
        if (visibility === 'private') expect(mine.has(hit.groupId)).toBe(true)
        checked++
      }
      expect(groupIds(body)).not.toContain('g2')
      expectNoCoordinates(body)
    }
    expect(checked).toBeGreaterThan(5)
  })

  it('near: g3 is in 杭州 with a rounded distance; groups without location never appear', async () => {
    const body = expectJson(
      await groups(h, 'u1', { near: U1, radius: '10km', sort: 'distance', limit: 100 }),
      200,
    )
    expect(groupIds(body)).toEqual(expect.arrayContaining(['g1', 'g3']))
    expect(groupIds(body)).not.toContain('g2')
    const d = body.hits.map((x: GroupHit) => x.distance)
    expect([...d].sort((a, b) => a - b)).toEqual(d)
    for (const x of d) expect(x % 100).toBe(0)
    expectNoCoordinates(body)
  })

  it('tag search ranks by weight: hiking finds the hiking club', async () => {
    const body = expectJson(await groups(h, 'u8', { tag: ['徒步', 'hiking'], limit: 100 }), 200)
    expect(groupIds(body)).toContain('g3')
    const g3 = body.hits.find((x: GroupHit) => x.groupId === 'g3')
    expect(g3.score).toBeCloseTo(3)
  })
})
