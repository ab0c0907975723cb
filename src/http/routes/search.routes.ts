/**
 * @module `GET /v1/search/messages`, `/v1/search/conversations`, `/v1/search` (the one box),
 * `/v1/search/users`, `/v1/search/groups`.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { IdSchema, MessageTypeSchema } from '../../domain/index.ts'
import type { DiscoveryParams } from '../../services/discovery.ts'
import type { GeoArea } from '../../services/discovery-query.ts'
import type { ServiceCalls } from '../../services/index.ts'
import { FACET_NAMES } from '../../services/message-search.ts'
import { MAX_QUERY_LENGTH } from '../../text/query-terms.ts'
import { authorized } from '../auth.ts'
import { problemResponses } from '../problem.ts'
import { createRouter } from '../router.ts'
import {
  boxParam,
  cursorParam,
  facetsParam,
  limitParam,
  messageQueryParam,
  nameQueryParam,
  pointParam,
  polygonParam,
  radiusParam,
  repeatedParam,
  requiredMessageQueryParam,
  timeParam,
  timeZoneParam,
} from './params.ts'
import {
  ContactHitSchema,
  FacetValueSchema,
  GroupHitSchema,
  MessageHitSchema,
  pageOf,
  UserHitSchema,
} from './schemas.ts'

/** Hits per section of the one box, at most. */
export const MAX_ONE_BOX_LIMIT = 20

const ERRORS = problemResponses(400, 401, 403, 429, 503)

/** The filters message search and conversation search share; `q` first (see `one-box.ts`). */
const messageFilters = {
  q: messageQueryParam,
  conversationId: IdSchema.optional(),
  senderId: IdSchema.optional(),
  type: MessageTypeSchema.optional(),
  after: timeParam,
  before: timeParam,
  tz: timeZoneParam,
}

/** The message search's query: a new schema each call (a test compares two parses of it). */
export function messageSearchQuery() {
  return z.object({
    ...messageFilters,
    sort: z.enum(['relevance', 'newest', 'oldest']).optional(),
    facets: facetsParam,
    limit: limitParam(20),
    cursor: cursorParam,
  })
}

const FacetsSchema = z
  .object(Object.fromEntries(FACET_NAMES.map((name) => [name, z.array(FacetValueSchema).optional()])))
  .openapi('MessageFacets', {
    description:
      'Per requested facet, counts over every matching message (all pages): at most 20 values, by count descending, then value ascending; `day` values are `YYYY-MM-DD` in `tz`.',
  })

const messagesRoute = createRoute({
  method: 'get',
  path: '/search/messages',
  tags: ['search'],
  summary: 'Full-text search over the messages the caller received',
  description:
    'Every term of `q` (split on white space; a "quoted phrase" is one term) must occur, as a contiguous token sequence, in the content or in one attachment name; operators narrow the search (see `q`). Only messages whose recipients include the caller are ever returned or counted, facets included.',
  ...authorized('search'),
  request: {
    query: messageSearchQuery(),
  },
  responses: {
    200: {
      description: 'A page of hits',
      content: {
        'application/json': {
          schema: z
            .object({
              hits: z.array(MessageHitSchema),
              total: z.number().int(),
              nextCursor: z.string().optional(),
              facets: FacetsSchema.optional(),
            })
            .openapi('MessagePage'),
        },
      },
    },
    ...ERRORS,
  },
})

const ConversationHitSchema = z
  .object({
    conversationId: z.string(),
    conversationType: z.enum(['single', 'group']),
    title: z.string().nullable().openapi({
      description:
        "The group's name, or for a direct chat the other participant's name (your own in a chat with yourself); null when that group or person no longer exists, or the group is private and you left it.",
    }),
    matches: z.number().int().openapi({ description: 'Matching messages in the conversation.' }),
    latest: MessageHitSchema.openapi({ description: 'The newest matching message.' }),
  })
  .openapi('ConversationHit')

const ConversationPageSchema = pageOf(ConversationHitSchema, 'ConversationPage')

const conversationsRoute = createRoute({
  method: 'get',
  path: '/search/conversations',
  tags: ['search'],
  summary: 'Chats with matching messages, one hit per chat',
  description:
    "The filters and operators of message search; one hit per conversation with at least one match, with its number of matches and its newest match, ordered by that message's `sentAt` descending, then `conversationId`. `total` counts the conversations.",
  ...authorized('search'),
  request: {
    query: z.object({ ...messageFilters, limit: limitParam(20), cursor: cursorParam }),
  },
  responses: {
    200: {
      description: 'A page of conversations',
      content: { 'application/json': { schema: ConversationPageSchema } },
    },
    ...ERRORS,
  },
})

const oneBoxRoute = createRoute({
  method: 'get',
  path: '/search',
  tags: ['search'],
  summary: 'The one search box: contacts, groups and chats',
  description:
    "Three sections, each `{hits, total, nextCursor?}`: the caller's contacts whose name or nickname matches the text of `q` (as `/v1/me/contacts?q=`), the groups the caller belongs to whose name matches it (as `/v1/search/groups?q=&member=true`), and the chats with matching messages (as `/v1/search/conversations?q=`, operators included). A section's `nextCursor` continues it on that endpoint.",
  ...authorized('search'),
  request: {
    query: z.object({
      q: requiredMessageQueryParam,
      tz: timeZoneParam,
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_ONE_BOX_LIMIT)
        .default(3)
        .openapi({ description: `Hits per section, 1 to ${MAX_ONE_BOX_LIMIT} (default 3).` }),
    }),
  },
  responses: {
    200: {
      description: 'The three sections',
      content: {
        'application/json': {
          schema: z
            .object({
              contacts: pageOf(ContactHitSchema, 'ContactSection'),
              groups: pageOf(GroupHitSchema, 'GroupSection'),
              conversations: ConversationPageSchema,
            })
            .openapi('OneBox'),
        },
      },
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
  request: {
    query: discoveryQuery.extend({
      member: z
        .enum(['true', 'false'])
        .optional()
        .openapi({ description: "true: only groups the caller belongs to (the one box's groups section)." }),
    }),
  },
  responses: {
    200: {
      description: 'A page of hits',
      content: { 'application/json': { schema: pageOf(GroupHitSchema, 'GroupPage') } },
    },
    ...ERRORS,
  },
})

export function searchRoutes(services: ServiceCalls) {
  return createRouter()
    .openapi(messagesRoute, async (c) => {
      const query = c.req.valid('query')
      return c.json(await services.messages.search(c.get('caller').userId, query), 200)
    })
    .openapi(usersRoute, async (c) => {
      const params = discoveryParams(c.req.valid('query'))
      return c.json(await services.discovery.searchUsers(c.get('caller').userId, params), 200)
    })
    .openapi(groupsRoute, async (c) => {
      const query = c.req.valid('query')
      const params = { ...discoveryParams(query), memberOnly: query.member === 'true' }
      return c.json(await services.discovery.searchGroups(c.get('caller').userId, params), 200)
    })
    .openapi(conversationsRoute, async (c) =>
      c.json(await services.conversations.search(c.get('caller').userId, c.req.valid('query')), 200),
    )
    .openapi(oneBoxRoute, async (c) =>
      c.json(await services.oneBox.search(c.get('caller').userId, c.req.valid('query')), 200),
    )
}
