/**
 * @module Benchmark users: Chinese, English, Japanese and mixed names drawn Zipf-like (so name
 * twins such as two 张伟 occur, as they do in real directories), home cities with locations
 * scattered around district centres, interest tags, and a heavy-tailed sociability that decides
 * how many groups a user joins.
 */
import { scatter } from '../../fixtures/generator/geo.ts'
import type { ChatLanguage } from '../../fixtures/generator/messages.ts'
import type { GeoPoint, TagInput } from '../../fixtures/generator/model.ts'
import { type NameKind, personName } from '../../fixtures/generator/names.ts'
import { randomTags } from '../../fixtures/generator/population.ts'
import { chance, pick, type Rng, substream, weighted } from '../../fixtures/generator/prng.ts'
import { CITIES, type City } from '../../fixtures/generator/vocabulary.ts'
import type { CorpusConfig } from './config.ts'
import { pareto } from './sampling.ts'

export interface BenchUser {
  userId: string
  name: string
  lang: ChatLanguage
  city: City
  location?: GeoPoint
  tags: TagInput[]
  discoverable: boolean
  /** Relative propensity to be in a group or a direct chat (Pareto, heavy tail). */
  sociability: number
}

const KIND = weighted<NameKind>(['zh', 'en', 'mixed', 'ja'], [62, 22, 11, 5])
const CITY_OF: Record<NameKind, (rng: Rng) => City> = {
  zh: weighted(CITIES.slice(0, 5), [24, 22, 22, 15, 10]),
  en: weighted([...CITIES], [5, 5, 10, 4, 1, 30, 40, 6]),
  mixed: weighted([...CITIES], [4, 4, 15, 15, 2, 50, 20, 1]),
  ja: weighted([...CITIES], [1, 1, 10, 1, 1, 2, 10, 80]),
}

function languageOf(rng: Rng, kind: NameKind): ChatLanguage {
  if (kind === 'mixed') return chance(rng, 0.5) ? 'mixed' : 'en'
  if (kind === 'zh' && chance(rng, 0.15)) return 'mixed'
  return kind
}

export function buildUsers(config: CorpusConfig): BenchUser[] {
  const rng = substream(config.seed, 'users')
  const users: BenchUser[] = []
  for (let i = 0; i < config.users; i++) {
    const kind = KIND(rng)
    const name = personName(rng, kind)
    const city = CITY_OF[kind](rng)
    const district = pick(rng, city.districts)
    const user: BenchUser = {
      userId: `u${i + 1}`,
      name: name.name,
      lang: languageOf(rng, kind),
      city,
      tags: randomTags(rng),
      discoverable: !chance(rng, 0.08),
      sociability: Math.min(pareto(rng, 1, 1.15), 5_000),
    }
    if (chance(rng, 0.7)) user.location = scatter(rng, district, 2.5, 12)
    users.push(user)
  }
  return users
}
