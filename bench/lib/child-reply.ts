/**
 * @module A TypeScript module run in a child process for one answer: the bench's load generator
 * and its fresh-process start-up both report back with a single IPC message.
 */
import { fork } from 'node:child_process'
import { typescriptLoader } from '../../loader/index.ts'
import { serviceLaunch } from '../../src/cli/start.ts'

export interface ChildOptions {
  /** What the child is, for errors. */
  name: string
  args?: readonly string[]
  /** Node flags before the TypeScript loader's. */
  nodeFlags?: readonly string[]
  /** Run as `npm start` runs the service: its Node flags (before `nodeFlags`) and environment. */
  asService?: boolean
  /** Sent to the child once it runs. */
  send?: unknown
}

/** Resolves with the first message the child sends; rejects if it fails to start or exits non-zero. */
export function childReply(module: string, options: ChildOptions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const { flags, env } = options.asService ? serviceLaunch() : { flags: [], env: process.env }
    const child = fork(module, [...(options.args ?? [])], {
      execArgv: [...flags, ...(options.nodeFlags ?? []), ...typescriptLoader],
      env,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    })
    child.once('message', resolve)
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${options.name} exited with ${code}`))
    })
    if (options.send !== undefined) child.send(options.send as object)
  })
}
