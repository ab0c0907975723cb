/**
 * @module The search tab: one box, operator chips, facet chips, the one-box sections (contacts,
 * groups, chats) and the messages, and the keyboard: arrows move through hits, Enter opens one.
 */
import { api, el, report, withQuery } from './api.js'
import { renderHighlight } from './highlight.js'
import { openHistory, resetHistory } from './history-view.js'
import { formatTime, t } from './i18n.js'

const FACETS = ['conversation', 'sender', 'type', 'day']
/** The operators the chips add; `from:`, `in:` and `during:` come from facets and hits. */
const QUICK_OPERATORS = ['has:file', 'has:image', 'has:link', 'has:mention', 'is:mentioned']
/** Date chips: a label and the number of days back their `after:` reaches (`year`: since 1 January). */
const QUICK_DATES = [
  ['last7Days', 7],
  ['last30Days', 30],
  ['thisYear', 'year'],
]
const OPERATOR = /^-?(from|in|has|is|before|after|during):\S+$/
const TYPE_LABELS = { text: 'typeText', image: 'typeImage', file: 'typeFile' }

/** The reader's zone, so `during:` days and `day` facets are the reader's days. */
const TZ = Intl.DateTimeFormat().resolvedOptions().timeZone

/** `YYYY-MM-DD` of `ms` in the reader's zone (the `en-CA` locale writes dates that way). */
const dayOf = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(ms)

/** The `after:` operator of a date chip. */
function afterOperator(back) {
  const today = dayOf(Date.now())
  // Calendar arithmetic on the reader's date, done in UTC where every day has 24 hours.
  const from =
    back === 'year'
      ? `${today.slice(0, 4)}-01-01`
      : new Date(Date.parse(`${today}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10)
  return `after:${from}`
}

/** What was searched and what came back, kept to re-render on a language switch. */
const state = { q: '', type: undefined, oneBox: undefined, messages: undefined, names: new Map() }

const box = () => document.getElementById('q')

/** Counts searches, so an answer that arrives after a newer search was sent is dropped. */
let searches = 0

/** Searches for what the box says, with the chosen type. */
export async function runSearch() {
  state.q = box().value.trim()
  renderChips()
  if (state.q === '' && state.type === undefined) return
  const mine = ++searches
  // A new search leaves the history it was reading.
  resetHistory()
  const results = document.getElementById('results')
  results.setAttribute('aria-busy', 'true')
  report(undefined)
  try {
    const [oneBox, messages] = await Promise.all([
      state.q === '' ? undefined : api(withQuery('/v1/search', { q: state.q, tz: TZ, limit: 5 })),
      api(
        withQuery('/v1/search/messages', {
          q: state.q,
          type: state.type,
          tz: TZ,
          facets: FACETS.join(','),
          limit: 20,
        }),
      ),
    ])
    if (mine !== searches) return
    state.oneBox = oneBox
    state.messages = messages
    rememberNames()
    renderResults()
  } catch (error) {
    if (mine === searches) report(error)
  } finally {
    if (mine === searches) results.removeAttribute('aria-busy')
  }
}

/** Loads the next page of messages and appends it. */
async function moreMessages() {
  try {
    const next = await api(
      withQuery('/v1/search/messages', {
        q: state.q,
        type: state.type,
        tz: TZ,
        limit: 20,
        cursor: state.messages.nextCursor,
      }),
    )
    state.messages = {
      ...state.messages,
      hits: [...state.messages.hits, ...next.hits],
      nextCursor: next.nextCursor,
    }
    rememberNames()
    renderResults()
  } catch (error) {
    report(error)
  }
}

/** Sender and chat names seen in hits label the facets and the history. */
function rememberNames() {
  for (const hit of state.messages?.hits ?? [])
    if (hit.senderName) state.names.set(hit.senderId, hit.senderName)
  for (const chat of state.oneBox?.conversations.hits ?? [])
    if (chat.title) state.names.set(chat.conversationId, chat.title)
  for (const c of state.oneBox?.contacts.hits ?? []) state.names.set(c.userId, c.name)
  for (const g of state.oneBox?.groups.hits ?? []) state.names.set(g.groupId, g.name)
}

/** A known name for an id, else the id. */
const nameOf = (id) => state.names.get(id) ?? id

/** Puts `operator` in the box (once) and searches. */
function addOperator(operator) {
  const terms = box().value.trim().split(/\s+/).filter(Boolean)
  if (!terms.includes(operator)) terms.push(operator)
  box().value = terms.join(' ')
  return runSearch()
}

/** Takes `operator` out of the box and searches. */
function removeOperator(operator) {
  box().value = box()
    .value.trim()
    .split(/\s+/)
    .filter((term) => term !== operator)
    .join(' ')
  return runSearch()
}

/** `from:u3` reads `from:张伟 (u3)` once the name is known; other operators read as typed. */
function labelOf(op) {
  const [, sign, key, value] = /^(-?)(from|in):(.+)$/.exec(op) ?? []
  return key && state.names.has(value) ? `${sign}${key}:${nameOf(value)} (${value})` : op
}

function chip(label, onclick, attrs = {}) {
  return el('button', { type: 'button', class: 'chip', onclick, ...attrs }, label)
}

/** Active filters (removable) and the quick operators (addable). */
function renderChips() {
  const chips = document.getElementById('chips')
  const active = state.q.split(/\s+/).filter((term) => OPERATOR.test(term))
  const nodes = active.map((op) =>
    chip(`${labelOf(op)} ×`, () => removeOperator(op), {
      class: 'chip active',
      'aria-label': t('remove', { what: op }),
    }),
  )
  if (state.type)
    nodes.push(
      chip(`${t('facetType')}: ${t(TYPE_LABELS[state.type] ?? state.type)} ×`, () => setType(undefined), {
        class: 'chip active',
        'aria-label': t('remove', { what: state.type }),
      }),
    )
  for (const op of QUICK_OPERATORS) if (!active.includes(op)) nodes.push(chip(op, () => addOperator(op)))
  if (!active.some((op) => op.startsWith('after:')))
    for (const [label, back] of QUICK_DATES)
      nodes.push(chip(t(label), () => addOperator(afterOperator(back)), { dataset: { date: label } }))
  chips.replaceChildren(el('span', { class: 'label' }, t('filters')), ...nodes)
}

function setType(type) {
  state.type = type
  return runSearch()
}

/** One row of facet chips per facet the answer has. */
function renderFacets() {
  const facets = state.messages?.facets ?? {}
  const rows = []
  const pick = {
    conversation: (v) => [nameOf(v), () => addOperator(`in:${v}`)],
    sender: (v) => [nameOf(v), () => addOperator(`from:${v}`)],
    type: (v) => [t(TYPE_LABELS[v] ?? v), () => setType(v)],
    day: (v) => [v, () => addOperator(`during:${v}`)],
  }
  for (const name of FACETS) {
    const values = facets[name] ?? []
    if (values.length === 0) continue
    const label = t(`facet${name[0].toUpperCase()}${name.slice(1)}`)
    const chips = values.slice(0, 8).map(({ value, count }) => {
      const [text, onclick] = pick[name](value)
      return chip(`${text} · ${count}`, onclick, { dataset: { facet: name, value } })
    })
    rows.push(el('div', { class: 'facet-row' }, el('span', { class: 'label' }, label), ...chips))
  }
  document.getElementById('facets').replaceChildren(...rows)
}

/** A hit: a button, so Tab, Enter and the arrows reach it. */
function hit(onOpen, ...children) {
  return el('li', {}, el('button', { type: 'button', class: 'hit', onclick: onOpen }, ...children))
}

function section(key, page, rows, extra) {
  const heading = el('h2', {}, `${t(key)} `, el('span', { class: 'count' }, String(page.total)))
  const list =
    rows.length > 0 ? el('ul', { class: 'hits' }, ...rows) : el('p', { class: 'empty' }, t('noHits'))
  return el('section', { class: 'section', dataset: { section: key } }, heading, list, extra)
}

function messageRow(m) {
  // A direct chat is named after the other person, who is often the sender: say it once.
  const chat = nameOf(m.conversationId)
  const where = chat === m.senderName ? '' : ` · ${chat}`
  return hit(
    () => openHistory(m.conversationId, m.sequenceId, nameOf(m.conversationId), nameOf),
    el(
      'span',
      { class: 'meta' },
      el('strong', {}, m.senderName ?? t('unknown')),
      `${where} · ${formatTime(m.sentAt)}`,
    ),
    renderHighlight(el('span', { class: 'text' }), m.highlight),
  )
}

/** The sections in the one box's order, then the messages. */
function renderResults() {
  const parts = []
  const box = state.oneBox
  if (box) {
    parts.push(
      section(
        'contacts',
        box.contacts,
        box.contacts.hits.map((c) =>
          hit(
            () => addOperator(`from:${c.userId}`),
            el('strong', {}, c.name),
            c.nickname ? ` (${c.nickname})` : '',
            el('span', { class: 'meta' }, c.userId),
          ),
        ),
      ),
      section(
        'groups',
        box.groups,
        box.groups.hits.map((g) =>
          hit(
            () => addOperator(`in:${g.groupId}`),
            el('strong', {}, g.name),
            el('span', { class: 'meta' }, t('members', { n: g.memberCount })),
          ),
        ),
      ),
      section(
        'chats',
        box.conversations,
        box.conversations.hits.map((c) =>
          hit(
            () => openHistory(c.conversationId, c.latest.sequenceId, c.title ?? c.conversationId, nameOf),
            el(
              'span',
              { class: 'meta' },
              el('strong', {}, c.title ?? t('unknown')),
              ` · ${c.matches === 1 ? t('matchesOne') : t('matches', { n: c.matches })}`,
            ),
            renderHighlight(el('span', { class: 'text' }), c.latest.highlight),
          ),
        ),
      ),
    )
  }
  const messages = state.messages
  if (messages) {
    const more = messages.nextCursor
      ? el('button', { type: 'button', class: 'more', onclick: moreMessages }, t('more'))
      : undefined
    parts.push(section('messages', messages, messages.hits.map(messageRow), more))
  }
  // Names learnt from this answer label the active chips.
  renderChips()
  renderFacets()
  document.getElementById('results').replaceChildren(...parts)
}

/** Re-renders in the current language. */
export function relabelSearch() {
  if (state.messages) renderResults()
  else renderChips()
}

/** Names `id` in facets and histories (the signed-in user, whom no hit names). */
export function rememberName(id, name) {
  state.names.set(id, name)
}

/** Forgets the last answer (another user signed in). */
export function resetSearch() {
  state.oneBox = undefined
  state.messages = undefined
  state.names.clear()
  document.getElementById('results').replaceChildren()
  document.getElementById('facets').replaceChildren()
}

/** ArrowDown/ArrowUp from the box or a hit moves focus through the hits in page order. */
function onKeydown(event) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
  const hits = [...document.querySelectorAll('#results .hit')]
  if (hits.length === 0) return
  const at = hits.indexOf(document.activeElement)
  if (at === -1 && document.activeElement !== box()) return
  event.preventDefault()
  if (event.key === 'ArrowDown') hits[Math.min(at + 1, hits.length - 1)].focus()
  else if (at <= 0) box().focus()
  else hits[at - 1].focus()
}

/** Wires the form and the keys. */
export function initSearch() {
  document.getElementById('search-form').addEventListener('submit', (event) => {
    event.preventDefault()
    runSearch()
  })
  document.getElementById('tab-search').addEventListener('keydown', onKeydown)
  renderChips()
}
