/**
 * @module What the world holds after a script, kept by the test independently of the service:
 * the source of truth every answer is compared with. Only the permission rules of the README are
 * encoded here (recipients fixed at send time, recalls gone for everyone, hidden users, private
 * groups); nothing is read back from the service.
 */
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import type { Group } from '../../src/domain/group.ts'
import type { User } from '../../src/domain/user.ts'

export interface ModelMessage {
  messageId: string
  conversationId: string
  senderId: string
  type: string
  content: string
  sentAt: number
  /** From the receipt: the store assigns it, the test only checks it is used consistently. */
  sequenceId: number
  recipients: ReadonlySet<string>
  mentions: string[]
  mentionAll: boolean
  attachments: { name: string; kind: string; size?: number }[]
  recalled: boolean
  /** The request body, for resends. */
  body: Record<string, unknown>
}

export interface ModelGroup {
  record: Omit<Group, 'memberCount' | 'createdAt'>
  /** userId → joinedAt. */
  members: Map<string, number>
}

export interface ModelContact {
  addedAt: number
  nickname: string | undefined
}

export class Model {
  readonly users = new Map<string, User>()
  readonly groups = new Map<string, ModelGroup>()
  /** `owner→contact` → the owner's row (rows are mirrored). */
  readonly contacts = new Map<string, ModelContact>()
  readonly messages: ModelMessage[] = []

  /** A user another caller may find or read: they opted in, or they are the caller. */
  userVisible(caller: string, userId: string): boolean {
    const user = this.users.get(userId)
    return user !== undefined && (user.discoverable || userId === caller)
  }

  groupVisible(caller: string, groupId: string): boolean {
    const group = this.groups.get(groupId)
    return group !== undefined && (group.record.visibility === 'public' || group.members.has(caller))
  }

  /** The README's rule: in the recipients, and not recalled. */
  messageVisible(caller: string, m: ModelMessage): boolean {
    return !m.recalled && m.recipients.has(caller)
  }

  contactsOf(userId: string): { contactId: string; row: ModelContact }[] {
    const out: { contactId: string; row: ModelContact }[] = []
    for (const [key, row] of this.contacts) {
      const [owner, contactId] = key.split('→') as [string, string]
      if (owner === userId) out.push({ contactId, row })
    }
    return out
  }

  conversationIds(): string[] {
    return [...new Set(this.messages.map((m) => m.conversationId))].sort()
  }

  /** Every coordinate of a person: none may leave the service except in their own profile. */
  personCoordinates(): GeoPoint[] {
    return [...this.users.values()].flatMap((u) => (u.location ? [u.location] : []))
  }
}

export const contactKey = (owner: string, contact: string) => `${owner}→${contact}`
