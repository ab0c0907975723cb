/**
 * @module A hit in context: the conversation's history around the hit (the history endpoint's
 * `around`), the hit marked and scrolled to. Escape or the back button returns to the results.
 */
import { api, el, report, withQuery } from './api.js'
import { formatTime, t } from './i18n.js'

/** Messages shown around a hit. */
const AROUND_LIMIT = 21

/** The hit that opened the history, to give focus back. */
let opener

/** Shows the history panel, or the results with their chips. */
function showHistory(shown) {
  document.getElementById('history').hidden = !shown
  for (const id of ['results', 'chips', 'facets']) document.getElementById(id).hidden = shown
}

function close() {
  showHistory(false)
  opener?.focus()
}

/** A history row, oldest first as a chat reads; the hit that opened the history is marked. */
function messageRow(m, target, nameOf) {
  const current = m.sequenceId === target
  return el(
    'li',
    {
      class: current ? 'message target' : 'message',
      'aria-current': current ? 'true' : undefined,
      dataset: { messageId: m.messageId },
    },
    el('span', { class: 'meta' }, el('strong', {}, nameOf(m.senderId)), ` · ${formatTime(m.sentAt)}`),
    el('span', { class: 'text' }, m.content),
  )
}

const oldestFirst = (hits) => [...hits].sort((a, b) => a.sequenceId - b.sequenceId)

/** `GET /v1/conversations/{id}/messages` with `params`; undefined (and the reason shown) on failure. */
async function historyPage(conversationId, params) {
  try {
    return await api(withQuery(`/v1/conversations/${encodeURIComponent(conversationId)}/messages`, params))
  } catch (error) {
    report(error)
    return undefined
  }
}

/**
 * Opens `conversationId` around `sequenceId`; `title` heads the panel, `nameOf` names senders
 * (history rows carry only their ids). "Older messages" pages back with `before`.
 */
export async function openHistory(conversationId, sequenceId, title, nameOf) {
  opener = document.activeElement
  report(undefined)
  const page = await historyPage(conversationId, { around: sequenceId, limit: AROUND_LIMIT })
  if (!page) return
  const list = el(
    'ol',
    { class: 'messages', tabindex: '-1' },
    ...oldestFirst(page.hits).map((m) => messageRow(m, sequenceId, nameOf)),
  )
  let before = page.nextBefore
  const older = el('button', { type: 'button', class: 'older', hidden: before === undefined }, t('older'))
  older.addEventListener('click', async () => {
    const previous = await historyPage(conversationId, { before, limit: AROUND_LIMIT })
    if (!previous) return
    list.prepend(...oldestFirst(previous.hits).map((m) => messageRow(m, sequenceId, nameOf)))
    before = previous.nextBefore
    older.hidden = before === undefined
  })
  const back = el('button', { type: 'button', class: 'back', onclick: close }, t('back'))
  const panel = document.getElementById('history')
  panel.replaceChildren(back, el('h2', {}, t('historyOf', { title })), older, list)
  showHistory(true)
  panel.querySelector('.target')?.scrollIntoView({ block: 'center' })
  back.focus()
}

/** Escape in the history panel goes back. */
export function initHistory() {
  document.getElementById('history').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close()
  })
}

/** Closes the panel without moving focus (another user signed in, or a new search). */
export function resetHistory() {
  opener = undefined
  showHistory(false)
}
