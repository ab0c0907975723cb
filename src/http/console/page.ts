/** @module The console's one HTML page: a shell the scripts in `assets/` fill in. */
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import { ASSET_PREFIX } from './assets.ts'

/** What the page tells its script about this server. */
export interface PageOptions {
  /** The user the console signs in as on its own (outside production); absent: paste a token. */
  devUser: string | undefined
}

/**
 * The page. Labels come from `i18n.js` (Chinese and English); the server only fills in whether it
 * mints development tokens, as data attributes, since the content security policy runs no inline
 * script.
 */
export function consolePage(options: PageOptions): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>im-search console</title>
    <link rel="stylesheet" href="${ASSET_PREFIX}console.css" />
    <script type="module" src="${ASSET_PREFIX}console.js"></script>
  </head>
  <body data-dev-user="${options.devUser ?? ''}">
    <header class="bar">
      <h1>im-search <span data-i18n="console">控制台</span></h1>
      <div class="who">
        <span id="who" aria-live="polite"></span>
        <select id="act-as" hidden aria-label="act as" data-i18n-label="actAs"></select>
        <details id="paste">
          <summary data-i18n="pasteToken">粘贴令牌</summary>
          <form id="paste-form">
            <input id="token" type="password" autocomplete="off" aria-label="token" data-i18n-label="token" />
            <button type="submit" data-i18n="useToken">使用</button>
          </form>
        </details>
        <button id="lang" type="button" aria-label="language">EN</button>
      </div>
    </header>
    <nav class="tabs" role="tablist">
      <button role="tab" data-tab="search" aria-selected="true" data-i18n="tabSearch">搜索</button>
      <button role="tab" data-tab="nearby" aria-selected="false" data-i18n="tabNearby">附近的人</button>
      <button role="tab" data-tab="tags" aria-selected="false" data-i18n="tabTags">标签</button>
      <button role="tab" data-tab="admin" aria-selected="false" data-i18n="tabAdmin" hidden>管理</button>
    </nav>
    <p id="status" role="alert" hidden></p>
    <main>
      <section id="tab-search" class="panel">
        <form id="search-form" role="search">
          <input id="q" type="search" autofocus autocomplete="off" maxlength="256" aria-label="search"
            data-i18n-placeholder="placeholder" data-i18n-label="search" />
          <button type="submit" data-i18n="searchButton">搜索</button>
        </form>
        <div id="chips" class="chips"></div>
        <div id="facets" class="chips"></div>
        <div id="results"></div>
        <div id="history" hidden></div>
      </section>
      <section id="tab-nearby" class="panel" hidden></section>
      <section id="tab-tags" class="panel" hidden></section>
      <section id="tab-admin" class="panel" hidden></section>
    </main>
  </body>
</html>`
}
