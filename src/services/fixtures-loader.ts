/**
 * @module Loads a fixture folder (see `fixtures/README.md`) through the ingestion service, so
 * fixtures obey every rule live traffic obeys. Group creations, joins, friendships and messages
 * are replayed in time order with the ingestion clock set to each record's time: a member who
 * joined late does not receive earlier messages, exactly as in production.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { ContactSchema } from '../domain/contact.ts'
import { GroupInputSchema, MembershipSchema } from '../domain/group.ts'
import { EpochMsSchema, IdSchema } from '../domain/ids.ts'
import { MessageInputSchema } from '../domain/message.ts'
import { UserSchema } from '../domain/user.ts'
import type { RecordStore } from '../ports/record-store.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import { Ingestion } from './ingestion.ts'

const GroupFixtureSchema = GroupInputSchema.extend({ groupId: IdSchema, createdAt: EpochMsSchema })
/** One row per friendship; `contactNickname` is the contact's nickname for the user. */
const ContactFixtureSchema = ContactSchema.extend({ contactNickname: ContactSchema.shape.nickname })

export interface FixtureCounts {
  users: number
  groups: number
  memberships: number
  contacts: number
  messages: number
}

type Event = { at: number; order: number; run: (ingestion: Ingestion) => Promise<unknown> }

async function readArray<T extends z.ZodType>(dir: string, file: string, schema: T): Promise<z.infer<T>[]> {
  const text = await readFile(join(dir, file), 'utf8')
  const parsed = z.array(schema).safeParse(JSON.parse(text))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`[im-search] fixtures: ${file} at ${issue?.path.join('.')}: ${issue?.message}`)
  }
  return parsed.data
}

export async function loadFixtures(
  dir: string,
  deps: { store: RecordStore; backend: SearchBackend },
): Promise<FixtureCounts> {
  const [users, groups, memberships, contacts, messages] = await Promise.all([
    readArray(dir, 'users.json', UserSchema),
    readArray(dir, 'groups.json', GroupFixtureSchema),
    readArray(dir, 'memberships.json', MembershipSchema),
    readArray(dir, 'contacts.json', ContactFixtureSchema),
    readArray(dir, 'messages.json', MessageInputSchema),
  ])
  let clock = 0
  const ingestion = new Ingestion({ ...deps, now: () => clock })
  for (const { userId, ...input } of users) await ingestion.putUser(userId, input)
  // At equal times: groups before joins before friendships before messages.
  const events: Event[] = [
    ...groups.map(({ groupId, createdAt, ...input }) => ({
      at: createdAt,
      order: 0,
      run: (i: Ingestion) => i.putGroup(groupId, input),
    })),
    ...memberships.map((m) => ({
      at: m.joinedAt,
      order: 1,
      run: (i: Ingestion) => i.addMember(m.groupId, m.userId),
    })),
    ...contacts.map((c) => ({
      at: c.addedAt,
      order: 2,
      run: async (i: Ingestion) => {
        await i.putContact(c.userId, c.contactId, { nickname: c.nickname })
        if (c.contactNickname) await i.putContact(c.contactId, c.userId, { nickname: c.contactNickname })
      },
    })),
    ...messages.map((m) => ({ at: m.sentAt ?? 0, order: 3, run: (i: Ingestion) => i.postMessage(m) })),
  ]
  events.sort((a, b) => a.at - b.at || a.order - b.order)
  for (const event of events) {
    clock = event.at
    await event.run(ingestion)
  }
  return {
    users: users.length,
    groups: groups.length,
    memberships: memberships.length,
    contacts: contacts.length,
    messages: messages.length,
  }
}
