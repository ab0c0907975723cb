/** @module The benchmark corpus: deterministic, realistic, any size, messages generated lazily. */
export { type CorpusConfig, corpusConfig, DEFAULT_SEED } from './config.ts'
export { buildCorpus, type Corpus, corpusOf } from './corpus.ts'
export type { DirectChat } from './directs.ts'
export type { BenchGroup, MembershipChange } from './groups.ts'
export {
  type CorpusEvent,
  type CorpusMessage,
  corpusEvents,
  corpusMessages,
  type MembershipEvent,
} from './stream.ts'
export type { BenchUser } from './users.ts'
