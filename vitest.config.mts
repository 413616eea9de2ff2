import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // One temporary directory for the whole run, removed at its end.
    globalSetup: ["test/temp-root.ts"],
  },
});
