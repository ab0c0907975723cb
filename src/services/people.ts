/**
 * @module Names of people and groups for search results, read from the record store once per
 * request: a client renders a hit without another request.
 */
import type { RecordStore } from '../ports/record-store.ts'

export interface People {
  /** The current names of the users that exist among `userIds`. */
  names(userIds: readonly string[]): Promise<Map<string, string>>
}

export function peopleOf(store: RecordStore): People {
  return {
    async names(userIds) {
      const users = await store.getUsers([...new Set(userIds)])
      return new Map(users.map((user) => [user.userId, user.name]))
    },
  }
}
