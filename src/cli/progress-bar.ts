/** @module A one-line progress bar for terminals: done/total, percent, rate and ETA. */

export interface ProgressSample {
  done: number
  total: number
  /** Milliseconds since the work started. */
  elapsedMs: number
}

const WIDTH = 30

/** The bar's text, e.g. `[#########.....]  62% 6,200/10,000  1,240/s  ETA 3s`. */
export function renderProgress({ done, total, elapsedMs }: ProgressSample): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0
  const filled = Math.round(fraction * WIDTH)
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0
  const eta = rate > 0 && total > done ? `ETA ${formatDuration(((total - done) / rate) * 1000)}` : ''
  const n = (x: number) => Math.round(x).toLocaleString('en-US')
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${n(done)}/${n(total)}  ${n(rate)}/s  ${eta}`.trimEnd()
}

export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}
