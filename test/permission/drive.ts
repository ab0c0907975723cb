/**
 * @module Builds a world and replays a script through the ingestion endpoints, checking every
 * answer's status against the model as it goes and keeping the model in step. The ingestion
 * clock advances one second per step, so joins and friendships have distinct, known times.
 */
import { expect } from 'vitest'
import type { User } from '../../src/domain/user.ts'
import { expectJson, type Harness, T0 } from '../routes/harness.ts'
import { contactKey, Model, type ModelMessage } from './model.ts'
import {
  ATTACHMENTS,
  type Command,
  coordinates,
  GROUP_IDS,
  GROUP_SHIFT,
  MESSAGE_SPACING_MS,
  USER_IDS,
  type WorldSpec,
} from './world.ts'

export class Driver {
  readonly model = new Model()
  #step = 0

  constructor(private readonly h: Harness) {}

  get now(): number {
    return T0 + this.#step * 1000
  }

  #tick(): number {
    this.#step++
    this.h.setNow(this.now)
    return this.now
  }

  async build(spec: WorldSpec): Promise<void> {
    for (const [i, id] of USER_IDS.entries()) {
      const u = spec.users[i]
      if (!u) throw new Error('worldSpec has one user per id')
      const user: User = {
        userId: id,
        name: u.name,
        tags: u.tags,
        discoverable: u.discoverable,
        profile: {},
        ...(u.place ? { location: coordinates(u.place) } : {}),
      }
      await this.#putUser(user, 201)
    }
    for (const [i, id] of GROUP_IDS.entries()) {
      const g = spec.groups[i]
      if (!g) throw new Error('worldSpec has one group per id')
      const now = this.#tick()
      const record = {
        groupId: id,
        name: g.name,
        description: '',
        tags: g.tags,
        visibility: g.private ? ('private' as const) : ('public' as const),
        ownerId: g.owner,
        ...(g.place ? { location: coordinates(g.place, GROUP_SHIFT) } : {}),
      }
      const { groupId: _id, ...body } = record
      expectJson(await this.h.ingest('PUT', `/v1/groups/${id}`, body), 201)
      this.model.groups.set(id, { record, members: new Map([[g.owner, now]]) })
      for (const member of g.members) await this.apply({ kind: 'join', group: id, user: member })
    }
    for (const [a, b] of spec.friendships) await this.apply({ kind: 'befriend', a, b, nickname: undefined })
  }

  async #putUser(user: User, status: 200 | 201): Promise<void> {
    const { userId, ...body } = user
    expectJson(await this.h.ingest('PUT', `/v1/users/${userId}`, body), status)
    this.model.users.set(userId, user)
  }

  async apply(c: Command): Promise<void> {
    const now = this.#tick()
    const { h, model } = this
    switch (c.kind) {
      case 'join': {
        const members = model.groups.get(c.group)?.members
        if (!members) throw new Error(`no group ${c.group} in the model`)
        const reply = await h.ingest('PUT', `/v1/groups/${c.group}/members/${c.user}`)
        expect(reply.status).toBe(members.has(c.user) ? 200 : 201)
        if (!members.has(c.user)) members.set(c.user, now)
        return
      }
      case 'leave': {
        const group = model.groups.get(c.group)
        if (!group) throw new Error(`no group ${c.group} in the model`)
        const reply = await h.ingest('DELETE', `/v1/groups/${c.group}/members/${c.user}`)
        const owner = group.record.ownerId === c.user
        expect(reply.status).toBe(owner ? 409 : group.members.has(c.user) ? 204 : 404)
        if (!owner) group.members.delete(c.user)
        return
      }
      case 'group':
      case 'direct': {
        const words = c.words.join(c.spaced ? ' ' : '')
        const content = c.extras.link ? `${words} https://example.com/k8s?上海` : words
        const messageId = `m${this.#step}`
        // Two steps share a time: ties on sentAt are broken by sequenceId.
        const sentAt = T0 + Math.floor(this.#step / 2) * MESSAGE_SPACING_MS
        const extras = {
          ...(c.extras.mentions.length > 0 ? { mentions: c.extras.mentions } : {}),
          ...(c.extras.mentionAll ? { mentionAll: true } : {}),
          ...(c.extras.attachments.length > 0
            ? { attachments: c.extras.attachments.map((i) => ATTACHMENTS[i]) }
            : {}),
        }
        const body: Record<string, unknown> =
          c.kind === 'group'
            ? {
                messageId,
                conversationId: c.group,
                senderId: c.sender,
                type: c.type,
                content,
                sentAt,
                ...extras,
              }
            : {
                messageId,
                conversationId: `dm-${c.room}`,
                senderId: c.sender,
                type: c.type,
                content,
                sentAt,
                recipients: c.to,
                ...extras,
              }
        await this.#post(body)
        return
      }
      case 'resend': {
        const picked = model.messages[c.pick % Math.max(1, model.messages.length)]
        if (!picked) return
        const live = this.#live(picked.messageId)
        // After a recall the id is free again: the resend is a new message, with today's recipients.
        if (!live) return this.#post(picked.body)
        const reply = await h.ingest('POST', '/v1/messages', picked.body)
        expect(expectJson(reply, 200)).toEqual({
          messageId: live.messageId,
          conversationId: live.conversationId,
          sequenceId: live.sequenceId,
        })
        return
      }
      case 'recall': {
        const picked = model.messages[c.pick % Math.max(1, model.messages.length)]
        if (!picked) return
        const live = this.#live(picked.messageId)
        const reply = await h.ingest('DELETE', `/v1/messages/${picked.messageId}`)
        expect(reply.status).toBe(live ? 204 : 404)
        if (live) live.recalled = true
        return
      }
      case 'discoverable': {
        const user = model.users.get(c.user)
        if (!user) throw new Error(`no user ${c.user} in the model`)
        await this.#putUser({ ...user, discoverable: c.discoverable }, 200)
        return
      }
      case 'befriend': {
        const reply = await h.ingest('PUT', `/v1/users/${c.a}/contacts/${c.b}`, { nickname: c.nickname })
        if (c.a === c.b) {
          expect(reply.status).toBe(400)
          return
        }
        expect(reply.status).toBe(200)
        const mine = model.contacts.get(contactKey(c.a, c.b))
        const theirs = model.contacts.get(contactKey(c.b, c.a))
        const addedAt = mine?.addedAt ?? now
        model.contacts.set(contactKey(c.a, c.b), { addedAt, nickname: c.nickname ?? mine?.nickname })
        model.contacts.set(contactKey(c.b, c.a), { addedAt, nickname: theirs?.nickname })
        return
      }
      case 'unfriend': {
        const reply = await h.ingest('DELETE', `/v1/users/${c.a}/contacts/${c.b}`)
        const existed = model.contacts.delete(contactKey(c.a, c.b))
        model.contacts.delete(contactKey(c.b, c.a))
        expect(reply.status).toBe(existed ? 204 : 404)
        return
      }
    }
  }

  #live(messageId: string): ModelMessage | undefined {
    return this.model.messages.find((m) => m.messageId === messageId && !m.recalled)
  }

  /** Posts a new message; a group message from a non-member is refused and changes nothing. */
  async #post(body: Record<string, unknown>): Promise<void> {
    const group = this.model.groups.get(body.conversationId as string)
    const reply = await this.h.ingest('POST', '/v1/messages', body)
    if (group && !group.members.has(body.senderId as string)) {
      expect(reply.status).toBe(403)
      return
    }
    const receipt = expectJson(reply, 201)
    expect(receipt).toMatchObject({ messageId: body.messageId, conversationId: body.conversationId })
    const recipients = group
      ? new Set(group.members.keys())
      : new Set([body.senderId as string, ...(body.recipients as string[])])
    const message: ModelMessage = {
      messageId: body.messageId as string,
      conversationId: body.conversationId as string,
      senderId: body.senderId as string,
      type: body.type as string,
      content: body.content as string,
      sentAt: body.sentAt as number,
      sequenceId: receipt.sequenceId,
      recipients,
      mentions: (body.mentions as string[] | undefined) ?? [],
      mentionAll: body.mentionAll === true,
      attachments: (body.attachments as ModelMessage['attachments'] | undefined) ?? [],
      recalled: false,
      body,
    }
    this.model.messages.push(message)
  }
}
