import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real peers (DuckDB, loopback servers, s3rver, CDK synth); give them room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { NODE_OPTIONS: '--openssl-legacy-provider' },
  },
})
