/** @module `npm run token -- --sub u1 --scope "search ingest"`: mint a token with the configured secret. */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config.ts'
import { IdSchema } from '../domain/ids.ts'
import { SCOPES, type Scope } from '../http/context.ts'
import { signToken } from '../http/dev-tokens.ts'

const USAGE = `Usage: npm run token -- --sub <userId> [--scope "search ingest admin"] [--expires-in 24h]

Mints an HS256 bearer token signed with IMSEARCH_JWT_SECRET and prints it.
  --sub         the caller's user id (required)
  --scope       space-separated scopes from: ${SCOPES.join(', ')} (default: "search")
  --expires-in  a time span such as 90m, 24h, 7d (default: 24h)`

/** Parses argv into token options, or returns an error message. Exported for tests. */
export function parseTokenArgs(
  args: readonly string[],
): { sub: string; scopes: Scope[]; expiresIn: string } | { error: string } | { help: true } {
  let values: {
    sub?: string | undefined
    scope?: string | undefined
    'expires-in'?: string | undefined
    help?: boolean | undefined
  }
  try {
    values = parseArgs({
      args: [...args],
      options: {
        sub: { type: 'string' },
        scope: { type: 'string', default: 'search' },
        'expires-in': { type: 'string', default: '24h' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values
  } catch (error) {
    return { error: (error as Error).message }
  }
  if (values.help) return { help: true }
  if (!values.sub) return { error: '--sub is required' }
  if (!IdSchema.safeParse(values.sub).success)
    return { error: `--sub "${values.sub}" is not a valid user id` }
  const words = (values.scope ?? '').split(/\s+/).filter(Boolean)
  const unknown = words.filter((w) => !(SCOPES as readonly string[]).includes(w))
  if (unknown.length > 0)
    return { error: `unknown scope(s): ${unknown.join(', ')}; use ${SCOPES.join(', ')}` }
  const expiresIn = values['expires-in'] ?? '24h'
  if (
    !/^\d+\s*(?:s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|y|yr|yrs|year|years)$/i.test(
      expiresIn,
    )
  ) {
    return { error: `--expires-in "${expiresIn}" is not a time span like 90m, 24h or 7d` }
  }
  return { sub: values.sub, scopes: words as Scope[], expiresIn }
}

async function main(): Promise<number> {
  const parsed = parseTokenArgs(process.argv.slice(2))
  if ('help' in parsed) {
    console.log(USAGE)
    return 0
  }
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${USAGE}`)
    return 2
  }
  let secret: string | undefined
  try {
    secret = loadConfig().auth.jwtSecret
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      return 1
    }
    throw error
  }
  if (!secret) {
    console.error(
      'IMSEARCH_JWT_SECRET is not set, so there is no secret to sign with.\n' +
        'Set it (32+ characters) for both the server and this command, or copy the tokens `npm start` prints.',
    )
    return 1
  }
  console.log(
    await signToken({ secret, sub: parsed.sub, scopes: parsed.scopes, expiresIn: parsed.expiresIn }),
  )
  return 0
}

// Run only as a script, so tests can import parseTokenArgs without side effects.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main()
}
