/**
 * @module The console's entry: signs in (outside production as the server's development user, or
 * with a pasted token), wires the tabs and the language switch, and starts each view.
 */

import { renderAdmin, resetAdmin } from './admin-view.js'
import { ApiError, api, claimsOf, el, getToken, report, setToken, showStatus } from './api.js'
import { initDiscovery, renderDiscovery } from './discovery-view.js'
import { initHistory, resetHistory } from './history-view.js'
import { applyLabels, lang, t, toggleLanguage } from './i18n.js'
import { initSearch, relabelSearch, rememberName, resetSearch } from './search-view.js'

/** The development user the server names; empty in production (no token is minted there). */
const devUser = document.body.dataset.devUser
/** Who is signed in: the token's claims and, when the service shows it, their profile. */
const session = { claims: undefined, profile: undefined }

const isAdmin = () => session.claims?.scopes.includes('admin') ?? false

async function mint(userId, admin) {
  const res = await fetch('/console/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, admin }),
  })
  const data = await res.json()
  if (!res.ok) throw new ApiError(res.status, data)
  return data.token
}

function renderWho() {
  const who = document.getElementById('who')
  if (!session.claims) {
    who.textContent = t('notSignedIn')
    return
  }
  const name = session.profile ? `${session.profile.name} (${session.claims.sub})` : session.claims.sub
  who.textContent = t('signedInAs', { who: name + (isAdmin() ? t('adminSuffix') : '') })
  document.querySelector('[data-tab="admin"]').hidden = !isAdmin()
}

/** Uses `token` from now on: resets every view and loads the caller's own profile. */
async function signIn(token) {
  const claims = claimsOf(token)
  if (!claims) {
    showStatus(t('notSignedIn'))
    return
  }
  setToken(token)
  session.claims = claims
  session.profile = undefined
  resetSearch()
  resetHistory()
  resetAdmin()
  selectTab('search')
  try {
    session.profile = await api(`/v1/users/${encodeURIComponent(claims.sub)}`)
  } catch (error) {
    // An id with no profile (the admin account) still searches; anything else is worth showing.
    if (!(error instanceof ApiError && error.status === 404)) report(error)
  }
  if (session.profile) rememberName(session.profile.userId, session.profile.name)
  renderWho()
}

function selectTab(name) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.tab === name
    tab.setAttribute('aria-selected', String(selected))
    document.getElementById(`tab-${tab.dataset.tab}`).hidden = !selected
  }
  if (name === 'admin') renderAdmin()
  if (name === 'search') document.getElementById('q').focus()
}

/** Outside production: the picker of users to act as, and the admin account. */
async function initPicker() {
  const picker = document.getElementById('act-as')
  const res = await fetch('/console/dev/users')
  if (!res.ok) return
  const { users } = await res.json()
  picker.replaceChildren(
    ...users.map((u) => el('option', { value: u.userId }, `${u.name} (${u.userId})`)),
    el('option', { value: 'admin', dataset: { admin: 'true' } }, `admin${t('adminSuffix')}`),
  )
  picker.value = session.claims?.sub ?? devUser
  picker.hidden = false
  picker.addEventListener('change', async () => {
    const option = picker.selectedOptions[0]
    try {
      await signIn(await mint(option.value, option.dataset.admin === 'true'))
    } catch (error) {
      report(error)
    }
  })
}

function initChrome() {
  const langButton = document.getElementById('lang')
  const labelLanguageButton = () => {
    langButton.textContent = lang === 'zh' ? 'EN' : '中文'
  }
  langButton.addEventListener('click', () => {
    toggleLanguage()
    labelLanguageButton()
    renderWho()
    relabelSearch()
    renderDiscovery()
    if (isAdmin() && !document.getElementById('tab-admin').hidden) renderAdmin()
  })
  labelLanguageButton()
  for (const tab of document.querySelectorAll('[role="tab"]'))
    tab.addEventListener('click', () => selectTab(tab.dataset.tab))
  document.getElementById('paste-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const input = document.getElementById('token')
    signIn(input.value.trim())
    input.value = ''
    document.getElementById('paste').open = false
  })
  // `/` anywhere outside a text field goes back to the search box, as on most search pages.
  document.addEventListener('keydown', (event) => {
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement
    if (event.key === '/' && !typing) {
      event.preventDefault()
      selectTab('search')
    }
  })
}

async function start() {
  applyLabels()
  initChrome()
  initSearch()
  initHistory()
  initDiscovery(() => session.profile)
  renderWho()
  try {
    const token = getToken() ?? (devUser ? await mint(devUser, false) : undefined)
    if (token) await signIn(token)
    if (devUser) await initPicker()
  } catch (error) {
    report(error)
  }
  document.body.dataset.ready = 'true'
}

start()
