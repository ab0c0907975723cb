/** @module A group (the seeds' timeline meta table) and its members (`im_group_relation_table`). */
import { z } from 'zod'
import { GeoPointSchema } from './geo-point.ts'
import { EpochMsSchema, IdSchema } from './ids.ts'
import { type Tag, TagListSchema } from './tag.ts'
import { NameSchema } from './user.ts'

export const GroupVisibilitySchema = z.enum(['public', 'private'])
export type GroupVisibility = z.infer<typeof GroupVisibilitySchema>

export const GroupSchema = z.object({
  /** Also the group conversation's timeline id. */
  groupId: IdSchema,
  name: NameSchema,
  description: z.string().max(2000).default(''),
  tags: TagListSchema.default([]),
  location: GeoPointSchema.optional(),
  /** A private group is found only by its members. */
  visibility: GroupVisibilitySchema.default('public'),
  /** Always a member. */
  ownerId: IdSchema,
  createdAt: EpochMsSchema,
  memberCount: z.number().int().nonnegative(),
})
export type Group = Omit<z.infer<typeof GroupSchema>, 'tags'> & { tags: Tag[] }

export const MembershipSchema = z.object({
  groupId: IdSchema,
  userId: IdSchema,
  joinedAt: EpochMsSchema,
})
export type Membership = z.infer<typeof MembershipSchema>

/** The body of `PUT /v1/groups/{groupId}`; the service keeps `createdAt` and counts members. */
export const GroupInputSchema = GroupSchema.omit({ groupId: true, createdAt: true, memberCount: true })
export type GroupInput = z.infer<typeof GroupInputSchema>
