/** @module Identifier schemas shared by every record kind. */
import { z } from 'zod'

/**
 * Ids are opaque strings chosen by the IM backend. The character set is kept to what is safe in
 * URL paths, Tablestore primary keys and log lines; 128 characters is far above any real id.
 */
export const IdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'ids use letters, digits and . _ : @ - only')
  // URLs resolve `.` and `..` segments (even as %2E), so such an id could be stored but never
  // addressed in a path again: refused up front (issue #8, found by the endpoint fuzzer).
  .refine((id) => id !== '.' && id !== '..', 'an id cannot be "." or ".."')

/** Epoch milliseconds, within what a JavaScript Date can hold. */
export const EpochMsSchema = z.number().int().min(0).max(8.64e15)
