/**
 * @module The calibration figure: the time of one fixed, deterministic, single-thread workload,
 * taken at the start and at the end of every run, so that runs on different machines and days
 * can be put side by side (divide by it) and a run disturbed by other processes says so (its two
 * calibrations differ by more than {@link DISTURBED_ABOVE}).
 *
 * The workload is the engine's kind of work, written here once and never changed (change it and
 * old figures stop being comparable: bump {@link WORKLOAD}):
 * - merging sorted Int32Array postings while testing a byte mask (a conjunction under a caller's
 *   permission mask: memory-bound streaming, branchy compares);
 * - an open-addressing Int32Array hash table, filled and probed (token and recipient-list
 *   interning: random access into a table larger than L2);
 * - a Float64Array sort (ranking and newest-first ordering).
 * It does not call the engine's code on purpose: the engine changes, the yardstick must not. It
 * allocates nothing while timed, so the garbage collector (whose cost depends on what the bench
 * holds at that moment, very different at the start and the end) is not in the figure.
 */
import { mulberry32 } from '../../fixtures/generator/prng.ts'

/** The workload's name; a new name whenever what it does changes. */
export const WORKLOAD =
  'calibration/1: 4 rounds of {merge 15 pairs of 6 sorted Int32Array postings over 2^22 documents under a 10% byte mask; fill and probe a 2^20-slot open-addressing hash with 2^19 keys; sort 2^18 doubles}, after 1 warm-up round'

/** Two calibrations further apart than this (max ÷ min − 1) mark the run as disturbed. */
export const DISTURBED_ABOVE = 0.1

const UNIVERSE = 1 << 22
const DENSITIES = [0.005, 0.02, 0.06, 0.15, 0.3, 0.45] as const
const HASH_SLOTS = 1 << 20
const KEYS = 1 << 19
const SCORES = 1 << 18
const ROUNDS = 4

export interface CalibrationRun {
  /** Milliseconds of the timed rounds together: the calibration figure. */
  ms: number
  roundsMs: number[]
}

export interface Calibration {
  workload: string
  /** The same for every run of the same workload: proof that the work done was the same. */
  checksum: number
  start: CalibrationRun
  end: CalibrationRun
  /** max ÷ min − 1 of the two figures. */
  spread: number
  /** `spread` above {@link DISTURBED_ABOVE}: something else ran on the machine during the bench. */
  disturbed: boolean
}

interface Inputs {
  postings: Int32Array[]
  mask: Uint8Array
  keys: Int32Array
  table: Int32Array
  scores: Float64Array
  sorted: Float64Array
}

/** Fixed inputs from a fixed seed: ascending postings with geometric gaps, mask, keys, scores. */
function inputs(): Inputs {
  const rng = mulberry32(0x5eed_ca1b)
  const postings = DENSITIES.map((density) => {
    const docs = new Int32Array(Math.ceil(UNIVERSE * density * 1.2))
    let n = 0
    for (let doc = 0; ; n++) {
      doc += 1 + Math.floor(Math.log(1 - rng()) / Math.log(1 - density))
      if (doc >= UNIVERSE || n === docs.length) break
      docs[n] = doc
    }
    return docs.subarray(0, n)
  })
  const mask = new Uint8Array(UNIVERSE)
  // One document in ten, scattered by a multiplicative hash (cheaper to build than 4M draws).
  for (let i = 0; i < UNIVERSE; i++) mask[i] = (Math.imul(i, 0x9e3779b1) >>> 0) % 10 === 0 ? 1 : 0
  const keys = new Int32Array(KEYS)
  // Cubed uniform draws: a few keys repeat often, as common tokens and shared lists do.
  for (let i = 0; i < KEYS; i++) keys[i] = 1 + Math.floor(rng() ** 3 * (KEYS >> 1))
  const scores = new Float64Array(SCORES)
  for (let i = 0; i < SCORES; i++) scores[i] = rng()
  return { postings, mask, keys, table: new Int32Array(HASH_SLOTS), scores, sorted: new Float64Array(SCORES) }
}

/** Documents in both postings that the mask accepts, by a two-pointer merge. */
function mergeCount(a: Int32Array, b: Int32Array, mask: Uint8Array): number {
  let i = 0
  let j = 0
  let n = 0
  while (i < a.length && j < b.length) {
    const x = a[i] as number
    const y = b[j] as number
    if (x < y) i++
    else if (y < x) j++
    else {
      n += mask[x] as number
      i++
      j++
    }
  }
  return n
}

/** Distinct keys inserted, plus keys found again, by linear probing on a multiplicative hash. */
function hashWork(keys: Int32Array, table: Int32Array): number {
  table.fill(0)
  const slotMask = table.length - 1
  let distinct = 0
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number
    let slot = Math.imul(key, 0x9e3779b1) >>> 12
    while (table[slot & slotMask] !== 0 && table[slot & slotMask] !== key) slot++
    if (table[slot & slotMask] === 0) {
      table[slot & slotMask] = key
      distinct++
    }
  }
  let found = 0
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = (keys[i] as number) + (i & 1)
    let slot = Math.imul(key, 0x9e3779b1) >>> 12
    while (table[slot & slotMask] !== 0 && table[slot & slotMask] !== key) slot++
    if (table[slot & slotMask] === key) found++
  }
  return distinct + found
}

function round(x: Inputs): number {
  let sum = 0
  for (let a = 0; a < x.postings.length; a++)
    for (let b = a + 1; b < x.postings.length; b++)
      sum += mergeCount(x.postings[a] as Int32Array, x.postings[b] as Int32Array, x.mask)
  sum += hashWork(x.keys, x.table)
  x.sorted.set(x.scores)
  x.sorted.sort()
  return (sum + Math.floor((x.sorted[SCORES >> 1] as number) * 1e6)) >>> 0
}

/** Runs the workload once (a warm-up round, then the timed rounds); inputs are built untimed. */
export function calibrate(): CalibrationRun & { checksum: number } {
  const x = inputs()
  const checksum = round(x)
  const roundsMs: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now()
    const result = round(x)
    roundsMs.push(performance.now() - t)
    // Using the result keeps the work from being optimised away, and checks it is deterministic.
    if (result !== checksum) throw new Error('calibration: a round did different work')
  }
  const ms = roundsMs.reduce((a, b) => a + b, 0)
  return { ms: round3(ms), roundsMs: roundsMs.map(round3), checksum }
}

/** The two figures of a run side by side, and whether they say the run was disturbed. */
export function compareCalibrations(
  start: ReturnType<typeof calibrate>,
  end: ReturnType<typeof calibrate>,
): Calibration {
  if (start.checksum !== end.checksum) throw new Error('calibration: the workload did different work twice')
  const spread = Math.max(start.ms, end.ms) / Math.min(start.ms, end.ms) - 1
  return {
    workload: WORKLOAD,
    checksum: start.checksum,
    start: { ms: start.ms, roundsMs: start.roundsMs },
    end: { ms: end.ms, roundsMs: end.roundsMs },
    spread: Math.round(spread * 1000) / 1000,
    disturbed: spread > DISTURBED_ABOVE,
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}
