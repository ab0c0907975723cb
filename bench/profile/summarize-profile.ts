/**
 * @module Self time by function from a `.cpuprofile`, top 25:
 * `node --import ./loader/register.mjs bench/profile/summarize-profile.ts /tmp/prof/CPU.….cpuprofile`
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
const profile = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const self = new Map<string, number>()
let total = 0
profile.samples.forEach((id, i) => {
  const node = byId.get(id)
  const dt = profile.timeDeltas[i] ?? 0
  total += dt
  if (!node) return
  const { functionName, url, lineNumber } = node.callFrame
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/main\//, '')}:${lineNumber + 1}`
  self.set(key, (self.get(key) ?? 0) + dt)
})
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 25)))
  process.stdout.write(
    `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}\n`,
  )
