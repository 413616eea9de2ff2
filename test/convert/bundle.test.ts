/**
 * The built program: `quadlet convert compose -f FILE -o DIR` works from bin/quadlet as a
 * script would run it, and the generator's boot path carries convert only compressed (it
 * is decompressed and compiled when `convert` runs, never at boot).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileUnits, FIXTURES, readTree, removeDir, tempDir } from "./helpers.js";

const ROOT = join(__dirname, "..", "..");
const BIN = join(ROOT, "bin", "quadlet");
const out = tempDir("bundle");
afterAll(() => removeDir(out));

function quadlet(args: string[], env: Record<string, string> = {}) {
  const clean = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: out, ...env };
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: clean, cwd: out });
}

describe("bin/quadlet convert", () => {
  it("writes a stack's units into a directory and lists them, for scripts", () => {
    const file = join(FIXTURES, "stacks", "wordpress", "compose.yaml");
    const dir = join(out, "units");
    const r = quadlet(["convert", "compose", "-f", file, "-o", dir]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const names = Object.keys(readTree(dir));
    expect(r.stdout.trim().split("\n")).toEqual(names.map((n) => join(dir, n)));
    expect(names).toEqual(["wordpress-db.container", "wordpress-wordpress.container", "wordpress_db_data.volume", "wordpress_default.network", "wordpress_wp_data.volume"]);
    expect([...compileUnits(readTree(dir)).keys()]).toContain("wordpress-wordpress.service");
    // run again: the files are there, so nothing is replaced without --force
    const again = quadlet(["convert", "compose", "-f", file, "-o", dir]);
    expect(again.status).toBe(1);
    expect(quadlet(["convert", "compose", "-f", file, "-o", dir, "--force"]).status).toBe(0);
  });

  it("the generator still runs from the same bundle", () => {
    const r = quadlet(["-dryrun"], { QUADLET_UNIT_DIRS: join(out, "units") });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("---wordpress-wordpress.service---");
  });

  it("keeps convert's code out of the bundle's plain text", () => {
    const bundle = readFileSync(join(ROOT, "dist", "quadlet.cjs"), "utf8");
    expect(bundle).not.toContain("node_modules/yaml");
    expect(bundle).not.toContain("src/convert/");
  });
});
