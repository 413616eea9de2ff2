/**
 * How quadlet starts (bin/quadlet): the code cache the build makes is the
 * one V8 takes, a cache that does not fit is never used, and nothing about the cache or the
 * environment changes what a run prints.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, ROOT, run, tempDir } from "./helpers.js";

const BUNDLE = join(ROOT, "dist", "quadlet.cjs");
const LAUNCH = join(ROOT, "bin", "quadlet");
const EXAMPLES = join(ROOT, "fixtures", "examples");

/** The environment systemd gives a generator, as far as Node is concerned: no NODE_* at all. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("NODE_")) env[name] = value;
  return { ...env, QUADLET_UNIT_DIRS: EXAMPLES, ...extra };
}

/**
 * What V8 says of the cache bytes in `cacheFile` for the bundle, in a fresh node (the test
 * runner's own V8 flags would change the answer): "false" when it took them, "true" when it
 * refused them, "undefined" when none were offered.
 */
function cacheVerdict(cacheFile: string): string {
  const script = `
    const { readFileSync } = require("node:fs");
    const launch = require(${JSON.stringify(LAUNCH)});
    const { script } = launch.compile(readFileSync(${JSON.stringify(BUNDLE)}, "utf8"), "quadlet.cjs", readFileSync(${JSON.stringify(cacheFile)}));
    process.stdout.write(String(script.cachedDataRejected));`;
  const r = run(process.execPath, ["-e", script], { env: cleanEnv() });
  expect(r.stderr).toBe("");
  return r.stdout;
}

let work: string;
let expected: { status: number | null; stdout: string; stderr: string };

/** stderr with the process id taken out of `quadlet-generator[PID]:`. */
const pidless = (text: string): string => text.replace(/quadlet-generator\[\d+\]/g, "quadlet-generator[]");

beforeAll(() => {
  work = tempDir("launch");
  expected = run(process.execPath, [join(ROOT, "bin", "quadlet"), "-dryrun"], { env: cleanEnv() });
});

afterAll(() => removeDir(work));

describe("the code cache", () => {
  it("is taken by V8 as the build made it", () => {
    expect(cacheVerdict(`${BUNDLE}.cache`)).toBe("false");
  });

  it("is not offered to V8 when it was made for another build", () => {
    const cache = readFileSync(`${BUNDLE}.cache`);
    const other = join(work, "other-build.cache");
    // The same V8 bytes under another build id on the first line.
    writeFileSync(other, Buffer.concat([Buffer.from("0".repeat(32)), cache.subarray(cache.indexOf(10))]));
    expect(cacheVerdict(other)).toBe("undefined");
  });

  it("changes nothing in a run when it is damaged: V8 refuses it and the bundle is compiled", () => {
    const copy = join(work, "copy");
    mkdirSync(join(copy, "bin"), { recursive: true });
    mkdirSync(join(copy, "dist"), { recursive: true });
    // The chunks too: a host whose podman is older than the newest needs the retargeting one.
    const chunks = readdirSync(join(ROOT, "dist")).filter((f) => /^quadlet-.+\.cjs$/.test(f)).map((f) => `dist/${f}`);
    for (const file of ["bin/quadlet", "dist/quadlet.cjs", ...chunks]) copyFileSync(join(ROOT, file), join(copy, file));
    const cache = readFileSync(`${BUNDLE}.cache`);
    const id = cache.subarray(0, cache.indexOf(10) + 1);
    const damaged = join(copy, "dist", "quadlet.cjs.cache");
    writeFileSync(damaged, Buffer.concat([id, Buffer.alloc(cache.length - id.length, 0x5a)]));
    expect(cacheVerdict(damaged)).toBe("true");

    const r = run(process.execPath, [join(copy, "bin", "quadlet"), "-dryrun"], { env: cleanEnv() });
    expect(r.stdout).toMatch(/^---webapp\.service---$/m);
    expect(r.stdout).toBe(expected.stdout);
    expect(pidless(r.stderr)).toBe(pidless(expected.stderr));
    expect(r.status).toBe(expected.status);
  });
});

describe("the environment", () => {
  it("a V8 flag in NODE_OPTIONS changes nothing in a run", () => {
    const r = run(process.execPath, [join(ROOT, "bin", "quadlet"), "-dryrun"], { env: cleanEnv({ NODE_OPTIONS: "--max-old-space-size=300 --max-semi-space-size=8" }) });
    expect(r.stdout).toMatch(/^---webapp\.service---$/m);
    expect(r.stdout).toBe(expected.stdout);
    expect(pidless(r.stderr)).toBe(pidless(expected.stderr));
    expect(r.status).toBe(expected.status);
  });
});
