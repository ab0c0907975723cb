/** @module A contact: one of the two mirrored rows of the seeds' `im_user_relation_table`. */
import { z } from 'zod'
import { EpochMsSchema, IdSchema } from './ids.ts'

export const ContactSchema = z.object({
  /** The row's owner (the seeds' `main_user`). */
  userId: IdSchema,
  /** The other user (`sub_user`). */
  contactId: IdSchema,
  /** The owner's own name for the contact. */
  nickname: z.string().trim().min(1).max(100).optional(),
  addedAt: EpochMsSchema,
})
export type Contact = z.infer<typeof ContactSchema>

/** The body of `PUT /v1/users/{userId}/contacts/{contactId}`. */
export const ContactInputSchema = z.object({ nickname: ContactSchema.shape.nickname })
export type ContactInput = z.infer<typeof ContactInputSchema>
