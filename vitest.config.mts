import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Hands the generator what it loads lazily in the bundle (see the file).
    setupFiles: ["test/setup.ts"],
    // One temporary directory for the whole run, removed at its end.
    globalSetup: ["test/temp-root.ts"],
  },
});
