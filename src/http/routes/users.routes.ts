/** @module Users and contacts: `PUT/GET/DELETE /v1/users/{userId}`, `PUT/DELETE /v1/users/{userId}/contacts/{contactId}`. */
import { createRoute, z } from '@hono/zod-openapi'
import {
  ContactInputSchema,
  GeoPointSchema,
  IdSchema,
  ProfileSchema,
  UserInputSchema,
} from '../../domain/index.ts'
import type { ServiceCalls } from '../../services/index.ts'
import { authorized } from '../auth.ts'
import { problemResponses } from '../problem.ts'
import { createRouter } from '../router.ts'
import { json, TagOutSchema } from './schemas.ts'

const UserParams = z.object({ userId: IdSchema })
const ContactParams = z.object({ userId: IdSchema, contactId: IdSchema })

const UserSchemaOut = z
  .object({
    userId: z.string(),
    name: z.string(),
    tags: z.array(TagOutSchema),
    location: GeoPointSchema.optional().openapi({
      description: 'Only in answers to the user themselves and to ingestion.',
    }),
    discoverable: z.boolean(),
    profile: ProfileSchema,
  })
  .openapi('User')

const ContactSchemaOut = z
  .object({
    userId: z.string(),
    contactId: z.string(),
    nickname: z.string().optional(),
    addedAt: z.number().int(),
  })
  .openapi('Contact')

const putUser = createRoute({
  method: 'put',
  path: '/users/{userId}',
  tags: ['ingestion'],
  summary: 'Create or replace a user',
  ...authorized('ingest'),
  request: {
    params: UserParams,
    body: { required: true, content: { 'application/json': { schema: UserInputSchema } } },
  },
  responses: {
    200: json(UserSchemaOut, 'Replaced'),
    201: json(UserSchemaOut, 'Created'),
    ...problemResponses(400, 401, 403, 413, 415, 429, 503, 507),
  },
})

const getUser = createRoute({
  method: 'get',
  path: '/users/{userId}',
  tags: ['directory'],
  summary: 'A user profile',
  description: 'A user who opted out of discovery is found by id only by themselves (404 for others).',
  ...authorized('search'),
  request: { params: UserParams },
  responses: { 200: json(UserSchemaOut, 'The user'), ...problemResponses(400, 401, 403, 404, 429, 503) },
})

const deleteUser = createRoute({
  method: 'delete',
  path: '/users/{userId}',
  tags: ['ingestion'],
  summary: 'Delete a user, their friendships and memberships (messages keep their recipients)',
  ...authorized('ingest'),
  request: { params: UserParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 429, 503, 507) },
})

const putContact = createRoute({
  method: 'put',
  path: '/users/{userId}/contacts/{contactId}',
  tags: ['ingestion'],
  summary: 'Make two users contacts of each other',
  description: "Writes both mirrored rows; `nickname` is the first user's name for the second.",
  ...authorized('ingest'),
  request: {
    params: ContactParams,
    body: { required: false, content: { 'application/json': { schema: ContactInputSchema } } },
  },
  responses: {
    200: json(ContactSchemaOut, "The first user's row"),
    ...problemResponses(400, 401, 403, 413, 415, 429, 503, 507),
  },
})

const deleteContact = createRoute({
  method: 'delete',
  path: '/users/{userId}/contacts/{contactId}',
  tags: ['ingestion'],
  summary: 'End a friendship for both users',
  ...authorized('ingest'),
  request: { params: ContactParams },
  responses: { 204: { description: 'Ended' }, ...problemResponses(400, 401, 403, 404, 429, 503, 507) },
})

export function userRoutes(services: ServiceCalls) {
  return createRouter()
    .openapi(putUser, async (c) => {
      const { user, created } = await services.ingestion.putUser(
        c.req.valid('param').userId,
        c.req.valid('json'),
      )
      return created ? c.json(user, 201) : c.json(user, 200)
    })
    .openapi(getUser, async (c) =>
      c.json(await services.directory.user(c.get('caller').userId, c.req.valid('param').userId), 200),
    )
    .openapi(deleteUser, async (c) => {
      await services.ingestion.deleteUser(c.req.valid('param').userId)
      return c.body(null, 204)
    })
    .openapi(putContact, async (c) => {
      const { userId, contactId } = c.req.valid('param')
      // An empty body is allowed: a friendship without a nickname.
      const body = (await c.req.text()).trim() === '' ? {} : c.req.valid('json')
      return c.json(await services.ingestion.putContact(userId, contactId, body), 200)
    })
    .openapi(deleteContact, async (c) => {
      const { userId, contactId } = c.req.valid('param')
      await services.ingestion.deleteContact(userId, contactId)
      return c.body(null, 204)
    })
}
