import { defineConfig } from "vitest/config";

export const config = defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: integration files each start real servers, so run files in a small pool.
    pool: "forks",
    maxWorkers: 2,
  },
});

// vitest loads the default export of its config file; this is the one allowed default export.
// eslint-disable-next-line no-restricted-syntax
export default config;
