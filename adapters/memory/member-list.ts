/** @module A group's members as the embedded stores keep them between membership changes. */
import type { Membership } from '../../src/domain/group.ts'

/** Members in user id order, and their ids frozen (the list `RecordStore.memberIds` answers). */
export interface MemberList {
  readonly memberships: readonly Membership[]
  readonly ids: readonly string[]
}

/** The list of `memberships` (already in user id order). */
export function memberList(memberships: readonly Membership[]): MemberList {
  return { memberships, ids: Object.freeze(memberships.map((m) => m.userId)) }
}

/**
 * `list` with `membership` in its place: one join is a copy of the list, not a sort of the whole
 * group again (at HTTP ingest, groups of thousands whose members join and leave between messages
 * were sorted with a key comparator at every change, a sixth of the process's CPU).
 */
export function withMember(list: MemberList, membership: Membership): MemberList {
  const at = placeOf(list.ids, membership.userId)
  const { memberships } = list
  return memberList([...memberships.slice(0, at), membership, ...memberships.slice(at)])
}

/** `list` without `userId` (itself when it is not a member). */
export function withoutMember(list: MemberList, userId: string): MemberList {
  const at = placeOf(list.ids, userId)
  if (list.ids[at] !== userId) return list
  const { memberships } = list
  return memberList([...memberships.slice(0, at), ...memberships.slice(at + 1)])
}

/** The first index of `ids` (ascending) not before `id`, in the order `<` compares strings. */
function placeOf(ids: readonly string[], id: string): number {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((ids[mid] as string) < id) lo = mid + 1
    else hi = mid
  }
  return lo
}
