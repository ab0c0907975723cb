/**
 * @module Links in a message: the `http://` and `https://` URLs in its content (`has:link`).
 * A URL is the scheme (any case) and `//` followed by at least one character that is neither
 * white space nor a quote or angle bracket, which is how chat clients auto-link text.
 */

const URL = /https?:\/\/[^\s<>"'\u3000-\u303f\uff01-\uff5e]+/giu

/** The URLs in `content`, in order. */
export function linksIn(content: string): string[] {
  return content.match(URL) ?? []
}
