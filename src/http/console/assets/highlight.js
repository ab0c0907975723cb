/**
 * @module Safe highlights. The API's `highlight` is the content HTML-escaped with each match in
 * `<em>…</em>`. It is never given to innerHTML: the text between the markers is unescaped into
 * text nodes and the markers become `<mark>` elements, so a message's own markup stays text.
 */

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/** Undoes the API's escaping of the five characters it escapes; nothing else is interpreted. */
function unescapeHtml(text) {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity])
}

/** Appends `highlight` to `parent` as text nodes and `<mark>` elements. */
export function renderHighlight(parent, highlight) {
  let inside = false
  for (const part of highlight.split(/(<em>|<\/em>)/)) {
    if (part === '<em>' || part === '</em>') {
      inside = part === '<em>'
      continue
    }
    if (part === '') continue
    const text = document.createTextNode(unescapeHtml(part))
    if (inside) {
      const mark = document.createElement('mark')
      mark.append(text)
      parent.append(mark)
    } else {
      parent.append(text)
    }
  }
  return parent
}
