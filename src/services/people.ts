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
      const ids = [...new Set(userIds)]
      const users = await Promise.all(ids.map((id) => store.getUser(id)))
      const out = new Map<string, string>()
      for (const user of users) if (user) out.set(user.userId, user.name)
      return out
    },
  }
}
