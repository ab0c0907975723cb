/**
 * @module Talking to the service: the bearer token (kept for this tab in sessionStorage), JSON
 * calls that turn problem documents into errors, and the token's claims for display.
 */

const TOKEN_KEY = 'im-search.token'

/** A failed call: the problem document's detail, or the status. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`)
    this.status = status
    this.problem = problem
  }
}

/** The token in use; one that has expired is forgotten (outside production a fresh one is minted). */
export function getToken() {
  const token = sessionStorage.getItem(TOKEN_KEY)
  const exp = token ? claimsOf(token)?.exp : undefined
  if (exp !== undefined && exp * 1000 <= Date.now()) {
    sessionStorage.removeItem(TOKEN_KEY)
    return null
  }
  return token
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token)
}

/** `sub`, scopes and expiry (epoch s) of a JWT, read without verifying (the server verifies every call). */
export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))
    const claims = JSON.parse(new TextDecoder().decode(bytes))
    return {
      sub: String(claims.sub ?? ''),
      scopes: String(claims.scope ?? '')
        .split(' ')
        .filter(Boolean),
    }
  } catch {
    return undefined
  }
}

/** A call with the current token; resolves to the JSON body (undefined for 204). */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' }
  const token = getToken()
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (res.status === 204) return undefined
  const data = await res.json().catch(() => undefined)
  if (!res.ok) throw new ApiError(res.status, data)
  return data
}

/** `path?params`, repeating array values and skipping empty ones. */
export function withQuery(path, params) {
  const sp = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue
    for (const v of Array.isArray(value) ? value : [value]) sp.append(key, String(v))
  }
  const qs = sp.toString()
  return qs ? `${path}?${qs}` : path
}

/** A small element builder: `el('li', {class: 'hit'}, 'text', child)`; text is always text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    if (key === 'class') node.className = value
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value)
    else if (key === 'dataset') Object.assign(node.dataset, value)
    else node.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child)
  return node
}

/** Shows `message` in the page's alert line (an empty one hides it). */
export function showStatus(message) {
  const status = document.getElementById('status')
  status.textContent = message ?? ''
  status.hidden = !message
}

/** Shows a failed call's reason, or clears the line when `error` is undefined. */
export function report(error) {
  showStatus(error === undefined ? '' : error.message)
}
