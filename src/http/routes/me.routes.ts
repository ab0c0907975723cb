/** @module The caller's own lists: `GET /v1/me/groups`, `GET /v1/me/contacts`. */
import { createRoute, z } from '@hono/zod-openapi'
import type { ServiceCalls } from '../../services/index.ts'
import { authorized } from '../auth.ts'
import { problemResponses } from '../problem.ts'
import { createRouter } from '../router.ts'
import { cursorParam, limitParam, nameQueryParam } from './params.ts'
import { ContactHitSchema, pageOf } from './schemas.ts'

const myGroups = createRoute({
  method: 'get',
  path: '/me/groups',
  tags: ['directory'],
  summary: 'The groups the caller belongs to, newest join first',
  ...authorized('search'),
  responses: {
    200: {
      description: 'Groups',
      content: {
        'application/json': {
          schema: z
            .object({
              hits: z.array(z.object({ groupId: z.string(), name: z.string(), joinedAt: z.number().int() })),
            })
            .openapi('MyGroups'),
        },
      },
    },
    ...problemResponses(401, 403, 429, 503),
  },
})

const myContacts = createRoute({
  method: 'get',
  path: '/me/contacts',
  tags: ['directory'],
  summary: "The caller's contacts, optionally matched on name or nickname",
  description:
    'Names and nicknames match by the same fuzzy rules as user search. Default order: relevance with `q`, else newest first.',
  ...authorized('search'),
  request: {
    query: z.object({
      q: nameQueryParam,
      sort: z.enum(['added', 'name']).optional(),
      limit: limitParam(20),
      cursor: cursorParam,
    }),
  },
  responses: {
    200: {
      description: 'Contacts',
      content: { 'application/json': { schema: pageOf(ContactHitSchema, 'ContactPage') } },
    },
    ...problemResponses(400, 401, 403, 429, 503),
  },
})

export function meRoutes(services: ServiceCalls) {
  return createRouter()
    .openapi(myGroups, async (c) =>
      c.json({ hits: await services.directory.myGroups(c.get('caller').userId) }, 200),
    )
    .openapi(myContacts, async (c) =>
      c.json(await services.directory.myContacts(c.get('caller').userId, c.req.valid('query')), 200),
    )
}
