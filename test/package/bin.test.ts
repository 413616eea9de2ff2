/**
 * bin/quadlet in a checkout that has not been built yet: one line that says what is
 * missing and what to run, a failing status, and no stack trace.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeDir, ROOT, run, tempDir } from "./helpers.js";

const work = tempDir("unbuilt");
afterAll(() => removeDir(work));

describe("bin/quadlet before a build", () => {
  it("says in one line that the bundle is missing and to run npm run build", () => {
    mkdirSync(join(work, "bin"));
    copyFileSync(join(ROOT, "bin/quadlet"), join(work, "bin/quadlet"));
    const r = run(process.execPath, [join(work, "bin/quadlet"), "-dryrun"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`quadlet: ${join(work, "dist/quadlet.cjs")} is missing: run \`npm run build\` first\n`);
  });
});
