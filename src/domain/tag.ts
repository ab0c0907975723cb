/** @module Weighted tags of users and groups. */
import { z } from 'zod'

/** A tag name is matched after NFKC and lower-casing, so `Golf` and `ｇｏｌｆ` are one tag. */
export const TagNameSchema = z.string().trim().min(1).max(64)

export const TagSchema = z.object({
  name: TagNameSchema,
  /** How much the tag counts in a multi-tag search; a sum of matched weights ranks the hits. */
  weight: z.number().positive().max(1000).default(1),
})
export type Tag = z.infer<typeof TagSchema>

/** Tags as clients send them: a bare name or `{name, weight}`. */
export const TagInputSchema = z.union([TagNameSchema.transform((name) => ({ name, weight: 1 })), TagSchema])

export const TagListSchema = z.array(TagInputSchema).max(64)

/** The key a tag is indexed and queried under. */
export function normalizeTagName(name: string): string {
  return name.normalize('NFKC').toLowerCase().trim()
}
