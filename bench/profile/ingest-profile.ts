/**
 * @module Ingest alone, for `node --cpu-prof`: the benchmark's port ingest on N messages.
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/ingest-profile.ts 300000`
 */
import { corpusOf } from '../corpus/index.ts'
import { ingestThroughPort } from '../phases/port-ingest.ts'

const n = Number(process.argv[2] ?? 300_000)
const result = await ingestThroughPort(corpusOf(n))
process.stdout.write(`${result.messagesPerSecond} msg/s, index ${result.indexSeconds} s\n`)
