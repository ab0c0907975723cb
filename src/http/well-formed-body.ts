/**
 * @module Request bodies must be well-formed Unicode (issue #8): UTF-8 bytes, and no lone
 * surrogate among the strings JSON escapes can spell (`"\ud800"` is valid JSON but no text).
 * Otherwise the stores disagree with what was acknowledged: LMDB and Tablestore encode strings as
 * UTF-8, turning a lone surrogate into U+FFFD, so a retried message then looked like a conflict (409)
 * and the index and the records held different text. Non-UTF-8 bytes were replaced silently.
 */
import type { Context, MiddlewareHandler, Next } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { AppEnv } from './context.ts'
import { formatPath, ProblemError } from './problem.ts'

/** With the `u` flag a surrogate pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /\p{Cs}/u
/** A surrogate can only enter through a `\uD8xx`-`\uDFxx` escape: text decoded from UTF-8 has none. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/
const utf8 = new TextDecoder('utf-8', { fatal: true })

interface Node {
  value: unknown
  key: string | number | undefined
  parent: Node | undefined
}

function pathOf(node: Node): PropertyKey[] {
  const keys: PropertyKey[] = []
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) keys.push(n.key)
  return keys.reverse()
}

/**
 * The path of the first string (or key) holding a lone surrogate. Iterative, with parent links
 * rather than path strings, so a 1 MiB body nested 200,000 deep costs linear time and no stack.
 */
export function findLoneSurrogate(root: unknown): PropertyKey[] | undefined {
  const stack: Node[] = [{ value: root, key: undefined, parent: undefined }]
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { value } = node
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return pathOf(node)
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: node })
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) return pathOf({ value: key, key, parent: node })
        stack.push({ value: child, key, parent: node })
      }
    }
  }
  return undefined
}

/**
 * Refuses a JSON body that is not UTF-8 (400 `malformed-input`) or whose strings hold a lone
 * surrogate (400 naming the field). Runs after the body limit and the JSON-only check, on routes
 * only; bodies that do not parse are left to the validator, which explains them as before.
 */
export function requireWellFormedBodies(): MiddlewareHandler<AppEnv> {
  return function requireWellFormedBodiesMiddleware(c, next) {
    // GET and HEAD carry no body here (see `checkBodies` in app.ts): straight on, without an async frame.
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') return next()
    const routed = matchedRoutes(c).some((r) => r.method !== 'ALL')
    if (!routed || !c.req.raw.body) return next()
    return checkBody(c, next)
  }
}

async function checkBody(c: Context<AppEnv>, next: Next): Promise<void> {
  // Read outside the try: the body limit's 413 must pass through, not become "not UTF-8".
  const bytes = await c.req.arrayBuffer()
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    throw new ProblemError(400, {
      slug: 'malformed-input',
      detail: 'the request body is not valid UTF-8',
    })
  }
  if (SURROGATE_ESCAPE.test(text)) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return next()
    }
    const path = findLoneSurrogate(parsed)
    if (path)
      throw ProblemError.invalid([
        {
          path: formatPath('body', path),
          message: 'not well-formed Unicode: a lone surrogate (\\ud800-\\udfff without its pair)',
        },
      ])
  }
  await next()
}
