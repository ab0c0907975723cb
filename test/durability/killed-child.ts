/** @module Runs a TypeScript child process until the parent decides to kill it with SIGKILL. */
import { spawn } from 'node:child_process'
import { typescriptLoader } from '../../loader/index.ts'

/**
 * Spawns `node --import ./loader/register.mjs <script> ...args` and hands each line it prints to `onLine`; kills
 * the child with SIGKILL as soon as `onLine` returns true. Resolves once it is dead; rejects when
 * it exits on its own (with its stderr: it crashed where it should not have).
 */
export function runUntilKilled(
  script: string,
  args: string[],
  onLine: (line: string) => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...typescriptLoader, script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let buffer = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      // Every line is read, even after the decision: the caller keeps what the child said.
      const kill = lines.map(onLine).some(Boolean)
      if (kill) child.kill('SIGKILL')
    })
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve()
      else reject(new Error(`child exited without being killed: ${stderr}`))
    })
  })
}
