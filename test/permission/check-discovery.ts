/**
 * @module People and groups against the oracle: user and group search (exact hit sets, totals,
 * scores, order and distances over every page), profiles, groups and member lists, and the
 * caller's own groups and contacts. Hidden users and private groups are invisible to others in
 * every answer, and a refusal about them looks exactly like one about a record that never existed.
 */
import { expect } from 'vitest'
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import { haversineMetres, roundDistance } from '../../src/geo/distance.ts'
import { personGridPoint } from '../../src/geo/person-grid.ts'
import type { GeoArea } from '../../src/services/discovery-query.ts'
import { expectJson } from '../routes/harness.ts'
import type { Model } from './model.ts'
import { centreOf, type DiscoveryQuery, expectedContacts, expectedDiscovery } from './oracle.ts'
import { idOf, type Params, type Prober } from './probe.ts'
import type { Area, Probe } from './probes.ts'
import { CENTRE, coordinates, GRID, MISSING_GROUP, MISSING_USER } from './world.ts'

type DiscoveryProbe = Extract<Probe, { kind: 'users' | 'groups' }>

/** Every located user (as indexed, on the person grid) or group, for keeping radius edges clear of them. */
function places(model: Model): GeoPoint[] {
  return [
    ...model.personCoordinates().map(personGridPoint),
    ...[...model.groups.values()].flatMap((g) => (g.record.location ? [g.record.location] : [])),
  ]
}

/**
 * The probe as a query. Boxes and polygons have their edges half a grid step away from every
 * place; a radius grows until no place lies within 2 m of its edge. Which side of an edge a place
 * falls on is a question of float rounding, not of permission.
 */
export function discoveryQuery(model: Model, probe: DiscoveryProbe): DiscoveryQuery {
  const half = (n: number, side: 1 | -1) => n * GRID + (side * GRID) / 2
  const toArea = (a: Area): GeoArea => {
    if (a.kind === 'radius') {
      const center = coordinates(a)
      let metres = a.metres
      while (places(model).some((x) => Math.abs(haversineMetres(center, x) - metres) < 2)) metres += 5
      return { kind: 'radius', center, metres }
    }
    const [north, south] = [CENTRE.lat + half(a.north, 1), CENTRE.lat + half(a.south, -1)]
    const [west, east] = [CENTRE.lon + half(a.west, -1), CENTRE.lon + half(a.east, 1)]
    if (a.kind === 'box') return { kind: 'box', north, west, south, east }
    return {
      kind: 'polygon',
      points: [
        { lat: north, lon: west },
        { lat: north, lon: east },
        { lat: south, lon: east },
        { lat: south, lon: west },
      ],
    }
  }
  // `near` alone is a search within 5 km of it (the API's default radius).
  const nearOnly = !probe.area && probe.near
  const area = nearOnly
    ? toArea({ kind: 'radius', ...nearOnly, metres: 5000 })
    : probe.area && toArea(probe.area)
  const near = probe.near && coordinates(probe.near)
  const q = probe.q ?? (probe.tags.length === 0 && !area ? '张' : undefined)
  const hasCentre = near !== undefined || area?.kind === 'radius'
  return {
    index: probe.kind,
    caller: probe.caller,
    q,
    tags: probe.tags,
    tagMode: probe.tagMode,
    area,
    near: area?.kind === 'radius' ? undefined : near,
    sort: probe.byDistance && hasCentre ? 'distance' : 'relevance',
    limit: probe.limit,
  }
}

const point = (p: GeoPoint) => `${p.lat},${p.lon}`

function params(query: DiscoveryQuery): Params {
  const a = query.area
  return {
    q: query.q,
    tag: query.tags,
    tagMode: query.tagMode,
    near: a?.kind === 'radius' ? point(a.center) : query.near && point(query.near),
    radius: a?.kind === 'radius' ? `${a.metres}m` : undefined,
    box: a?.kind === 'box' ? [a.north, a.west, a.south, a.east].join(',') : undefined,
    within: a?.kind === 'polygon' ? a.points.map(point).join(';') : undefined,
    sort: query.sort,
    limit: query.limit,
  }
}

export async function checkDiscovery(p: Prober, query: DiscoveryQuery): Promise<void> {
  const oracle = () => expectedDiscovery(p.model, query)
  const path = `/v1/search/${query.index}`
  const { hits } = await p.pageAll(query.caller, path, params(query), oracle)
  const expected = oracle()
  const ids = hits.map(idOf)
  expect(new Set(ids).size).toBe(ids.length)
  expect([...ids].sort()).toEqual([...expected.ids].sort())
  expect(expected.firstOutOfOrder(hits.map((h) => ({ id: idOf(h), score: h.score })))).toBe(-1)
  const centre = centreOf(query)
  for (const hit of hits) {
    const o = expected.byId.get(idOf(hit))
    const doc = o?.document as { name: string; tags: unknown; location?: GeoPoint; memberCount?: number }
    expect(hit.score).toBeCloseTo(o?.score.score ?? Number.NaN, 9)
    const base = { name: doc.name, tags: doc.tags, score: hit.score }
    const distance =
      centre && doc.location ? { distance: roundDistance(haversineMetres(centre, doc.location)) } : {}
    if (query.index === 'users') expect(hit).toEqual({ userId: idOf(hit), ...base, ...distance })
    else expect(hit).toEqual({ groupId: idOf(hit), memberCount: doc.memberCount, ...base, ...distance })
  }
}

/** A profile: one's own in full, another visible one without coordinates, else a 404 like a missing user's. */
export async function checkProfile(p: Prober, caller: string, userId: string): Promise<void> {
  const path = `/v1/users/${userId}`
  const user = p.model.users.get(userId)
  if (!user || !p.model.userVisible(caller, userId)) {
    await p.expectSameAsMissing(caller, [path, userId], [`/v1/users/${MISSING_USER}`, MISSING_USER])
    return
  }
  const body = expectJson(await p.get(caller, path, {}, caller === userId), 200)
  const { location, ...rest } = user
  expect(body).toEqual(caller === userId ? user : rest)
}

/** A group and its members: a private one only for members; hidden users only for fellow members. */
export async function checkGroup(p: Prober, caller: string, groupId: string): Promise<void> {
  const group = p.model.groups.get(groupId)
  const paths = [`/v1/groups/${groupId}`, `/v1/groups/${groupId}/members`]
  const missing = [`/v1/groups/${MISSING_GROUP}`, `/v1/groups/${MISSING_GROUP}/members`]
  if (!group || !p.model.groupVisible(caller, groupId)) {
    for (const [i, path] of paths.entries())
      await p.expectSameAsMissing(caller, [path, groupId], [missing[i] as string, MISSING_GROUP])
    return
  }
  const body = expectJson(await p.get(caller, paths[0] as string), 200)
  expect(body).toEqual({ ...group.record, createdAt: expect.any(Number), memberCount: group.members.size })
  const member = group.members.has(caller)
  const shown = [...group.members]
    .filter(([userId]) => member || p.model.users.get(userId)?.discoverable)
    .map(([userId, joinedAt]) => ({ groupId, userId, joinedAt }))
    .sort((a, b) => (a.userId < b.userId ? -1 : 1))
  const members = expectJson(await p.get(caller, paths[1] as string), 200)
  expect(members).toEqual({ hits: shown, total: shown.length })
}

/** The caller's groups (newest join first) and contacts (every page, against the oracle). */
export async function checkMine(p: Prober, probe: Extract<Probe, { kind: 'mine' }>): Promise<void> {
  const groups = [...p.model.groups.values()]
    .filter((g) => g.members.has(probe.caller))
    .map((g) => ({ groupId: g.record.groupId, name: g.record.name, joinedAt: g.members.get(probe.caller) }))
    .sort((a, b) => (b.joinedAt ?? 0) - (a.joinedAt ?? 0) || (a.groupId < b.groupId ? -1 : 1))
  expect(expectJson(await p.get(probe.caller, '/v1/me/groups'), 200)).toEqual({ hits: groups })
  const query = { caller: probe.caller, q: probe.q, sort: probe.sort, limit: probe.limit }
  // Hits name the contact; the oracle's ids are the rows' keys (`caller/contact`).
  const key = (contactId: string) => `${probe.caller}/${contactId}`
  const oracle = () => {
    const e = expectedContacts(p.model, query)
    return {
      ids: new Set(e.hits.map((h) => (h.document as { contactId: string }).contactId)),
      total: e.total,
    }
  }
  const params = { q: query.q, sort: query.sort, limit: query.limit }
  const { hits } = await p.pageAll(probe.caller, '/v1/me/contacts', params, oracle)
  const ids = hits.map((h) => h.userId as string)
  expect([...ids].sort()).toEqual([...oracle().ids].sort())
  const expected = expectedContacts(p.model, query)
  for (const hit of hits) {
    const row = expected.byId.get(key(hit.userId))?.document as {
      name: string
      nickname?: string
      addedAt: number
    }
    expect(hit).toEqual({
      userId: hit.userId,
      name: row.name,
      nickname: row.nickname,
      addedAt: row.addedAt,
      score: hit.score,
    })
  }
  const ordered = hits.map((h) => ({ id: key(h.userId), score: h.score }))
  expect(expected.firstOutOfOrder(ordered)).toBe(-1)
}
