/**
 * @module The admin tab (admin tokens only): index sizes, the indexing queue with its dead
 * letters, and a reindex with a live progress bar and a cancel button.
 */
import { api, el, report } from './api.js'
import { t } from './i18n.js'

/** How often a running reindex job is polled for its progress. */
const POLL_MS = 300

/** The job shown, the timer that polls it, and the index last chosen (kept across redraws). */
let job
let timer
let chosen = 'all'

function table(headers, rows) {
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, t(h))))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, String(c)))))),
  )
}

async function loadStats() {
  const [indexes, queue] = await Promise.all([api('/v1/admin/indexes'), api('/v1/admin/queue')])
  const indexTable = table(
    ['index', 'documents', 'generation', 'rebuilding'],
    indexes.indexes.map((i) => [i.index, i.documents, i.generation, t(i.rebuilding ? 'yes' : 'no')]),
  )
  const queueTable = table(
    ['topic', 'enqueued', 'checkpoint', 'lag', 'retries'],
    queue.topics.map((q) => [q.topic, q.enqueued, q.checkpoint, q.lag, q.retries]),
  )
  const dead =
    queue.deadLetters.length === 0
      ? el('p', { class: 'empty' }, t('noDeadLetters'))
      : el(
          'ul',
          { class: 'dead' },
          ...queue.deadLetters.map((d) => el('li', {}, `${d.topic} ${d.id} ×${d.attempts}: ${d.error}`)),
        )
  const retry = el(
    'button',
    {
      type: 'button',
      disabled: queue.deadLetters.length === 0,
      onclick: () => act(() => api('/v1/admin/queue/retry', { method: 'POST' })),
    },
    t('retryDeadLetters'),
  )
  return { names: indexes.indexes.map((i) => i.index), indexTable, queueTable, dead, retry }
}

/** Runs an action, then redraws the tab. */
async function act(action) {
  report(undefined)
  try {
    await action()
  } catch (error) {
    report(error)
  }
  await renderAdmin()
}

function renderJob(box) {
  if (!job) {
    box.replaceChildren()
    return
  }
  const running = job.state === 'running'
  const progress = el('progress', {
    id: 'reindex-progress',
    max: Math.max(job.total, 1),
    value: job.processed,
  })
  const label = el(
    'span',
    { id: 'reindex-state', dataset: { state: job.state } },
    t('jobState', { state: t(job.state), processed: job.processed, total: job.total }),
  )
  const cancel = running
    ? el(
        'button',
        {
          type: 'button',
          id: 'reindex-cancel',
          onclick: () =>
            act(async () => {
              job = await api(`/v1/admin/reindex/${encodeURIComponent(job.jobId)}/cancel`, { method: 'POST' })
            }),
        },
        t('cancel'),
      )
    : ''
  box.replaceChildren(progress, label, cancel, job.error ? el('p', { class: 'error' }, job.error) : '')
}

/** Polls the job until it ends, redrawing its progress; at the end, the whole tab. */
function poll(box) {
  clearTimeout(timer)
  if (job?.state !== 'running') return
  timer = setTimeout(async () => {
    try {
      job = await api(`/v1/admin/reindex/${encodeURIComponent(job.jobId)}`)
    } catch (error) {
      report(error)
      return
    }
    if (job.state === 'running') {
      renderJob(box)
      poll(box)
    } else {
      await renderAdmin()
    }
  }, POLL_MS)
}

/** Draws the tab from fresh figures. */
export async function renderAdmin() {
  const panel = document.getElementById('tab-admin')
  let stats
  try {
    stats = await loadStats()
  } catch (error) {
    report(error)
    return
  }
  const select = el(
    'select',
    { id: 'reindex-index', 'aria-label': t('index') },
    ...['all', ...stats.names].map((name) => el('option', { value: name, selected: name === chosen }, name)),
  )
  select.addEventListener('change', () => {
    chosen = select.value
  })
  const jobBox = el('div', { class: 'job', id: 'reindex-job' })
  const start = el(
    'form',
    {
      class: 'row',
      onsubmit: (event) => {
        event.preventDefault()
        act(async () => {
          job = await api('/v1/admin/reindex', { method: 'POST', body: { index: select.value } })
        })
      },
    },
    select,
    el('button', { type: 'submit', id: 'reindex-start' }, t('start')),
    el('button', { type: 'button', onclick: () => act(async () => {}) }, t('refresh')),
  )
  panel.replaceChildren(
    el('h2', {}, t('indexes')),
    stats.indexTable,
    el('h2', {}, t('reindex')),
    start,
    jobBox,
    el('h2', {}, t('queue')),
    stats.queueTable,
    el('h3', {}, t('deadLetters')),
    stats.dead,
    stats.retry,
  )
  renderJob(jobBox)
  poll(jobBox)
}

/** Forgets the job (another user signed in). */
export function resetAdmin() {
  clearTimeout(timer)
  job = undefined
  chosen = 'all'
  document.getElementById('tab-admin').replaceChildren()
}
