/**
 * @module Self and inclusive time by function from a `.cpuprofile`, counting only the samples
 * under a named function (the searches of a run, not its ingest), top N of each:
 * `node --import ./loader/register.mjs bench/profile/inclusive-profile.ts /tmp/prof/CPU.….cpuprofile pass [25]`
 * Lines and columns are the compiled module's (esbuild keeps the source's lines; profiles taken
 * under tsx, which put each module on one line, tell functions apart by the column, `:1:column`).
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  children?: number[]
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
}
const profile = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}
const root = process.argv[3] ?? 'pass'
const top = Number(process.argv[4] ?? 25)
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parentOf = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)
const cwd = `file://${process.cwd()}/`
const keyOf = ({ callFrame: f }: ProfileNode) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(cwd, '')}:${f.lineNumber + 1}:${f.columnNumber}`

const self = new Map<string, number>()
const inclusive = new Map<string, number>()
let total = 0
profile.samples.forEach((id, i) => {
  const chain: ProfileNode[] = []
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at))
    chain.push(byId.get(at) as ProfileNode)
  const rootAt = chain.findIndex((node) => node.callFrame.functionName === root)
  if (rootAt < 0) return
  const dt = profile.timeDeltas[i] ?? 0
  total += dt
  const leaf = keyOf(chain[0] as ProfileNode)
  self.set(leaf, (self.get(leaf) ?? 0) + dt)
  // A recursive function counts once a sample.
  for (const key of new Set(chain.slice(0, rootAt + 1).map(keyOf)))
    inclusive.set(key, (inclusive.get(key) ?? 0) + dt)
})
const table = (times: Map<string, number>) =>
  [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`)
    .join('\n')
process.stdout.write(
  `${(total / 1000).toFixed(0)} ms under ${root}\n--- self\n${table(self)}\n--- inclusive\n${table(inclusive)}\n`,
)
