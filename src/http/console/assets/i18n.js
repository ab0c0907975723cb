/**
 * @module The console's labels in Chinese and English, and the language switch. The choice is kept
 * in localStorage; the first visit follows the browser's language.
 */

const LABELS = {
  zh: {
    console: '控制台',
    actAs: '切换用户',
    pasteToken: '粘贴令牌',
    token: '令牌',
    useToken: '使用',
    tabSearch: '搜索',
    tabNearby: '附近的人',
    tabTags: '标签',
    tabAdmin: '管理',
    search: '搜索',
    searchButton: '搜索',
    placeholder: '搜索消息、联系人、群组…  例如 表格存储 from:u7 has:file',
    signedInAs: '当前用户：{who}',
    notSignedIn: '未登录：请粘贴令牌',
    adminSuffix: '（管理员）',
    contacts: '联系人',
    groups: '群组',
    chats: '聊天',
    messages: '消息',
    noHits: '没有结果',
    members: '{n} 位成员',
    matches: '{n} 条相关消息',
    matchesOne: '1 条相关消息',
    more: '更多',
    filters: '筛选',
    last7Days: '最近 7 天',
    last30Days: '最近 30 天',
    thisYear: '今年',
    facetConversation: '会话',
    facetSender: '发送者',
    facetType: '类型',
    facetDay: '日期',
    remove: '移除 {what}',
    back: '← 返回结果',
    older: '更早的消息',
    historyOf: '{title} 的聊天记录',
    unknown: '（未知）',
    radius: '范围',
    find: '查找',
    nearbyNoLocation: '你的资料没有位置，无法查找附近的人。',
    tagsInput: '标签，用空格分隔，例如 徒步 hiking',
    tagModeAny: '任一标签',
    tagModeAll: '全部标签',
    people: '人',
    indexes: '索引',
    index: '索引',
    documents: '文档数',
    generation: '版本',
    rebuilding: '重建中',
    queue: '索引队列',
    topic: '主题',
    enqueued: '已提交',
    checkpoint: '检查点',
    lag: '延迟',
    retries: '重试',
    deadLetters: '死信',
    noDeadLetters: '没有死信',
    retryDeadLetters: '重试死信',
    reindex: '重建索引',
    start: '开始',
    cancel: '取消',
    refresh: '刷新',
    jobState: '{state}：{processed} / {total}',
    running: '进行中',
    succeeded: '已完成',
    failed: '失败',
    cancelled: '已取消',
    yes: '是',
    no: '否',
    typeText: '文本',
    typeImage: '图片',
    typeFile: '文件',
  },
  en: {
    console: 'console',
    actAs: 'Act as',
    pasteToken: 'Paste a token',
    token: 'Token',
    useToken: 'Use',
    tabSearch: 'Search',
    tabNearby: 'People nearby',
    tabTags: 'Tags',
    tabAdmin: 'Admin',
    search: 'Search',
    searchButton: 'Search',
    placeholder: 'Search messages, contacts, groups…  e.g. coffee from:u6 has:file',
    signedInAs: 'Signed in as {who}',
    notSignedIn: 'Not signed in: paste a token',
    adminSuffix: ' (admin)',
    contacts: 'Contacts',
    groups: 'Groups',
    chats: 'Chats',
    messages: 'Messages',
    noHits: 'No results',
    members: '{n} members',
    matches: '{n} matching messages',
    matchesOne: '1 matching message',
    more: 'More',
    filters: 'Filters',
    last7Days: 'Last 7 days',
    last30Days: 'Last 30 days',
    thisYear: 'This year',
    facetConversation: 'Chat',
    facetSender: 'Sender',
    facetType: 'Type',
    facetDay: 'Day',
    remove: 'Remove {what}',
    back: '← Back to results',
    older: 'Older messages',
    historyOf: 'History of {title}',
    unknown: '(unknown)',
    radius: 'Within',
    find: 'Find',
    nearbyNoLocation: 'Your profile has no location, so there is no one to find nearby.',
    tagsInput: 'Tags, separated by spaces, e.g. 徒步 hiking',
    tagModeAny: 'Any tag',
    tagModeAll: 'All tags',
    people: 'People',
    indexes: 'Indexes',
    index: 'Index',
    documents: 'Documents',
    generation: 'Generation',
    rebuilding: 'Rebuilding',
    queue: 'Indexing queue',
    topic: 'Topic',
    enqueued: 'Enqueued',
    checkpoint: 'Checkpoint',
    lag: 'Lag',
    retries: 'Retries',
    deadLetters: 'Dead letters',
    noDeadLetters: 'No dead letters',
    retryDeadLetters: 'Retry dead letters',
    reindex: 'Reindex',
    start: 'Start',
    cancel: 'Cancel',
    refresh: 'Refresh',
    jobState: '{state}: {processed} / {total}',
    running: 'Running',
    succeeded: 'Succeeded',
    failed: 'Failed',
    cancelled: 'Cancelled',
    yes: 'yes',
    no: 'no',
    typeText: 'text',
    typeImage: 'image',
    typeFile: 'file',
  },
}

const STORAGE_KEY = 'im-search.lang'

/** `zh` or `en`. */
export let lang = localStorage.getItem(STORAGE_KEY) ?? (navigator.language.startsWith('zh') ? 'zh' : 'en')
if (!(lang in LABELS)) lang = 'en'

/** The label `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = LABELS[lang][key] ?? key
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''))
}

/** Fills the page's static labels (`data-i18n`, `data-i18n-label`, `data-i18n-placeholder`). */
export function applyLabels(root = document) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n)
  for (const el of root.querySelectorAll('[data-i18n-label]'))
    el.setAttribute('aria-label', t(el.dataset.i18nLabel))
  for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
    el.placeholder = t(el.dataset.i18nPlaceholder)
}

/** Switches to the other language and keeps the choice. */
export function toggleLanguage() {
  lang = lang === 'zh' ? 'en' : 'zh'
  localStorage.setItem(STORAGE_KEY, lang)
  applyLabels()
}

/** A time (epoch ms) in the reader's zone and language. */
export function formatTime(ms) {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(ms)
}

/** A distance in metres as people read it: `800 m`, `1.9 km`. */
export function formatDistance(metres) {
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(1)} km`
}
