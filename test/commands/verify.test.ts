/**
 * `quadlet verify`: the same problems as the generator, with the same codes; drop-ins and
 * search order as installed; the exit status; the JSON document's schema.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/index.js";
import { parseArgs, runGenerator } from "../../src/cli.js";
import { hostFs } from "../../src/fsys.js";
import { CollectingLogger } from "../../src/log.js";
import { discoverUnits } from "../../src/parser/discover.js";
import { FIXTURES, runCommand, tempTree } from "./support.js";
import { checkSchema, VERIFY_SCHEMA } from "./schema.js";

const MISTAKES = join(FIXTURES, "mistakes");

/** `file:line` of every unit the generator refuses, from its own log. */
function generatorFailures(dir: string): Set<string> {
  const log = new CollectingLogger();
  runGenerator(parseArgs(["-dryrun"]), { fs: hostFs, env: { QUADLET_UNIT_DIRS: dir }, uid: 1000, log, stdout: () => {} });
  const out = new Set<string>();
  for (const e of log.errors) {
    const m = /(?:\((\/[^()]*):(\d+)\)|(\/\S+?):(\d+)\b)/.exec(e);
    if (m) out.add(`${m[1] ?? m[3]}:${m[2] ?? m[4]}`);
  }
  return out;
}

describe("quadlet verify", () => {
  it("reports every error the generator reports, with the analysis' codes, and a summary", async () => {
    const r = await runCommand("verify", ["--format", "json", MISTAKES]);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    const errors = doc.diagnostics.filter((d: { severity: string }) => d.severity === "error");
    const verified = new Set(errors.map((d: { file: string; line: number }) => `${d.file}:${d.line}`));
    // The generator refuses the volume whose owner this host does not know; verify only warns.
    const expected = [...generatorFailures(MISTAKES)].filter((w) => !w.includes("cache.volume"));
    expect(expected.length).toBeGreaterThanOrEqual(4);
    for (const where of expected) expect(verified).toContain(where);
    // Same codes as the analysis gives the generator's own results.
    const found = discoverUnits({ userMode: false, env: { QUADLET_UNIT_DIRS: MISTAKES }, uid: 1000 }, hostFs, new CollectingLogger());
    const analysis = analyze(found.units, { userMode: false, podman: "/usr/bin/podman" });
    for (const u of analysis.units) {
      for (const d of u.diagnostics.filter((x) => x.severity === "error" && !u.name.endsWith(".volume"))) {
        expect(doc.diagnostics).toContainEqual(expect.objectContaining({ code: d.code, file: d.file, line: d.line ?? null }));
      }
    }
  });

  it("prints compiler-style lines, hints and the summary, relative to the working directory", async () => {
    const r = await runCommand("verify", ["mistakes"], { cwd: FIXTURES });
    expect(r.stdout).toContain("mistakes/broken.network:3: error[QL0701]: ");
    expect(r.stdout).toMatch(/^mistakes\/reports-db\.container:4: error\[QL0713\]: reports-db\.container gives podman the container shop-db, as orders-db\.container does\n  hint: /m);
    expect(r.stdout).toMatch(/^mistakes\/cache\.volume:2: warning\[QL0721\]: this host has no user 'redis-cache-owner'/m);
    expect(r.stdout).toMatch(/^mistakes\/admin-old\.container:4: warning\[QL0502\]: /m);
    expect(r.stdout).toContain("mistakes/db@.container:3: note[QL0712]: Pod=db@%i.pod cannot be resolved");
    expect(r.stdout).toMatch(/\n9 units, 5 errors, 2 warnings, 1 note\n$/);
  });

  it("exits 0 for clean units, 1 for warnings only with --strict, 2 for bad usage", async () => {
    expect((await runCommand("verify", [join(FIXTURES, "site")])).status).toBe(0);
    const cache = join(MISTAKES, "cache.volume");
    expect((await runCommand("verify", [cache])).status).toBe(0);
    expect((await runCommand("verify", ["--strict", cache])).status).toBe(1);
    expect((await runCommand("verify", ["--format", "yaml"])).status).toBe(2);
    expect((await runCommand("verify", ["-bogus"])).status).toBe(2);
    const missing = await runCommand("verify", ["no-such-file.container"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no-such-file.container: no such file or directory");
  });

  it("reads the mode's search paths without PATH, QUADLET_UNIT_DIRS honoured", async () => {
    const r = await runCommand("verify", [], { env: { QUADLET_UNIT_DIRS: join(FIXTURES, "site") } });
    expect(r.stdout).toBe("3 units, 0 errors, 0 warnings\n");
  });

  it("reports only the file named, but resolves its references among the units beside it", async () => {
    const r = await runCommand("verify", [join(FIXTURES, "site", "web.container")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("1 unit, 0 errors, 0 warnings\n");
    const broken = await runCommand("verify", [join(MISTAKES, "api.container")]);
    expect(broken.stdout).toContain("api.container:3: error[");
    expect(broken.stdout).not.toContain("typo.container");
    expect(broken.stdout).toMatch(/1 unit, 1 error, 0 warnings\n$/);
  });

  it("merges the drop-ins of a file given by path as they would be once installed", async () => {
    const t = tempTree({
      "a/container.d/50-bad.conf": "[Container]\nNoSuchKey=1\n",
      "b/web.container": "[Container]\nImage=quay.io/a/b\n",
      "b/web.container.d/10-ok.conf": "[Container]\nMemory=1g\n",
    });
    try {
      // b is one of the mode's directories: a's shared drop-in applies to b's unit too.
      const installed = await runCommand("verify", ["--format", "json", join(t.root, "b/web.container")], { env: { QUADLET_UNIT_DIRS: `${t.root}/a:${t.root}/b` } });
      const doc = JSON.parse(installed.stdout);
      expect(doc.units[0].dropins).toEqual([`${t.root}/b/web.container.d/10-ok.conf`, `${t.root}/a/container.d/50-bad.conf`]);
      expect(doc.diagnostics).toContainEqual(expect.objectContaining({ severity: "error", file: `${t.root}/a/container.d/50-bad.conf`, line: 2 }));
      // Outside the mode's directories, only its own directory's drop-ins apply.
      const alone = await runCommand("verify", ["--format", "json", join(t.root, "b/web.container")]);
      expect(JSON.parse(alone.stdout).units[0].dropins).toEqual([`${t.root}/b/web.container.d/10-ok.conf`]);
      expect(alone.status).toBe(0);
    } finally {
      t.remove();
    }
  });

  it("says why a file named on the command line was not read", async () => {
    const t = tempTree({ "a/web.container": "[Container]\nImage=quay.io/a/b\n", "b/web.container": "[Container]\nImage=quay.io/a/c\n", "notes.txt": "hello\n" });
    try {
      const env = { QUADLET_UNIT_DIRS: `${t.root}/a:${t.root}/b` };
      const shadowed = await runCommand("verify", [join(t.root, "b/web.container")], { env });
      expect(shadowed.stdout).toContain(`warning[QL0703]: not read: ${t.root}/a/web.container has the same name and comes first in the search order`);
      const notUnit = await runCommand("verify", [join(t.root, "notes.txt")]);
      expect(notUnit.status).toBe(1);
      expect(notUnit.stdout).toContain("error[QL0702]: not a quadlet unit file");
    } finally {
      t.remove();
    }
  });

  it("prints a JSON document that matches the documented schema", async () => {
    for (const dir of ["mistakes", "site"]) {
      const r = await runCommand("verify", ["--format=json", join(FIXTURES, dir)]);
      const doc = JSON.parse(r.stdout);
      expect(checkSchema(doc, VERIFY_SCHEMA)).toEqual([]);
      expect(doc.summary.units).toBe(doc.units.length);
    }
  });
});

describe("quadlet verify on the analysis' own mistakes", () => {
  const DIR = join(__dirname, "../../fixtures/mistakes");
  /** `CODE FILE LINE`, as fixtures/mistakes/expected.txt lists them. */
  const expected = readFileSync(join(DIR, "expected.txt"), "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim().split(/\s+/).join(" "))
    .filter((l) => l.length > 0)
    .sort();

  it("reports exactly the codes, files and lines the compiler does, and nothing more", async () => {
    const r = await runCommand("verify", ["--format", "json", DIR]);
    const doc = JSON.parse(r.stdout);
    const found = doc.diagnostics.map((d: { code: string; file: string; line: number | null }) => `${d.code} ${d.file.slice(DIR.length + 1)} ${d.line ?? "-"}`).sort();
    expect(found).toEqual(expected);
    expect(r.status).toBe(1);
  });
});

describe("quadlet verify FILE", () => {
  // A file named is compiled alone (with any unit making the same service), its neighbours
  // only read: it must be reported exactly as when its whole directory is checked.
  it.each(["mistakes", "site"])("reports each file of %s/ as verifying the directory does", async (dir) => {
    const whole = JSON.parse((await runCommand("verify", ["--format", "json", dir])).stdout);
    expect(whole.units.length).toBeGreaterThan(2);
    for (const unit of whole.units) {
      const alone = JSON.parse((await runCommand("verify", ["--format", "json", unit.path])).stdout);
      expect(alone.units).toEqual([unit]);
    }
  });
});
