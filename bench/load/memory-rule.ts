/**
 * @module The memory rule of the load test. Round 1 is the warm-up (JIT, lazily built tables such
 * as the pinyin dictionary, socket buffers), so its sample is the baseline. Afterwards the live
 * memory (heap + typed arrays, after forced collections) may grow by what the stored messages
 * explain — {@link BYTES_PER_MESSAGE} each — plus {@link SLACK_BYTES}. A leak per request grows
 * with the request count, not with the messages, and breaks the rule within a few rounds.
 */
import type { ServerMemory } from './protocol.ts'

/**
 * What one stored message may add: its document, postings and recipient set in the embedded
 * engine. The README measures ~1 KiB per message at 1M; this mix measured ~2 KiB (short messages,
 * half of them to groups whose member lists become recipient sets, at a small scale where fixed
 * costs weigh more), so 4 KiB leaves twice that as headroom.
 */
export const BYTES_PER_MESSAGE = 4096
/**
 * Noise a forced collection does not remove: compiled code, V8's pools, allocator slack. A
 * search-only run moved live memory up and down by up to 10 MiB between rounds with no data added.
 */
export const SLACK_BYTES = 16 * 2 ** 20

export interface RoundMemory {
  round: number
  liveBytes: number
  rssBytes: number
  messages: number
  /** Live bytes over the baseline (round 1). */
  growthBytes: number
  /** What the messages stored since the baseline explain. */
  explainedBytes: number
  bounded: boolean
}

export interface MemoryVerdict {
  rule: string
  rounds: RoundMemory[]
  /** Live bytes per message stored after the baseline: growth ÷ messages (when any were stored). */
  bytesPerStoredMessage: number | undefined
  bounded: boolean
}

export function judgeMemory(samples: readonly ServerMemory[]): MemoryVerdict {
  const live = (m: ServerMemory) => m.heapUsed + m.arrayBuffers
  const base = samples[0]
  const rounds: RoundMemory[] = samples.map((m, i) => {
    const growthBytes = base ? live(m) - live(base) : 0
    const explainedBytes = base ? (m.messages - base.messages) * BYTES_PER_MESSAGE : 0
    return {
      round: i + 1,
      liveBytes: live(m),
      rssBytes: m.rss,
      messages: m.messages,
      growthBytes,
      explainedBytes,
      bounded: growthBytes <= explainedBytes + SLACK_BYTES,
    }
  })
  const last = samples.at(-1)
  const stored = base && last ? last.messages - base.messages : 0
  return {
    rule:
      `after forced GC, heap + array buffers at the end of round k minus round 1's ≤ ` +
      `${BYTES_PER_MESSAGE} B × messages stored since round 1 + ${SLACK_BYTES / 2 ** 20} MiB; RSS reported, not judged`,
    rounds,
    bytesPerStoredMessage:
      base && last && stored > 0 ? Math.round((live(last) - live(base)) / stored) : undefined,
    bounded: samples.every((m) => m.collected) && rounds.every((r) => r.bounded),
  }
}
