/**
 * @module People and group discovery. Privacy filters are added here, for every caller:
 * a user who opted out is found by nobody else, a private group by its members only, and no hit
 * carries coordinates (a distance, rounded to 100 m, at most).
 */

import type { GeoPoint } from '../domain/geo-point.ts'
import { haversineMetres, roundDistance } from '../geo/distance.ts'
import type { IndexedTag } from '../ports/documents.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import { MAX_TERMS, type Query } from '../query/dsl.ts'
import type { Sort } from '../query/sort.ts'
import { MAX_QUERY_LENGTH } from '../text/query-terms.ts'
import type { CursorCodec } from './cursor.ts'
import { type GeoArea, geoFilter, NAME_SCORES, nameQuery, tagNames, tagQuery } from './discovery-query.ts'
import { invalidInput } from './errors.ts'
import { runPage } from './paging.ts'

export interface DiscoveryParams {
  q?: string | undefined
  tags?: string[] | undefined
  tagMode?: 'any' | 'all' | undefined
  area?: GeoArea | undefined
  /** The caller's position: hits get a rounded `distance`, and `sort=distance` orders by it. */
  near?: GeoPoint | undefined
  /** `distance` needs `near`. Default: relevance. */
  sort?: 'relevance' | 'distance' | undefined
  /** Groups only: just those the caller belongs to (the one box's groups section). */
  memberOnly?: boolean | undefined
  limit: number
  cursor?: string | undefined
}

interface DiscoveryHitBase {
  name: string
  tags: IndexedTag[]
  score: number
  distance?: number | undefined
}
export interface UserHit extends DiscoveryHitBase {
  userId: string
}
export interface GroupHit extends DiscoveryHitBase {
  groupId: string
  memberCount: number
}

export interface DiscoveryResult<H> {
  hits: H[]
  total: number
  nextCursor?: string | undefined
}

/** What discovery needs to know about the caller, from the relation tables. */
export interface CallerRelations {
  contactIds(userId: string): Promise<string[]>
  groupIds(userId: string): Promise<string[]>
}

export const MAX_TAGS = 32

interface Built {
  must: Query[]
  filter: Query[]
  sort: Sort[]
  center: GeoPoint | undefined
}

function buildDiscovery(params: DiscoveryParams): Built | undefined {
  const must: Query[] = []
  const filter: Query[] = []
  const q = params.q?.trim() ?? ''
  if (q.length > MAX_QUERY_LENGTH)
    throw invalidInput('query too long', [{ path: 'q', message: `at most ${MAX_QUERY_LENGTH} characters` }])
  const tags = tagNames(params.tags ?? [])
  if (tags.length > MAX_TAGS)
    throw invalidInput('too many tags', [{ path: 'tag', message: `at most ${MAX_TAGS} tags` }])
  if (q.length === 0 && tags.length === 0 && !params.area)
    throw invalidInput('say what to look for', [{ path: 'q', message: 'give q, tag, near, within or box' }])
  if (q.length > 0) {
    const names = nameQuery(q)
    if (!names) return undefined
    must.push(names)
  }
  if (tags.length > 0) {
    const t = tagQuery(tags, params.tagMode ?? 'any')
    must.push(t.must)
    filter.push(...t.filter)
  }
  if (params.area) filter.push(geoFilter(params.area))
  const center = params.near ?? (params.area?.kind === 'radius' ? params.area.center : undefined)
  if (params.sort === 'distance' && !center)
    throw invalidInput('distance sort needs a centre', [
      { path: 'sort', message: 'sort=distance needs near' },
    ])
  const byDistance: Sort[] = center ? [{ geo_distance: { field: 'location', center, order: 'asc' } }] : []
  const sort: Sort[] = params.sort === 'distance' ? byDistance : [{ score: { order: 'desc' } }, ...byDistance]
  return { must, filter, sort, center }
}

/** `terms` holds at most {@link MAX_TERMS} values; longer lists become several clauses. */
function chunkedTerms(field: string, values: readonly string[]): Query[] {
  const out: Query[] = []
  for (let i = 0; i < values.length; i += MAX_TERMS)
    out.push({ terms: { field, values: values.slice(i, i + MAX_TERMS) } })
  return out
}

function distanceOf(center: GeoPoint | undefined, location: GeoPoint | undefined): number | undefined {
  return center && location ? roundDistance(haversineMetres(center, location)) : undefined
}

export class Discovery {
  constructor(
    private readonly backend: SearchBackend,
    private readonly cursors: CursorCodec,
    private readonly relations: CallerRelations,
  ) {}

  async searchUsers(callerId: string, params: DiscoveryParams): Promise<DiscoveryResult<UserHit>> {
    const built = buildDiscovery(params)
    if (!built) return { hits: [], total: 0 }
    const contacts = await this.relations.contactIds(callerId)
    const visible: Query = {
      bool: {
        should: [
          { term: { field: 'discoverable', value: true } },
          { term: { field: 'userId', value: callerId } },
        ],
      },
    }
    const contactBoost = chunkedTerms('userId', contacts).map(
      (terms): Query => ({ constant_score: { filter: terms, boost: NAME_SCORES.contact } }),
    )
    const query: Query = {
      bool: {
        must: built.must,
        filter: [visible, ...built.filter],
        should: contactBoost,
        minimum_should_match: 0,
      },
    }
    const page = await this.#page(callerId, 'users', params, query, built.sort)
    return {
      ...page,
      hits: page.hits.map(({ document: d, score }) => ({
        userId: d.userId,
        name: d.name,
        tags: d.tags,
        score,
        distance: distanceOf(built.center, d.location),
      })),
    }
  }

  async searchGroups(callerId: string, params: DiscoveryParams): Promise<DiscoveryResult<GroupHit>> {
    const built = buildDiscovery(params)
    if (!built) return { hits: [], total: 0 }
    const memberOf = await this.relations.groupIds(callerId)
    if (params.memberOnly && memberOf.length === 0) return { hits: [], total: 0 }
    const mine = chunkedTerms('groupId', memberOf)
    const visible: Query = {
      bool: {
        should: params.memberOnly ? mine : [{ term: { field: 'visibility', value: 'public' } }, ...mine],
        minimum_should_match: 1,
      },
    }
    const query: Query = { bool: { must: built.must, filter: [visible, ...built.filter] } }
    const page = await this.#page(callerId, 'groups', params, query, built.sort)
    return {
      ...page,
      hits: page.hits.map(({ document: d, score }) => ({
        groupId: d.groupId,
        name: d.name,
        tags: d.tags,
        memberCount: d.memberCount,
        score,
        distance: distanceOf(built.center, d.location),
      })),
    }
  }

  async #page<I extends 'users' | 'groups'>(
    callerId: string,
    index: I,
    params: DiscoveryParams,
    query: Query,
    sort: Sort[],
  ) {
    const { limit, cursor } = params
    // The search a cursor is bound to, in one shape whoever asks (the search routes or the one box).
    const search = [
      params.q,
      params.tags,
      params.tagMode ?? 'any',
      params.area,
      params.near,
      params.sort ?? 'relevance',
      params.memberOnly === true,
    ]
    return runPage(this.backend, this.cursors, callerId, index, search, { query, sort, limit, cursor })
  }
}
