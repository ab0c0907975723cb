/**
 * The TypeScript loader (`loader/`) that `npm start`, the bench, the command-line tools and these
 * tests' child processes run the sources with: what the compiled build does, without the
 * `__name` wrapper per function that tsx added (the reason it replaced tsx), stack traces into
 * the `.ts` sources, and a clear failure on a syntax error.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TYPESCRIPT_LOADER, typescriptLoader } from '../../loader/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'ts-loader-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(name: string, source: string) {
  const file = join(dir, name)
  writeFileSync(file, source)
  const { status, stdout, stderr } = spawnSync(process.execPath, [...typescriptLoader, file], {
    encoding: 'utf8',
    cwd: tmpdir(),
  })
  return { status, stdout, stderr, file }
}

/** Runs the lines as a module that succeeds, and returns the JSON it printed. */
function printed(name: string, lines: readonly string[]): unknown {
  const { status, stdout, stderr } = run(name, lines.join('\n'))
  expect(stderr).toBe('')
  expect(status).toBe(0)
  return JSON.parse(stdout)
}

describe('the TypeScript loader', () => {
  it('is a file URL, usable from any working directory', () => {
    expect(TYPESCRIPT_LOADER).toMatch(/^file:\/\/.*\/loader\/register\.mjs$/)
    expect(typescriptLoader).toEqual(['--import', TYPESCRIPT_LOADER])
  })

  it('runs TypeScript as the compiled build does: types erased, class fields defined, imports kept', () => {
    const helper = join(dir, 'helper.ts')
    writeFileSync(helper, 'export const twice = (x: number): number => 2 * x\nexport type Unused = string\n')
    const answer = printed('main.ts', [
      "import { twice } from './helper.ts'",
      "import type { Unused } from './helper.ts'",
      'interface Shape { kind: string }',
      'class Counter {',
      '  count!: number',
      "  readonly label: string = 'c'",
      '  #hidden = 1',
      '  get hidden(): number { return this.#hidden }',
      '}',
      'const unused: Unused | undefined = undefined',
      "const shape: Shape = { kind: 'k' }",
      'console.log(JSON.stringify([Object.keys(new Counter()), new Counter().hidden, twice(21), shape.kind, unused ?? null]))',
    ])
    // `count!` declared without a value is still an own field, as with tsc's ES2023 target.
    expect(answer).toEqual([['count', 'label'], 1, 42, 'k', null])
  })

  it('wraps no function in a `__name` call, and functions keep their names', () => {
    const answer = printed('names.ts', [
      'function plan(n: number) {',
      '  const matches = (d: number): boolean => d < n',
      '  return matches',
      '}',
      'class Visit { run(): number { return 1 } }',
      'const made = plan(3)',
      'console.log(JSON.stringify([made.name, Visit.name, new Visit().run.name, plan.toString().includes("__name"), typeof (globalThis as Record<string, unknown>).__name]))',
    ])
    expect(answer).toEqual(['matches', 'Visit', 'run', false, 'undefined'])
  })

  it('points stack traces at the TypeScript source’s lines', () => {
    const { status, stderr, file } = run(
      'throws.ts',
      ['type Id = string', 'function fail(id: Id): never {', '  throw new Error(id)', '}', "fail('x')"].join(
        '\n',
      ),
    )
    expect(status).not.toBe(0)
    expect(stderr).toContain('Error: x')
    expect(stderr).toContain(`at fail (${file}:3:9)`)
  })

  it('fails on a syntax error, naming the file and line', () => {
    const { status, stderr, file } = run('broken.ts', 'const ok = 1\nconst = 2\n')
    expect(status).not.toBe(0)
    expect(stderr).toContain(file)
    expect(stderr).toContain(':2:')
  })
})
