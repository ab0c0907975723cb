/**
 * Discovery privacy as a property (issue 4): over random small worlds of people (some hidden,
 * some without a location), friendships and public/private groups, built through the HTTP API,
 * user and group searches by name and by radius equal a brute-force oracle, never return a hidden
 * user to anyone else or a private group to a non-member, never carry coordinates, and rank a
 * contact above an equally good stranger.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { haversineMetres, roundDistance } from '../../src/geo/distance.ts'
import { createHarness, expectJson, qs } from './harness.ts'

const NAMES = ['张伟', '张薇', '王芳', 'Alice Johnson', '田中太郎'] as const
const CENTRE = { lat: 30.263093, lon: 120.13362 }
const IDS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'] as const

const person = fc.record({
  name: fc.constantFrom(...NAMES),
  discoverable: fc.boolean(),
  // Offsets of up to ~4.4 km; some people have no location.
  offset: fc.option(fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 })), {
    nil: undefined,
  }),
})
const world = fc.record({
  people: fc.array(person, { minLength: IDS.length, maxLength: IDS.length }),
  friendships: fc.uniqueArray(fc.tuple(fc.constantFrom(...IDS), fc.constantFrom(...IDS)), {
    maxLength: 6,
    selector: ([a, b]) => [a, b].sort().join(),
  }),
  groups: fc.array(
    fc.record({
      private: fc.boolean(),
      owner: fc.constantFrom(...IDS),
      members: fc.subarray([...IDS]),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  searches: fc.array(
    fc.record({
      caller: fc.constantFrom(...IDS),
      q: fc.constantFrom(...NAMES),
      radiusKm: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
})

const noCoordinates = (body: unknown) =>
  expect(JSON.stringify(body)).not.toMatch(/"(location|lat|lon)"|30\.2|120\.1/)

describe('discovery privacy equals a brute-force oracle over random worlds', () => {
  it('users by name and radius, groups by name', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const h = createHarness()
        const location = new Map<string, { lat: number; lon: number }>()
        for (const [i, id] of IDS.entries()) {
          const p = w.people[i]!
          const loc = p.offset && {
            lat: CENTRE.lat + p.offset[0] / 1000,
            lon: CENTRE.lon + p.offset[1] / 1000,
          }
          if (loc) location.set(id, loc)
          const body = { name: p.name, discoverable: p.discoverable, ...(loc ? { location: loc } : {}) }
          expectJson(await h.ingest('PUT', `/v1/users/${id}`, body), 201)
        }
        const contacts = new Map<string, Set<string>>(IDS.map((id) => [id, new Set<string>()]))
        for (const [a, b] of w.friendships) {
          if (a === b) continue
          expectJson(await h.ingest('PUT', `/v1/users/${a}/contacts/${b}`, {}), 200)
          contacts.get(a)?.add(b)
          contacts.get(b)?.add(a)
        }
        const groupMembers: { id: string; private: boolean; members: Set<string> }[] = []
        for (const [i, g] of w.groups.entries()) {
          const id = `grp${i}`
          const name = `${NAMES[i % NAMES.length]}的群`
          const visibility = g.private ? 'private' : 'public'
          expectJson(await h.ingest('PUT', `/v1/groups/${id}`, { name, ownerId: g.owner, visibility }), 201)
          for (const m of g.members) await h.ingest('PUT', `/v1/groups/${id}/members/${m}`)
          groupMembers.push({ id, private: g.private, members: new Set([g.owner, ...g.members]) })
        }
        const visible = (caller: string, id: string) =>
          id === caller || w.people[IDS.indexOf(id as never)]!.discoverable

        for (const s of w.searches) {
          // By exact name: every visible user with that name, contacts first.
          const byName = expectJson(
            await h.get(s.caller, `/v1/search/users${qs({ q: s.q, limit: 100 })}`),
            200,
          )
          noCoordinates(byName)
          const named = IDS.filter((id, i) => w.people[i]!.name === s.q && visible(s.caller, id))
          const got: string[] = byName.hits.map((x: { userId: string }) => x.userId)
          for (const id of got) expect(visible(s.caller, id)).toBe(true)
          expect(got.filter((id) => named.includes(id as never)).sort()).toEqual([...named].sort())
          const exact = got.filter((id) => named.includes(id as never))
          const isContact = (id: string) => contacts.get(s.caller)?.has(id) ?? false
          const firstStranger = exact.findIndex((id) => !isContact(id))
          if (firstStranger >= 0) expect(exact.slice(firstStranger).every((id) => !isContact(id))).toBe(true)
          // Exact names come before any weaker match.
          expect(got.slice(0, named.length).sort()).toEqual([...named].sort())

          // By radius: visible users with a location within it, each with a rounded distance.
          const metres = s.radiusKm * 1000
          const near = `${CENTRE.lat},${CENTRE.lon}`
          const byPlace = expectJson(
            await h.get(s.caller, `/v1/search/users${qs({ near, radius: `${s.radiusKm}km`, limit: 100 })}`),
            200,
          )
          noCoordinates(byPlace)
          const inside = IDS.filter((id) => {
            const loc = location.get(id)
            return loc && visible(s.caller, id) && haversineMetres(CENTRE, loc) <= metres
          })
          const placed: { userId: string; distance: number }[] = byPlace.hits
          // People within a metre of the edge may fall either way.
          const edge = (id: string) => Math.abs(haversineMetres(CENTRE, location.get(id)!) - metres) < 1
          expect(
            placed
              .map((x) => x.userId)
              .filter((id) => !edge(id))
              .sort(),
          ).toEqual(inside.filter((id) => !edge(id)).sort())
          for (const hit of placed) {
            expect(visible(s.caller, hit.userId)).toBe(true)
            expect(hit.distance).toBe(roundDistance(haversineMetres(CENTRE, location.get(hit.userId)!)))
          }

          // Groups: private ones only for members.
          const groups = expectJson(
            await h.get(s.caller, `/v1/search/groups${qs({ q: '的群', limit: 100 })}`),
            200,
          )
          const expected = groupMembers.filter((g) => !g.private || g.members.has(s.caller)).map((g) => g.id)
          expect(groups.hits.map((x: { groupId: string }) => x.groupId).sort()).toEqual(expected.sort())
          for (const hit of groups.hits)
            expect(hit.memberCount).toBe(groupMembers.find((g) => g.id === hit.groupId)?.members.size)
        }
      }),
      { numRuns: 80 },
    )
  })
})
