/** @module The message the crash tests' children post as write `i`: every other one to group g1, the rest a direct chat. */
import type { MessageInput } from '../../src/domain/message.ts'

/** g1's members besides its owner u1, who posts every message; u6 joins and leaves all along. */
export const GROUP_MEMBERS = ['u2', 'u4', '张伟']

export function crashMessage(prefix: string, i: number): MessageInput {
  const group = i % 2 === 0
  return {
    messageId: `${prefix}-${i}`,
    conversationId: group ? 'g1' : 'dm:u1:u3',
    senderId: 'u1',
    type: 'text',
    content: `第 ${i} 条消息 message ${i}`,
    ...(group ? {} : { recipients: ['u3'] }),
  }
}
