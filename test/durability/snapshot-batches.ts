/**
 * @module The writes of the snapshot crash test, the same in the killed child and in the test's
 * oracle: batch j indexes messages (Chinese and English) and removes a few older ones, so every
 * snapshot holds another state, with deleted slots.
 */
import type { MemoryBackend } from '../../adapters/memory/backend.ts'
import { messageDocument } from '../../src/services/documents.ts'

/** The first batch is large, the next ones small: a save then takes longer than a batch, so a kill at a random moment mostly lands in a save. */
const FIRST = 6000
const NEXT = 100
const CONTENTS = ['项目进度更新', 'deploy the api 上线', '上海 会议 notes', 'JWT 过期了', 'lunch 一起吃饭']

/** Applies batch `j` (1, 2, …) to `backend`. */
export async function applyBatch(backend: MemoryBackend, j: number): Promise<void> {
  const from = j === 1 ? 0 : FIRST + (j - 2) * NEXT
  const count = j === 1 ? FIRST : NEXT
  await backend.index(
    'messages',
    Array.from({ length: count }, (_, k) => {
      const i = from + k
      return messageDocument({
        messageId: `m${i}`,
        conversationId: `g${i % 7}`,
        conversationType: 'group',
        senderId: `u${i % 5}`,
        recipients: ['u0', 'u1', 'u2', 'u3', 'u4'].slice(0, 2 + (i % 4)),
        type: 'text',
        content: `${CONTENTS[i % CONTENTS.length]} #${j}`,
        sentAt: 1_700_000_000_000 + i * 1000,
        sequenceId: i,
      })
    }),
  )
  await backend.remove(
    'messages',
    Array.from({ length: 20 }, (_, k) => `m${(j * 37 + k * 11) % (from + count)}`),
  )
}
