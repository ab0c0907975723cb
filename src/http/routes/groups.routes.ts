/** @module Groups and members: `PUT/GET/DELETE /v1/groups/{groupId}`, `PUT/DELETE/GET .../members`. */
import { createRoute, z } from '@hono/zod-openapi'
import { GeoPointSchema, GroupInputSchema, GroupVisibilitySchema, IdSchema } from '../../domain/index.ts'
import type { ServiceCalls } from '../../services/index.ts'
import { authorized } from '../auth.ts'
import { problemResponses } from '../problem.ts'
import { createRouter } from '../router.ts'
import { json, TagOutSchema } from './schemas.ts'

const GroupParams = z.object({ groupId: IdSchema })
const MemberParams = z.object({ groupId: IdSchema, userId: IdSchema })

const GroupSchemaOut = z
  .object({
    groupId: z.string(),
    name: z.string(),
    description: z.string(),
    tags: z.array(TagOutSchema),
    location: GeoPointSchema.optional(),
    visibility: GroupVisibilitySchema,
    ownerId: z.string(),
    createdAt: z.number().int(),
    memberCount: z.number().int(),
  })
  .openapi('Group')

const MembershipSchemaOut = z
  .object({ groupId: z.string(), userId: z.string(), joinedAt: z.number().int() })
  .openapi('Membership')

const putGroup = createRoute({
  method: 'put',
  path: '/groups/{groupId}',
  tags: ['ingestion'],
  summary: 'Create or replace a group; the owner becomes a member',
  ...authorized('ingest'),
  request: {
    params: GroupParams,
    body: { required: true, content: { 'application/json': { schema: GroupInputSchema } } },
  },
  responses: {
    200: json(GroupSchemaOut, 'Replaced'),
    201: json(GroupSchemaOut, 'Created'),
    ...problemResponses(400, 401, 403, 413, 415, 429, 503, 507),
  },
})

const getGroup = createRoute({
  method: 'get',
  path: '/groups/{groupId}',
  tags: ['directory'],
  summary: 'A group',
  description: 'A private group is visible only to its members (404 for others).',
  ...authorized('search'),
  request: { params: GroupParams },
  responses: { 200: json(GroupSchemaOut, 'The group'), ...problemResponses(400, 401, 403, 404, 429, 503) },
})

const deleteGroup = createRoute({
  method: 'delete',
  path: '/groups/{groupId}',
  tags: ['ingestion'],
  summary: 'Delete a group and its memberships (its messages keep their recipients)',
  ...authorized('ingest'),
  request: { params: GroupParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 429, 503, 507) },
})

const putMember = createRoute({
  method: 'put',
  path: '/groups/{groupId}/members/{userId}',
  tags: ['ingestion'],
  summary: "Add a member; they see the group's messages from now on, not earlier ones",
  ...authorized('ingest'),
  request: { params: MemberParams },
  responses: {
    200: json(MembershipSchemaOut, 'Already a member'),
    201: json(MembershipSchemaOut, 'Joined'),
    ...problemResponses(400, 401, 403, 404, 429, 503, 507),
  },
})

const deleteMember = createRoute({
  method: 'delete',
  path: '/groups/{groupId}/members/{userId}',
  tags: ['ingestion'],
  summary: 'Remove a member; what they received stays searchable for them',
  ...authorized('ingest'),
  request: { params: MemberParams },
  responses: { 204: { description: 'Removed' }, ...problemResponses(400, 401, 403, 404, 409, 429, 503, 507) },
})

const listMembers = createRoute({
  method: 'get',
  path: '/groups/{groupId}/members',
  tags: ['directory'],
  summary: 'The members of a group, in user id order',
  description: "A private group's members are listed only to its members.",
  ...authorized('search'),
  request: { params: GroupParams },
  responses: {
    200: json(
      z.object({ hits: z.array(MembershipSchemaOut), total: z.number().int() }).openapi('MemberList'),
      'Members',
    ),
    ...problemResponses(400, 401, 403, 404, 429, 503),
  },
})

export function groupRoutes(services: ServiceCalls) {
  return createRouter()
    .openapi(putGroup, async (c) => {
      const { group, created } = await services.ingestion.putGroup(
        c.req.valid('param').groupId,
        c.req.valid('json'),
      )
      return created ? c.json(group, 201) : c.json(group, 200)
    })
    .openapi(getGroup, async (c) =>
      c.json(await services.directory.group(c.get('caller').userId, c.req.valid('param').groupId), 200),
    )
    .openapi(deleteGroup, async (c) => {
      await services.ingestion.deleteGroup(c.req.valid('param').groupId)
      return c.body(null, 204)
    })
    .openapi(putMember, async (c) => {
      const { groupId, userId } = c.req.valid('param')
      const { membership, joined } = await services.ingestion.addMember(groupId, userId)
      return joined ? c.json(membership, 201) : c.json(membership, 200)
    })
    .openapi(deleteMember, async (c) => {
      const { groupId, userId } = c.req.valid('param')
      await services.ingestion.removeMember(groupId, userId)
      return c.body(null, 204)
    })
    .openapi(listMembers, async (c) => {
      const hits = await services.directory.members(c.get('caller').userId, c.req.valid('param').groupId)
      return c.json({ hits, total: hits.length }, 200)
    })
}
