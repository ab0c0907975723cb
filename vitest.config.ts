import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property suites build corpora; the 2-core CI machine needs room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
