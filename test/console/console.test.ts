/**
 * The console in a real browser (issue #14): Debian's headless Chromium driven by playwright-core
 * against the real app on an ephemeral port. Signs in as the development user, searches in Chinese
 * and English, opens a hit in its conversation, renders a hostile message as text, never shows
 * another user's private message, finds people nearby with distances only, runs a reindex to the
 * end as admin, fits a 375 px screen, and in production signs in only with a pasted token.
 * Screenshots go to test-artifacts/console/.
 */
import { mkdirSync } from 'node:fs'
import { type Browser, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signToken } from '../../src/http/dev-tokens.ts'
import { type ConsoleServer, SECRET, startConsoleServer } from './console-server.ts'

/** Debian's chromium package; `.ci/run` installs it when missing. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARTIFACTS = 'test-artifacts/console'
/** Each wait for the page is bounded, so a broken console fails instead of hanging the suite. */
const WAIT_MS = 10_000
/** The browser's zone: the console's dates and `day` facets are the reader's. */
const ZONE = 'Asia/Shanghai'

let browser: Browser
let dev: ConsoleServer
let prod: ConsoleServer

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  // The servers first, so that afterAll closes them even when the browser cannot start.
  dev = await startConsoleServer(false)
  prod = await startConsoleServer(true)
  // Root in CI: Chromium's sandbox needs user namespaces a container may not grant.
  browser = await chromium
    .launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
    .catch((error: Error) => {
      throw new Error(
        `cannot start ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH): ${error.message}`,
      )
    })
})

afterAll(async () => {
  // Closing the browser closes every context the tests opened.
  await browser?.close()
  await Promise.all([dev?.server.close(), prod?.server.close()])
})

/** A fresh page (own storage) on `server`, in `locale`, failing the test on any script alert. */
async function open(server: ConsoleServer, options: { width?: number; locale?: string } = {}) {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1100, height: 800 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: ZONE,
  })
  const page = await context.newPage()
  page.setDefaultTimeout(WAIT_MS)
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  await page.goto(server.url)
  await page.locator('body[data-ready="true"]').waitFor()
  return { page, dialogs }
}

async function search(page: Page, query: string) {
  const box = page.locator('#q')
  await box.fill(query)
  await box.press('Enter')
  await page.locator('[data-section="messages"]').waitFor()
}

/** Whether `locator`'s element has the focus (typed without the DOM library, which src/ does not load). */
const focused = (locator: Locator) =>
  locator.evaluate(
    (el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement,
  )

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true })

describe('outside production', () => {
  it('opens signed in as u1 with the search box focused', async () => {
    const { page } = await open(dev)
    await expect.poll(() => page.locator('#who').textContent()).toContain('张伟 (u1)')
    expect(await focused(page.locator('#q'))).toBe(true)
    expect(await page.locator('#act-as').isVisible()).toBe(true)
  })

  it('searches in Chinese: the sections with counts, then messages with the match marked', async () => {
    const { page } = await open(dev)
    await search(page, '上海东边')
    for (const section of ['contacts', 'groups', 'chats', 'messages'])
      await page.locator(`[data-section="${section}"] h2 .count`).waitFor()
    const hit = page.locator('[data-section="messages"] .hit', { hasText: '我家在上海东边' })
    await expect.poll(() => hit.count()).toBe(1)
    expect(await hit.locator('mark').first().textContent()).toBe('上海东边')
    expect(await page.locator('[data-section="chats"] .hit').first().textContent()).toContain('王芳')
    await shot(page, 'search-zh')
  })

  it('searches in English, with English labels after the language switch', async () => {
    const { page } = await open(dev)
    await page.locator('#lang').click()
    await expect.poll(() => page.locator('[data-tab="search"]').textContent()).toBe('Search')
    await search(page, 'coffee')
    await expect
      .poll(() => page.locator('[data-section="messages"] h2').textContent())
      .toMatch(/^Messages \d+$/)
    const marks = await page.locator('[data-section="messages"] mark').allTextContents()
    expect(marks.length).toBeGreaterThan(0)
    for (const mark of marks) expect(mark.toLowerCase()).toBe('coffee')
    await shot(page, 'search-en')
  })

  it('moves through hits with the arrows and opens one in its conversation with Enter', async () => {
    const { page } = await open(dev)
    await search(page, '上海东边')
    const hits = page.locator('#results .hit')
    const count = await hits.count()
    const target = page.locator('[data-section="messages"] .hit', { hasText: '我家在上海东边' })
    // From the box, ArrowDown walks the hits in page order until it reaches the message.
    for (let i = 0; i < count; i++) {
      await page.keyboard.press('ArrowDown')
      if (await focused(target)) break
    }
    expect(await focused(target)).toBe(true)
    await page.keyboard.press('Enter')
    const current = page.locator('#history .message.target')
    await current.waitFor()
    expect(await current.textContent()).toContain('我家在上海东边')
    // The message u1 sent just before it is there too: the history around the hit.
    expect(await page.locator('#history .message', { hasText: '你家在哪儿来着' }).count()).toBe(1)
    await shot(page, 'history')
    await page.keyboard.press('Escape')
    await page.locator('#results').waitFor()
    expect(await focused(target)).toBe(true)
    // A new search from the history leaves it for the new results.
    await page.keyboard.press('Enter')
    await current.waitFor()
    await search(page, 'coffee')
    await page.locator('#history').waitFor({ state: 'hidden' })
    await page
      .locator('[data-section="messages"] mark', { hasText: /coffee/i })
      .first()
      .waitFor()
  })

  it('pages back through a busy group from a hit, older messages above', async () => {
    const { page } = await open(dev)
    await search(page, '认证系统使用JWT令牌')
    await page.locator('[data-section="messages"] .hit', { hasText: '认证系统使用JWT令牌' }).click()
    const rows = page.locator('#history .message')
    await page.locator('#history .message.target').waitFor()
    const before = await rows.count()
    const firstBefore = await rows.first().getAttribute('data-message-id')
    await page.locator('#history .older').click()
    await expect.poll(() => rows.count()).toBeGreaterThan(before)
    // The page came in above: the former first row is now further down, the hit still marked once.
    expect(await rows.first().getAttribute('data-message-id')).not.toBe(firstBefore)
    expect(await page.locator('#history .message.target').count()).toBe(1)
    expect(await page.locator('#history [data-message-id="m-anchor-03"]').count()).toBe(1)
  })

  it('narrows with operator and facet chips', async () => {
    const { page } = await open(dev)
    await search(page, '表格存储')
    await page.locator('.chip', { hasText: /^has:file$/ }).click()
    await expect.poll(() => page.locator('#q').inputValue()).toBe('表格存储 has:file')
    await page.locator('.chip.active', { hasText: 'has:file' }).click()
    await expect.poll(() => page.locator('#q').inputValue()).toBe('表格存储')
    await page.locator('[data-facet="sender"][data-value="u3"]').click()
    await expect.poll(() => page.locator('#q').inputValue()).toBe('表格存储 from:u3')
    const senderFacet = async () =>
      Promise.all(
        (await page.locator('[data-facet="sender"]').all()).map((l) => l.getAttribute('data-value')),
      )
    await expect.poll(senderFacet).toEqual(['u3'])
    // u3 is the second 张伟: every message left is his.
    const senders = await page.locator('[data-section="messages"] .hit .meta strong').allTextContents()
    expect(senders.length).toBeGreaterThan(0)
    expect(new Set(senders)).toEqual(new Set(['张伟']))
    await shot(page, 'facets')
    // A date chip adds `after:` thirty days back, a day in the reader's zone.
    await page.locator('[data-date="last30Days"]').click()
    const expected = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(Date.now() - 30 * 86_400_000)
    await expect.poll(() => page.locator('#q').inputValue()).toBe(`表格存储 from:u3 after:${expected}`)
    await page.locator('.chip.active', { hasText: `after:${expected}` }).waitFor()
  })

  it('renders a hostile message as text: no element from it, no script run', async () => {
    const { page, dialogs } = await open(dev)
    await search(page, 'hostile')
    const hit = page.locator('[data-section="messages"] .hit', { hasText: 'hostile' })
    await hit.waitFor()
    expect(await hit.locator('.text').textContent()).toBe(
      '<img src=x onerror=alert(1)> 恶意 hostile <b>bold</b> &amp;',
    )
    expect(await page.locator('#results img, #results b').count()).toBe(0)
    await hit.click()
    await page.locator('#history .message.target').waitFor()
    expect(await page.locator('#history img, #history b').count()).toBe(0)
    expect(dialogs).toEqual([])
  })

  it("never shows another user's private message: u6 picked from the list finds nothing", async () => {
    const { page } = await open(dev)
    await page.locator('#act-as').selectOption('u6')
    await expect.poll(() => page.locator('#who').textContent()).toContain('Alice Johnson (u6)')
    await search(page, '上海东边')
    expect(await page.locator('[data-section="messages"] .count').textContent()).toBe('0')
    expect(await page.locator('#results').textContent()).not.toContain('我家在上海东边')
    await search(page, '表格存储')
    expect(await page.locator('#results').textContent()).not.toContain('今天谁使用表格存储了')
  })

  it('finds people nearby and by tag with distances, never coordinates, never the hidden user', async () => {
    const { page } = await open(dev)
    await page.locator('[data-tab="nearby"]').click()
    await page.locator('#tab-nearby button[type="submit"]').click()
    const wangFang = page.locator('#nearby-results .person', { hasText: '王芳' }).first()
    await expect.poll(() => wangFang.locator('.distance').textContent()).toBe('2.0 km')
    const nearby = (await page.locator('#nearby-results').textContent()) ?? ''
    expect(nearby).not.toContain('刘洋')
    expect(nearby).not.toMatch(/\d+\.\d{3,}/)
    await shot(page, 'nearby')
    await page.locator('[data-tab="tags"]').click()
    await page.locator('#tags').fill('徒步')
    await page.locator('#tags').press('Enter')
    const club = page.locator('#tag-results .person', { hasText: '杭州徒步俱乐部' })
    await expect.poll(() => club.locator('.distance').textContent()).toMatch(/^\d+(\.\d)? k?m$/)
    expect(await page.locator('#tag-results').textContent()).not.toMatch(/\d+\.\d{3,}/)
  })

  it('as admin: index stats, the queue, and a reindex run to the end with its progress bar', async () => {
    const { page } = await open(dev)
    await page.locator('#act-as').selectOption('admin')
    const tab = page.locator('[data-tab="admin"]')
    await tab.waitFor()
    await tab.click()
    await page.locator('#tab-admin table').first().waitFor()
    expect(await page.locator('#tab-admin tbody tr', { hasText: 'messages' }).first().textContent()).toMatch(
      /\d/,
    )
    await page.locator('#reindex-start').click()
    await page.locator('#reindex-progress').waitFor()
    await page.locator('#reindex-state[data-state="succeeded"]').waitFor({ timeout: 30_000 })
    const progress = page.locator('#reindex-progress')
    expect(await progress.getAttribute('value')).toBe(await progress.getAttribute('max'))
    await shot(page, 'admin')
  })

  it('as admin: a reindex shows as running and stops at Cancel, the live index untouched', async () => {
    const { page } = await open(dev)
    await page.locator('#act-as').selectOption('admin')
    await page.locator('[data-tab="admin"]').click()
    await page.locator('#reindex-index').selectOption('messages')
    const documents = () =>
      page.locator('#tab-admin tbody tr', { hasText: 'messages' }).first().locator('td').nth(1).textContent()
    const before = await documents()
    dev.holdRebuilds = true
    try {
      await page.locator('#reindex-start').click()
      await page.locator('#reindex-state[data-state="running"]').waitFor()
      await shot(page, 'admin-running')
      await page.locator('#reindex-cancel').click()
      await page.locator('#reindex-state[data-state="cancelled"]').waitFor()
    } finally {
      dev.holdRebuilds = false
    }
    expect(await documents()).toBe(before)
  })

  it('fits a 375 px phone screen, search and admin', async () => {
    const { page } = await open(dev, { width: 375 })
    await search(page, '表格存储')
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375)
    await shot(page, 'phone')
    await page.locator('#act-as').selectOption('admin')
    await page.locator('[data-tab="admin"]').click()
    await page.locator('#tab-admin table').first().waitFor()
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375)
    await shot(page, 'phone-admin')
  })
})

describe('in production', () => {
  it('offers no user to act as; a pasted token signs in and searches', async () => {
    const { page } = await open(prod, { locale: 'en-US' })
    await expect.poll(() => page.locator('#who').textContent()).toBe('Not signed in: paste a token')
    expect(await page.locator('#act-as').isVisible()).toBe(false)
    await page.locator('#paste summary').click()
    await page.locator('#token').fill(await signToken({ secret: SECRET, sub: 'u1', scopes: ['search'] }))
    await page.locator('#token').press('Enter')
    await expect.poll(() => page.locator('#who').textContent()).toContain('张伟 (u1)')
    await search(page, '上海东边')
    await expect.poll(() => page.locator('[data-section="messages"] .hit').count()).toBe(1)
    await shot(page, 'production')
  })
})
