/**
 * @module People nearby and tag search. Both measure from the signed-in user's own location (the
 * profile the service shows its owner); hits show distances only, never coordinates.
 */
import { api, el, report, withQuery } from './api.js'
import { formatDistance, t } from './i18n.js'

/** A box over the whole Earth: with `near`, distances are measured without limiting the search. */
const WORLD_BOX = '90,-180,-90,180'
const RADII = ['1km', '5km', '20km']

/** Returns the signed-in user's profile, or undefined. */
let profileOf = () => undefined

const point = (location) => `${location.lat},${location.lon}`

function hitRow(name, distance, tags, extra) {
  return el(
    'li',
    { class: 'person' },
    el('strong', {}, name),
    distance === undefined ? '' : el('span', { class: 'distance' }, formatDistance(distance)),
    extra ? el('span', { class: 'meta' }, extra) : '',
    el('span', { class: 'tags' }, tags.map((tag) => tag.name).join(' · ')),
  )
}

function list(hits, row) {
  return hits.length > 0
    ? el('ul', { class: 'people' }, ...hits.map(row))
    : el('p', { class: 'empty' }, t('noHits'))
}

async function findNearby(radius, out) {
  report(undefined)
  const location = profileOf()?.location
  if (!location) {
    out.replaceChildren(el('p', { class: 'empty' }, t('nearbyNoLocation')))
    return
  }
  try {
    const page = await api(
      withQuery('/v1/search/users', { near: point(location), radius, sort: 'distance', limit: 50 }),
    )
    // The caller is at distance 0 from themselves; the list is about the others.
    const others = page.hits.filter((u) => u.userId !== profileOf()?.userId)
    out.replaceChildren(list(others, (u) => hitRow(u.name, u.distance, u.tags)))
  } catch (error) {
    report(error)
  }
}

async function findTagged(tags, mode, out) {
  report(undefined)
  const location = profileOf()?.location
  const params = {
    tag: tags,
    tagMode: mode,
    limit: 20,
    ...(location ? { near: point(location), box: WORLD_BOX } : {}),
  }
  try {
    const [users, groups] = await Promise.all([
      api(withQuery('/v1/search/users', params)),
      api(withQuery('/v1/search/groups', params)),
    ])
    out.replaceChildren(
      el('h2', {}, `${t('people')} `, el('span', { class: 'count' }, String(users.total))),
      list(users.hits, (u) => hitRow(u.name, u.distance, u.tags)),
      el('h2', {}, `${t('groups')} `, el('span', { class: 'count' }, String(groups.total))),
      list(groups.hits, (g) => hitRow(g.name, g.distance, g.tags, t('members', { n: g.memberCount }))),
    )
  } catch (error) {
    report(error)
  }
}

/** Builds both tabs' forms (again after a language switch). */
export function renderDiscovery() {
  const nearbyOut = el('div', { class: 'out', id: 'nearby-results' })
  const radius = el(
    'select',
    { id: 'radius', 'aria-label': t('radius') },
    ...RADII.map((r) => el('option', { value: r, selected: r === '5km' }, r)),
  )
  const nearbyForm = el(
    'form',
    {
      class: 'row',
      onsubmit: (event) => {
        event.preventDefault()
        findNearby(radius.value, nearbyOut)
      },
    },
    el('label', {}, `${t('radius')} `, radius),
    el('button', { type: 'submit' }, t('find')),
  )
  document.getElementById('tab-nearby').replaceChildren(nearbyForm, nearbyOut)

  const tagsOut = el('div', { class: 'out', id: 'tag-results' })
  const tagsInput = el('input', {
    id: 'tags',
    type: 'search',
    placeholder: t('tagsInput'),
    'aria-label': t('tagsInput'),
  })
  const mode = el(
    'select',
    { id: 'tag-mode', 'aria-label': t('tagModeAny') },
    el('option', { value: 'any' }, t('tagModeAny')),
    el('option', { value: 'all' }, t('tagModeAll')),
  )
  const tagsForm = el(
    'form',
    {
      class: 'row',
      onsubmit: (event) => {
        event.preventDefault()
        const tags = tagsInput.value.split(/[\s,，]+/).filter(Boolean)
        if (tags.length > 0) findTagged(tags, mode.value, tagsOut)
      },
    },
    tagsInput,
    mode,
    el('button', { type: 'submit' }, t('find')),
  )
  document.getElementById('tab-tags').replaceChildren(tagsForm, tagsOut)
}

/** `profile` returns the signed-in user's profile (with their own location), or undefined. */
export function initDiscovery(profile) {
  profileOf = profile
  renderDiscovery()
}
