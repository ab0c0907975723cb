/** @module The load report as a few lines of text, for a person reading a terminal. */
import type { LoadReport } from './rounds.ts'

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`

export function formatLoadReport(report: LoadReport): string {
  const lines = [
    `load: ${report.options.rounds} rounds × ${report.options.roundSeconds} s, ${report.options.connections} connections`,
    `mix: ${report.mix}`,
    `before: live ${mib(report.before.heapUsed + report.before.arrayBuffers)}, ${report.before.messages} messages`,
    'round  req/s   p50 ms  p99 ms  max ms  non-2xx  errors  stored  live        growth     allowed    rss',
  ]
  for (const r of report.rounds) {
    const m = report.memory.rounds[r.round - 1]
    lines.push(
      [
        String(r.round).padEnd(6),
        String(r.requestsPerSecond).padStart(6),
        String(r.latencyMs.p50).padStart(8),
        String(r.latencyMs.p99).padStart(7),
        String(r.latencyMs.max).padStart(7),
        String(r.non2xx).padStart(8),
        String(r.errors + r.timeouts).padStart(7),
        String(r.messagesStored).padStart(7),
        `  ${mib(m?.liveBytes ?? 0).padEnd(11)}`,
        mib(m?.growthBytes ?? 0).padStart(9),
        mib((m?.explainedBytes ?? 0) + 16 * 2 ** 20).padStart(10),
        `  ${mib(m?.rssBytes ?? 0)}`,
      ].join(' '),
    )
  }
  lines.push(`memory rule: ${report.memory.rule}`)
  lines.push(
    `verdict: ${report.zeroErrors ? 'zero errors' : 'ERRORS'}, memory ${report.memory.bounded ? 'bounded' : 'GREW'}` +
      (report.memory.bytesPerStoredMessage === undefined
        ? ''
        : ` (${report.memory.bytesPerStoredMessage} B per stored message)`),
  )
  return `${lines.join('\n')}\n`
}
