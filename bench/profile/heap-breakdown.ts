/**
 * @module Where the embedded engine's bytes per message go: each field index of the messages
 * index built alone over the same corpus, measured like the benchmark measures the whole
 * (heap + typed-array buffers after full GCs). Run:
 * `node --expose-gc --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/heap-breakdown.ts 200000`
 */
import { KeywordIndex } from '../../adapters/memory/keyword-index.ts'
import { RecipientSetIndex } from '../../adapters/memory/recipient-set-index.ts'
import { StoredDocuments } from '../../adapters/memory/stored-documents.ts'
import { TextIndex } from '../../adapters/memory/text-index.ts'
import type { MessageDocument } from '../../src/ports/documents.ts'
import { messageDocument } from '../../src/services/documents.ts'
import { tokenize } from '../../src/text/analyzer.ts'
import { corpusMessages, corpusOf } from '../corpus/index.ts'
import { bytesPer, settle } from '../lib/memory.ts'

const n = Number(process.argv[2] ?? 200_000)
const corpus = corpusOf(n)

function part(label: string, build: (add: (doc: MessageDocument, docNo: number) => void) => unknown): void {
  const before = settle()
  const keep = build((_doc, _docNo) => {})
  const after = settle()
  process.stdout.write(`${label.padEnd(44)} ${String(bytesPer(before, after, n)).padStart(6)} B/message\n`)
  if (!keep) throw new Error('nothing kept')
}

function each(fn: (doc: MessageDocument, docNo: number) => void): void {
  let docNo = 0
  for (const m of corpusMessages(corpus)) fn(messageDocument(m), docNo++)
}

process.stdout.write(`N=${n}\n`)
// The index also reads its columns' keyword fields from those columns (`StoredDocuments.restore`):
// stored here, they are a slot a message more than the index holds.
part('stored documents (columns, recipient lists from their sets)', () => {
  const docs = new StoredDocuments()
  const shared = new RecipientSetIndex()
  docs.restore('recipients', (docNo) => shared.listOf(docNo))
  each((d, no) => {
    shared.add(no, d.recipients)
    docs.add(d)
  })
  return docs
})
part('  of which the recipient-set index', () => {
  const index = new RecipientSetIndex()
  each((d, no) => index.add(no, d.recipients))
  return index
})
part('id → docNo map', () => {
  const map = new Map<string, number>()
  each((d, no) => map.set(d.messageId, no))
  return map
})
for (const field of ['messageId', 'conversationId', 'senderId', 'type', 'conversationType'] as const)
  part(`keyword index: ${field}`, () => {
    const index = new KeywordIndex()
    each((d, no) => index.add(no, [d[field]]))
    return index
  })
part('text index: content', () => {
  const index = new TextIndex()
  each((d, no) => index.add(no, tokenize(d.content)))
  return index
})
