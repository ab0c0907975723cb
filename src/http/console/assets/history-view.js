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

/**
 * Opens `conversationId` around `sequenceId`; `title` heads the panel, `nameOf` names senders
 * (history rows carry only their ids).
 */
export async function openHistory(conversationId, sequenceId, title, nameOf) {
  opener = document.activeElement
  report(undefined)
  let page
  try {
    page = await api(
      withQuery(`/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
        around: sequenceId,
        limit: AROUND_LIMIT,
      }),
    )
  } catch (error) {
    report(error)
    return
  }
  // Oldest first, as a chat reads.
  const rows = [...page.hits]
    .sort((a, b) => a.sequenceId - b.sequenceId)
    .map((m) =>
      el(
        'li',
        {
          class: m.sequenceId === sequenceId ? 'message target' : 'message',
          'aria-current': m.sequenceId === sequenceId ? 'true' : undefined,
          dataset: { messageId: m.messageId },
        },
        el('span', { class: 'meta' }, el('strong', {}, nameOf(m.senderId)), ` · ${formatTime(m.sentAt)}`),
        el('span', { class: 'text' }, m.content),
      ),
    )
  const back = el('button', { type: 'button', class: 'back', onclick: close }, t('back'))
  const panel = document.getElementById('history')
  panel.replaceChildren(
    back,
    el('h2', {}, t('historyOf', { title })),
    el('ol', { class: 'messages', tabindex: '-1' }, ...rows),
  )
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
