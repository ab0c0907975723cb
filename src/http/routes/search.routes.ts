/** @module `GET /v1/search/messages`, `/v1/search/users`, `/v1/search/groups`. */
import { createRoute, z } from '@hono/zod-openapi'
import { IdSchema, MessageTypeSchema } from '../../domain/index.ts'
import type { DiscoveryParams } from '../../services/discovery.ts'
import type { GeoArea } from '../../services/discovery-query.ts'
import type { Services } from '../../services/index.ts'
import { MAX_QUERY_LENGTH } from '../../text/query-terms.ts'
import { authorized } from '../auth.ts'
import { problemResponses } from '../problem.ts'
import { createRouter } from '../router.ts'
import {
  boxParam,
  cursorParam,
  limitParam,
  messageQueryParam,
  nameQueryParam,
  pointParam,
  polygonParam,
  radiusParam,
  repeatedParam,
  timeParam,
} from './params.ts'
import { GroupHitSchema, MessageHitSchema, pageOf, UserHitSchema } from './schemas.ts'

const ERRORS = problemResponses(400, 401, 403, 429, 503)

const messagesRoute = createRoute({
  method: 'get',
  path: '/search/messages',
  tags: ['search'],
  summary: 'Full-text search over the messages the caller received',
  description:
    'Every term of `q` (split on white space; a "quoted phrase" is one term) must occur in the content as a contiguous token sequence. Only messages whose recipients include the caller are ever returned or counted.',
  ...authorized('search'),
  request: {
    query: z.object({
      q: messageQueryParam,
      conversationId: IdSchema.optional(),
      senderId: IdSchema.optional(),
      type: MessageTypeSchema.optional(),
      after: timeParam,
      before: timeParam,
      sort: z.enum(['relevance', 'newest', 'oldest']).optional(),
      limit: limitParam(20),
      cursor: cursorParam,
    }),
  },
  responses: {
    200: {
      description: 'A page of hits',
      content: { 'application/json': { schema: pageOf(MessageHitSchema, 'MessagePage') } },
    },
    ...ERRORS,
  },
})

const discoveryQuery = z.object({
  q: nameQueryParam.openapi({
    description: `A name: exact, prefix, substring, pinyin or with a typo; at most ${MAX_QUERY_LENGTH} characters.`,
    example: 'zhangwei',
  }),
  tag: repeatedParam.openapi({
    description: 'Repeatable; hits have any of the tags, ranked by the sum of matched weights.',
  }),
  tagMode: z.enum(['any', 'all']).default('any'),
  near: pointParam,
  radius: radiusParam,
  within: polygonParam,
  box: boxParam,
  sort: z.enum(['relevance', 'distance']).default('relevance'),
  limit: limitParam(20),
  cursor: cursorParam,
})

/** `near` alone searches a 5 km radius; with `within` or `box`, it only measures distances. */
export const DEFAULT_RADIUS_METRES = 5000

function discoveryParams(query: z.infer<typeof discoveryQuery>): DiscoveryParams {
  let area: GeoArea | undefined
  if (query.within) area = { kind: 'polygon', points: query.within }
  else if (query.box) area = { kind: 'box', ...query.box }
  else if (query.near)
    area = { kind: 'radius', center: query.near, metres: query.radius ?? DEFAULT_RADIUS_METRES }
  return {
    q: query.q,
    tags: query.tag,
    tagMode: query.tagMode,
    area,
    near: query.near,
    sort: query.sort,
    limit: query.limit,
    cursor: query.cursor,
  }
}

const usersRoute = createRoute({
  method: 'get',
  path: '/search/users',
  tags: ['search'],
  summary: 'Find people by name, tags or place',
  description:
    "Users who opted out of discovery are never found by others. Hits never carry coordinates; with `near`, a distance rounded to 100 m. Among equally good matches, the caller's contacts come first.",
  ...authorized('search'),
  request: { query: discoveryQuery },
  responses: {
    200: {
      description: 'A page of hits',
      content: { 'application/json': { schema: pageOf(UserHitSchema, 'UserPage') } },
    },
    ...ERRORS,
  },
})

const groupsRoute = createRoute({
  method: 'get',
  path: '/search/groups',
  tags: ['search'],
  summary: 'Find groups by name, tags or place',
  description: 'A private group is found only by its members.',
  ...authorized('search'),
  request: { query: discoveryQuery },
  responses: {
    200: {
      description: 'A page of hits',
      content: { 'application/json': { schema: pageOf(GroupHitSchema, 'GroupPage') } },
    },
    ...ERRORS,
  },
})

export function searchRoutes(services: Services) {
  return createRouter()
    .openapi(messagesRoute, async (c) => {
      const query = c.req.valid('query')
      return c.json(await services.messages.search(c.var.caller.userId, query), 200)
    })
    .openapi(usersRoute, async (c) => {
      const params = discoveryParams(c.req.valid('query'))
      return c.json(await services.discovery.searchUsers(c.var.caller.userId, params), 200)
    })
    .openapi(groupsRoute, async (c) => {
      const params = discoveryParams(c.req.valid('query'))
      return c.json(await services.discovery.searchGroups(c.var.caller.userId, params), 200)
    })
}
