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
