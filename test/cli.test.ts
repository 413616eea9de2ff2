import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseArgs, runGenerator, UsageError, userModeFromName } from "../src/cli.js";
import { hostFs } from "../src/fsys.js";
import { CollectingLogger } from "../src/log.js";

describe("parseArgs", () => {
  it("accepts Go-style and GNU-style flags", () => {
    expect(parseArgs(["-dryrun", "-user", "-v", "-no-kmsg-log"])).toMatchObject({ dryRun: true, user: true, verbose: true, noKmsgLog: true });
    expect(parseArgs(["--dryrun", "--user", "--no-kmsg-log", "--version"])).toMatchObject({ dryRun: true, user: true, noKmsgLog: true, version: true });
  });

  it("takes Go's -flag=false form", () => {
    expect(parseArgs(["-user=false", "-dryrun=true"])).toMatchObject({ user: false, dryRun: true });
  });

  it("keeps the three generator directories", () => {
    expect(parseArgs(["/run/a", "/run/b", "/run/c"]).dirs).toEqual(["/run/a", "/run/b", "/run/c"]);
  });

  it("refuses an unknown flag", () => {
    expect(() => parseArgs(["-bogus"])).toThrow(UsageError);
  });
});

describe("userModeFromName", () => {
  it("switches user mode on for a user generator's name only", () => {
    expect(userModeFromName("/usr/lib/systemd/user-generators/quadlet-user-generator")).toBe(true);
    expect(userModeFromName("/usr/lib/systemd/system-generators/quadlet-system-generator")).toBe(false);
    expect(userModeFromName("/home/user/bin/quadlet")).toBe(false);
  });
});

/** The directories made by {@link setup}, removed after each test. */
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function setup(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), "quadlet-cli-"));
  roots.push(root);
  const units = join(root, "units");
  mkdirSync(units);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(units, name), text);
  const log = new CollectingLogger();
  const out: string[] = [];
  const run = (args: string[]) =>
    runGenerator(parseArgs(args), { fs: hostFs, env: { QUADLET_UNIT_DIRS: units }, uid: 0, log, stdout: (t) => out.push(t) });
  return { root, units, log, out, run };
}

describe("runGenerator", () => {
  it("prints every unit in a dry run, and writes nothing", () => {
    const { out, run, log } = setup({ "web.container": "[Container]\nImage=quay.io/a/web\n", "data.volume": "[Volume]\n" });
    expect(run(["-dryrun"])).toBe(0);
    const text = out.join("");
    expect(text).toContain("---web.service---\n[X-Container]\n");
    expect(text).toContain("---data-volume.service---\n");
    expect(log.debugs.some((d) => d.startsWith("Loading source unit file "))).toBe(true);
  });

  it("says where it looked when there is nothing to do", () => {
    const { run, log, units } = setup({});
    expect(run(["-dryrun"])).toBe(0);
    expect(log.debugs).toContain(`No files parsed from [${units}]`);
  });

  it("needs an output directory unless it is a dry run", () => {
    const { run, log } = setup({ "web.container": "[Container]\nImage=quay.io/a/web\n" });
    expect(run([])).toBe(1);
    expect(log.errors).toEqual(["missing output directory argument"]);
  });

  it("writes services and install links into the first directory", () => {
    const { root, run } = setup({ "web.container": "[Container]\nImage=quay.io/a/web\n[Install]\nWantedBy=multi-user.target\n" });
    const out = join(root, "normal");
    expect(run([out, join(root, "early"), join(root, "late")])).toBe(0);
    expect(readFileSync(join(out, "web.service"), "utf8")).toContain("ExecStart=/usr/bin/podman run");
    expect(readlinkSync(join(out, "multi-user.target.wants/web.service"))).toBe("../web.service");
  });

  it("writes the good units, reports the bad one with file, line and key, and exits 1", () => {
    const { root, run, log, units } = setup({
      "good.container": "[Container]\nImage=quay.io/a/web\n",
      "bad.container": "[Container]\nImage=quay.io/a/web\nNoSuchKey=1\n",
    });
    const out = join(root, "out");
    expect(run([out])).toBe(1);
    expect(readFileSync(join(out, "good.service"), "utf8")).toContain("[X-Container]");
    expect(log.errors.join("\n")).toContain(`unsupported key 'NoSuchKey' in group 'Container' in ${units}/bad.container:3`);
  });
});
