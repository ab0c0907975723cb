/**
 * @module Name lists shared across indexes at a snapshot load (`reader.ts`): users and contacts
 * (with and without nicknames, Chinese and English names) saved and read back come back equal to
 * the documents indexed (the oracle), and a contact's name lists are its user's very lists.
 */
import { rm } from 'node:fs/promises'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import { readSnapshot } from '../../adapters/memory/snapshot/reader.ts'
import type { StoredDocuments } from '../../adapters/memory/stored-documents.ts'
import { type ContactDocument, contactKey, type UserDocument } from '../../src/ports/documents.ts'
import { contactDocument, userDocument } from '../../src/services/documents.ts'
import { NAME_POOL } from '../contract/arbitraries.ts'
import { T0 } from '../contract/fixtures.ts'
import { snapshotRunDirs } from './snapshot-run-dirs.ts'

const NAMES = [...NAME_POOL, 'Anna Lee', 'Wang Wei'] as const
const LISTS = ['nameWords', 'nameDeletes', 'namePinyin'] as const

const writesArb = fc.record({
  users: fc.uniqueArray(fc.record({ id: fc.nat({ max: 15 }), name: fc.constantFrom(...NAMES) }), {
    minLength: 1,
    maxLength: 16,
    selector: (u) => u.id,
  }),
  contacts: fc.array(
    fc.record({
      owner: fc.nat({ max: 15 }),
      pick: fc.nat(),
      nickname: fc.option(fc.constantFrom('老王', 'Boss', '小明同学'), { nil: undefined }),
    }),
    { maxLength: 30 },
  ),
})

/** Documents of `index` by id, as a load returned them. */
function byId<D>(documents: StoredDocuments | undefined, id: (doc: D) => string): Map<string, D> {
  const found = new Map<string, D>()
  for (let docNo = 0; docNo < (documents?.length ?? 0); docNo++) {
    const doc = documents?.get(docNo) as D | undefined
    if (doc) found.set(id(doc), doc)
  }
  return found
}

describe('name lists across indexes after a snapshot load', () => {
  const runDir = snapshotRunDirs('im-search-cross-lists-')

  it('come back equal to the indexed documents, a contact holding its user’s lists', async () => {
    await fc.assert(
      fc.asyncProperty(writesArb, async ({ users, contacts }) => {
        const dir = runDir()
        const backend = new MemoryBackend({ snapshotDir: dir })
        const userDocs = users.map((u) =>
          userDocument({ userId: `u${u.id}`, name: u.name, tags: [], discoverable: true, profile: {} }),
        )
        const contactDocs = new Map<string, ContactDocument>()
        for (const c of contacts) {
          const user = users[c.pick % users.length] as (typeof users)[number]
          const doc = contactDocument(
            { userId: `u${c.owner}`, contactId: `u${user.id}`, nickname: c.nickname, addedAt: T0 },
            user.name,
          )
          contactDocs.set(doc.contactKey, doc)
        }
        await backend.index('users', userDocs)
        await backend.index('contacts', [...contactDocs.values()])
        await backend.snapshots?.save({ storeId: 'store-1', covered: 1 })

        const read = await readSnapshot(dir, ['users', 'contacts'])
        if (!read.ok) throw new Error(read.reason)
        const loadedUsers = byId<UserDocument>(read.indexes.users?.documents, (d) => d.userId)
        const loadedContacts = byId<ContactDocument>(read.indexes.contacts?.documents, (d) =>
          contactKey(d.userId, d.contactId),
        )
        expect(loadedUsers).toEqual(new Map(userDocs.map((d) => [d.userId, d])))
        // The key is not saved: the index makes it from the two ids (`DocIndexOptions.composed`).
        const withoutKeys = [...contactDocs].map(([key, { contactKey: _, ...doc }]) => [key, doc] as const)
        expect(loadedContacts).toEqual(new Map(withoutKeys))
        for (const contact of loadedContacts.values()) {
          const user = loadedUsers.get(contact.contactId) as UserDocument
          for (const list of LISTS) if (contact[list].length > 0) expect(contact[list]).toBe(user[list])
        }
        await rm(dir, { recursive: true, force: true })
      }),
      { numRuns: 40 },
    )
  }, 60_000)
})
