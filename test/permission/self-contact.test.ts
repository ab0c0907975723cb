/**
 * @module Regression (issue 8, found by the permission suite on Tablestore, seed 20250801): ending
 * a "friendship" of a user with themselves was a 500 on Tablestore (a batch deleting one row
 * twice) and a 404 on the embedded backend. A user is never their own contact: 404 on both.
 */
import { describe, expect, it } from 'vitest'
import { eachBackend, expectProblem, type Harness } from '../routes/harness.ts'
import { useTablestoreEmulator } from '../tablestore/emulator-options.ts'

const emulator = useTablestoreEmulator(0)

describe.each(eachBackend(emulator))(
  'DELETE /v1/users/{id}/contacts/{id} with both ids the same (%s)',
  (_name, make: () => Harness) => {
    it('is the 404 of any pair that are not contacts', async () => {
      const h = make()
      expect((await h.ingest('PUT', '/v1/users/u0', { name: '张伟' })).status).toBe(201)
      expectProblem(await h.ingest('DELETE', '/v1/users/u0/contacts/u0'), 404)
      expectProblem(await h.ingest('DELETE', '/v1/users/u0/contacts/u9'), 404)
    })
  },
)
