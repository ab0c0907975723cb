/** @module A user: a row of the seeds' `im_user_table`. */
import { z } from 'zod'
import { GeoPointSchema } from './geo-point.ts'
import { IdSchema } from './ids.ts'
import { type Tag, TagListSchema } from './tag.ts'

export const NameSchema = z.string().trim().min(1).max(100)

/** Free-form profile fields (avatar, signature, ...): stored and returned, never searched. */
export const ProfileSchema = z.record(
  z.string().max(64),
  z.union([z.string().max(1024), z.number(), z.boolean()]),
)

export const UserSchema = z.object({
  userId: IdSchema,
  name: NameSchema,
  tags: TagListSchema.default([]),
  location: GeoPointSchema.optional(),
  /** Privacy opt-out: a user who is not discoverable is found by nobody but themselves. */
  discoverable: z.boolean().default(true),
  profile: ProfileSchema.default({}),
})
export type User = Omit<z.infer<typeof UserSchema>, 'tags'> & { tags: Tag[] }

/** The body of `PUT /v1/users/{userId}`. */
export const UserInputSchema = UserSchema.omit({ userId: true })
export type UserInput = z.infer<typeof UserInputSchema>
