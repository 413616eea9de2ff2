/**
 * `quadlet explain`: every line and podman word of a unit built from a main file and two
 * drop-ins traced to the right file and line; what was merged, shadowed and skipped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, runCommand, tempTree } from "./support.js";
import { checkSchema, EXPLAIN_SCHEMA } from "./schema.js";

const SITE = join(FIXTURES, "site");
const MAIN = join(SITE, "web.container");
const LIMITS = join(SITE, "web.container.d/10-limits.conf");
const ENV = join(SITE, "container.d/20-env.conf");

type From = { kind: "line"; file: string; line: number } | { kind: "default"; name: string };

async function explained(args: string[], env?: Record<string, string>) {
  const r = await runCommand("explain", ["--format", "json", ...args], env ? { env } : {});
  return { ...r, doc: JSON.parse(r.stdout) };
}

/** The text of `file` at 1-based `line`. */
function lineOf(file: string, line: number): string {
  return readFileSync(file, "utf8").split("\n")[line - 1]!;
}

describe("quadlet explain", () => {
  it("lists the files merged, in order, and the one skipped", async () => {
    const { doc, status } = await explained([MAIN]);
    expect(status).toBe(0);
    expect(doc.merged).toEqual([MAIN, LIMITS, ENV]);
    expect(doc.unit.dropins).toEqual([LIMITS, ENV]);
    expect(doc.skipped).toEqual([{ path: join(SITE, "container.d/README"), reason: expect.stringContaining("only files ending in .conf") }]);
    expect(checkSchema(doc, EXPLAIN_SCHEMA)).toEqual([]);
  });

  it("traces every podman word to the file and line that set it, or to quadlet's default", async () => {
    const { doc } = await explained([MAIN]);
    const start = doc.commands.find((c: { key: string }) => c.key === "ExecStart");
    const at = (from: From) => (from.kind === "line" ? `${from.file.slice(SITE.length + 1)}:${from.line}` : "default");
    const traced = start.words.map((w: { word: string; from: From }) => `${w.word} ${at(w.from)}`);
    expect(traced).toEqual([
      "/usr/bin/podman default",
      "run default",
      "--name web.container:7",
      "shop-web web.container:7",
      "--replace default",
      "--rm default",
      "--cgroups=split default",
      "--pids-limit web.container.d/10-limits.conf:3",
      "200 web.container.d/10-limits.conf:3",
      "--memory web.container.d/10-limits.conf:2",
      "512m web.container.d/10-limits.conf:2",
      "--network web.container:8",
      "systemd-shop web.container:8",
      "--sdnotify=conmon default",
      "-d default",
      "-v web.container:9",
      "systemd-uploads:/srv/uploads:Z web.container:9",
      "--publish web.container:10",
      "8080:8080 web.container:10",
      "--env container.d/20-env.conf:3",
      "TZ=UTC container.d/20-env.conf:3",
      "quay.io/example/shop-web:1.4 web.container:6",
    ]);
  });

  it("traces every line to the line that holds it, or that made quadlet add it", async () => {
    const { doc } = await explained([MAIN]);
    const fromFiles = doc.lines.filter((l: { from: From }) => l.from.kind === "line");
    const copied = fromFiles.filter((l: { key: string; value: string; from: { file: string; line: number } }) => lineOf(l.from.file, l.from.line) === `${l.key}=${l.value}`);
    // Each of the unit's own key lines, from all three files, is in the service as it was written.
    expect(copied).toHaveLength(11);
    expect(new Set(copied.map((l: { from: { file: string } }) => l.from.file))).toEqual(new Set([MAIN, LIMITS, ENV]));
    // The dependencies quadlet adds point at the reference that asked for them.
    const at = (key: string, value: string) => doc.lines.find((l: { key: string; value: string }) => l.key === key && l.value === value)?.from;
    expect(at("Requires", "shop-network.service")).toMatchObject({ kind: "line", file: MAIN, line: 8 });
    expect(at("After", "uploads-volume.service")).toMatchObject({ kind: "line", file: MAIN, line: 9 });
    expect(at("SourcePath", MAIN)).toMatchObject({ kind: "default" });
    expect(at("KillMode", "mixed")).toMatchObject({ kind: "default" });
  });

  it("prints each line with its origin, relative to the working directory", async () => {
    const r = await runCommand("explain", ["site/web.container"]);
    expect(r.stdout).toContain("web.container makes web.service\n");
    expect(r.stdout).toContain("  1. site/web.container\n  2. site/web.container.d/10-limits.conf\n  3. site/container.d/20-env.conf\n");
    expect(r.stdout).toMatch(/^Memory=512m +# site\/web\.container\.d\/10-limits\.conf:2$/m);
    expect(r.stdout).toMatch(/^ {4}TZ=UTC +# site\/container\.d\/20-env\.conf:3$/m);
    expect(r.stdout).toMatch(/^ {4}--cgroups=split +# default for containers$/m);
  });

  it("finds a unit by its file or service name in the search paths, and reports one shadowed", async () => {
    const t = tempTree({ "a/web.container": "[Container]\nImage=quay.io/a/b\n", "b/web.container": "[Container]\nImage=quay.io/a/c\n" });
    try {
      const env = { QUADLET_UNIT_DIRS: `${t.root}/a:${t.root}/b` };
      for (const name of ["web.container", "web.service"]) {
        const { doc } = await explained([name], env);
        expect(doc.merged).toEqual([`${t.root}/a/web.container`]);
        expect(doc.shadowed).toEqual([{ path: `${t.root}/b/web.container`, reason: expect.stringContaining(`hidden by ${t.root}/a/web.container`) }]);
      }
      const none = await runCommand("explain", ["nothing.container"], { env });
      expect(none.status).toBe(1);
      expect(none.stderr).toContain("no unit nothing.container in the search paths");
    } finally {
      t.remove();
    }
  });

  it("traces podman rm's own -v to the default, and Volume='s -v to its line", async () => {
    const t = tempTree({ "vol.container": "[Container]\nImage=docker.io/library/nginx\nVolume=/srv/a:/a\nReadOnly=true\n" });
    try {
      const r = await runCommand("explain", ["--format", "json", `${t.root}/vol.container`], { env: { QUADLET_PODMAN_VERSION: "6.0" } });
      const doc = JSON.parse(r.stdout);
      const wordsOf = (key: string) =>
        doc.commands.find((c: { key: string }) => c.key === key).words.map((w: { word: string; from: From }) => `${w.word} ${w.from.kind === "line" ? w.from.line : "default"}`);
      for (const stop of ["ExecStop", "ExecStopPost"]) expect(wordsOf(stop).slice(1, 5)).toEqual(["rm default", "-v default", "-f default", "-i default"]);
      const start = wordsOf("ExecStart");
      expect(start).toContain("-v 3");
      expect(start).toContain("/srv/a:/a 3");
      expect(start).toContain("--read-only 4");
    } finally {
      t.remove();
    }
  });

  it("shows a unit that fails with its errors, and exits 1", async () => {
    const r = await runCommand("explain", ["mistakes/typo.container"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("typo.container makes typo.service (it fails to compile)");
    expect(r.stdout).toMatch(/mistakes\/typo\.container:2: error\[\w+\]: unsupported key 'Imgae'/);
    expect((await runCommand("explain", [])).status).toBe(2);
  });
});
