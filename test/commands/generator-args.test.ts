/**
 * The generator's own misuse: no directory without -dryrun, a relative directory, or a
 * file where a directory belongs, is a usage error rather than a place to write.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkGeneratorDirs, parseArgs, UsageError } from "../../src/cli.js";
import { hostFs } from "../../src/fsys.js";

const check = (...args: string[]) => () => checkGeneratorDirs(parseArgs(args), hostFs);

describe("checkGeneratorDirs", () => {
  it("accepts systemd's three absolute directories, made or not, and a dry run without any", () => {
    expect(check("/tmp", "/tmp/quadlet-not-made-yet", "/tmp")).not.toThrow();
    expect(check("-dryrun")).not.toThrow();
  });

  it("refuses no directory without -dryrun, with the usage", () => {
    expect(check()).toThrow(UsageError);
    expect(check()).toThrow(/missing output directory\nusage: quadlet /);
  });

  it("refuses a relative directory and a file, pointing to quadlet verify", () => {
    expect(check("-dryrun", "web.container")).toThrow(/web\.container: not an absolute directory path; to check unit files, run quadlet verify PATH/);
    expect(check("verify")).toThrow(UsageError);
    expect(check(__filename)).toThrow(/not a directory/);
  });
});

describe("the built program", () => {
  const bin = join(__dirname, "../../bin/quadlet");
  const quadlet = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", QUADLET_UNIT_DIRS: "/nonexistent/quadlet-test", ...env } });

  it("prints its usage on stderr and exits 2 without a directory", () => {
    const r = quadlet([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^quadlet: missing output directory\nusage: quadlet /);
  });

  it("runs verify, explain and graph as subcommands, not as directories to write to", () => {
    const site = join(__dirname, "../../fixtures/verify/site");
    const v = quadlet(["verify", site]);
    expect(v.stdout).toBe("3 units, 0 errors, 0 warnings\n");
    expect(v.status).toBe(0);
    expect(quadlet(["explain", join(site, "web.container")]).stdout).toContain("web.container makes web.service\n");
    expect(quadlet(["graph", "--format", "dot", site]).stdout).toMatch(/^digraph quadlet/);
  });
});
