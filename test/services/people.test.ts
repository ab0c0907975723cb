/**
 * @module The cache of sender names (issue #12: a message search in at most 2 round trips): hits
 * within the TTL read no store, this process's own user writes and deletions show at once, and
 * another replica's show once the TTL has passed.
 */
import { describe, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import type { UserInput } from '../../src/domain/user.ts'
import { Ingestion } from '../../src/services/ingestion.ts'
import { peopleOf } from '../../src/services/people.ts'

const user = (name: string): UserInput => ({ name, tags: [], discoverable: true, profile: {} })

function setup(ttlMs = 5_000, maxEntries?: number) {
  const store = new MemoryRecordStore()
  const clock = { now: 1_000 }
  const reads: string[][] = []
  const getUsers = store.getUsers.bind(store)
  store.getUsers = (ids) => {
    reads.push([...ids])
    return getUsers(ids)
  }
  const people = peopleOf(store, { ttlMs, now: () => clock.now, ...(maxEntries ? { maxEntries } : {}) })
  const ingestion = new Ingestion({ store, backend: createMemoryBackend(), names: people })
  return { store, clock, reads, people, ingestion }
}

describe('sender names cache', () => {
  it('serves names and absences from the cache within the TTL', async () => {
    const { reads, people, ingestion } = setup()
    await ingestion.putUser('u1', user('张伟'))
    expect(await people.names(['u1', 'ghost', 'u1'])).toEqual(new Map([['u1', '张伟']]))
    expect(await people.names(['ghost', 'u1'])).toEqual(new Map([['u1', '张伟']]))
    expect(reads).toEqual([['u1', 'ghost']])
  })

  it("shows this process's rename and deletion at once", async () => {
    const { people, ingestion } = setup()
    await ingestion.putUser('u1', user('张伟'))
    await people.names(['u1'])
    await ingestion.putUser('u1', user('Wei Zhang'))
    expect(await people.names(['u1'])).toEqual(new Map([['u1', 'Wei Zhang']]))
    await ingestion.deleteUser('u1')
    expect((await people.names(['u1'])).get('u1')).toBeUndefined()
    await ingestion.putUser('u1', user('王芳'))
    expect(await people.names(['u1'])).toEqual(new Map([['u1', '王芳']]))
  })

  it("shows another replica's change once the TTL has passed, not before", async () => {
    const { store, clock, people, ingestion } = setup(5_000)
    await ingestion.putUser('u1', user('张伟'))
    await people.names(['u1'])
    // Another replica renames the user in the shared store: this cache does not hear of it.
    await store.putUser({ userId: 'u1', ...user('李娜'), tags: [] })
    clock.now += 4_999
    expect(await people.names(['u1'])).toEqual(new Map([['u1', '张伟']]))
    clock.now += 1
    expect(await people.names(['u1'])).toEqual(new Map([['u1', '李娜']]))
    await store.deleteUser('u1')
    clock.now += 5_000
    expect(await people.names(['u1'])).toEqual(new Map())
  })

  it('does not cache a read that a deletion overtook', async () => {
    const { store, people, ingestion } = setup()
    await ingestion.putUser('u1', user('张伟'))
    const getUsers = store.getUsers.bind(store)
    let deleted: Promise<void> | undefined
    store.getUsers = async (ids) => {
      const users = await getUsers(ids)
      // The deletion lands after the read but before the read's answer is cached.
      deleted ??= ingestion.deleteUser('u1')
      await deleted
      return users
    }
    expect(await people.names(['u1'])).toEqual(new Map([['u1', '张伟']]))
    store.getUsers = getUsers
    expect(await people.names(['u1'])).toEqual(new Map())
  })

  it('keeps at most maxEntries users, dropping the least recently read', async () => {
    const { reads, people, ingestion } = setup(5_000, 2)
    for (const id of ['a', 'b', 'c']) await ingestion.putUser(id, user(`用户${id}`))
    await people.names(['a'])
    await people.names(['b'])
    await people.names(['a'])
    await people.names(['c'])
    reads.length = 0
    await people.names(['a', 'c'])
    expect(reads).toEqual([])
    await people.names(['b'])
    expect(reads).toEqual([['b']])
  })

  it('stays bounded when every remembered user was read since the last eviction', async () => {
    const { reads, people, ingestion } = setup(5_000, 2)
    for (const id of ['a', 'b', 'c']) await ingestion.putUser(id, user(`用户${id}`))
    await people.names(['a', 'b'])
    await people.names(['a', 'b'])
    await people.names(['c'])
    reads.length = 0
    // Both read entries were spared; the newcomer, never read again, went instead.
    await people.names(['a', 'b'])
    expect(reads).toEqual([])
    await people.names(['c'])
    expect(reads).toEqual([['c']])
  })

  it('reads the store every time with a TTL of 0', async () => {
    const { reads, people, ingestion } = setup(0)
    await ingestion.putUser('u1', user('张伟'))
    await people.names(['u1'])
    await people.names(['u1'])
    expect(reads).toHaveLength(2)
  })
})
