/**
 * @module Progress on stderr (stdout is reserved for the result): a bar with the rate and the
 * time left on a terminal, an occasional plain line otherwise.
 */
const BAR = 24

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  if (seconds < 60) return `${Math.ceil(seconds)}s`
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`
}

export class Progress {
  readonly #label: string
  readonly #total: number
  readonly #started = performance.now()
  readonly #tty = process.stderr.isTTY === true
  #done = 0
  #lastDraw = 0

  constructor(label: string, total: number) {
    this.#label = label
    this.#total = Math.max(1, total)
  }

  tick(n = 1): void {
    this.#done += n
    const now = performance.now()
    if (now - this.#lastDraw < (this.#tty ? 200 : 5000)) return
    this.#lastDraw = now
    this.#draw(now)
  }

  finish(): void {
    this.#done = Math.min(this.#done, this.#total)
    this.#draw(performance.now())
    if (this.#tty) process.stderr.write('\n')
  }

  #draw(now: number): void {
    const elapsed = (now - this.#started) / 1000
    const share = Math.min(1, this.#done / this.#total)
    const rate = elapsed > 0 ? this.#done / elapsed : 0
    const eta = rate > 0 ? (this.#total - this.#done) / rate : Number.POSITIVE_INFINITY
    const filled = Math.round(share * BAR)
    const line =
      `${this.#label} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ` +
      `${this.#done.toLocaleString('en-US')}/${this.#total.toLocaleString('en-US')} ` +
      `${Math.round(rate).toLocaleString('en-US')}/s ETA ${clock(eta)}`
    process.stderr.write(this.#tty ? `\r${line}\u001b[K` : `${line}\n`)
  }
}

/** A line of status on stderr. */
export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}
