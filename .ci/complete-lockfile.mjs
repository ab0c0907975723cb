#!/usr/bin/env node
// npm 11.19 leaves out of package-lock.json the optional platform binaries it cannot fetch
// metadata for (this project's registry mirror carries only some platforms of biome's and
// msgpackr-extract's), and then its own `npm ci` rejects the lock as out of sync (npm/cli#4828;
// fixed upstream by npm/cli#9083). This adds each missing entry as an optional package for its
// own platform, which `npm ci` skips on every other one. Run it after `npm install`; `.ci/run`
// fails early when the lock needs it.
import { readFileSync, writeFileSync } from 'node:fs'

const path = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(path, 'utf8'))
const packages = lock.packages

/** `@scope/cli-linux-x64-musl` → os linux, cpu x64, libc musl: the names these packages use. */
function platformOf(name) {
  const m =
    /-(android|darwin|freebsd|linux|openbsd|sunos|win32)-(arm64|arm|ia32|ppc64|riscv64|s390x|x64)(?:-(musl|gnu))?$/.exec(
      name,
    )
  if (!m) return undefined
  return { os: [m[1]], cpu: [m[2]], ...(m[3] === 'musl' ? { libc: ['musl'] } : {}) }
}

let added = 0
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`
    if (packages[nested] || packages[`node_modules/${name}`]) continue
    const platform = platformOf(name)
    if (!platform || !/^\d+\.\d+\.\d+$/.test(version)) {
      console.error(`cannot complete ${name}@${version}: not a pinned platform package`)
      process.exit(1)
    }
    packages[`node_modules/${name}`] = {
      version,
      cpu: platform.cpu,
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: platform.libc } : {}),
      optional: true,
      os: platform.os,
    }
    added++
  }
}
const [root, ...rest] = Object.keys(packages)
lock.packages = Object.fromEntries([root, ...rest.sort()].map((key) => [key, packages[key]]))
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`package-lock.json: ${added} optional platform entries added`)
