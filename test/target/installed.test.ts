// Finding the installed podman's version from dpkg's records, under a temp root; and the
// generator's flag and environment variable that set the target instead.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseArgs, runGenerator, targetPodman, UsageError } from "../../src/cli.js";
import { hostFs } from "../../src/fsys.js";
import { CollectingLogger } from "../../src/log.js";
import { installedPodmanVersion } from "../../src/target/installed.js";

const STATUS_OTHERS = "Package: podman-docker\nStatus: install ok installed\nVersion: 9.9.9\n\nPackage: libpodman\nStatus: install ok installed\nVersion: 8.8.8\n\n";
let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A root with dpkg's records of a podman package, as Debian keeps them. */
function dpkgRoot(opts: { version?: string; status?: string; files?: string } = {}): string {
  root = mkdtempSync(join(tmpdir(), "quadlet-dpkg-"));
  mkdirSync(join(root, "var/lib/dpkg/info"), { recursive: true });
  writeFileSync(join(root, "var/lib/dpkg/info/podman.list"), opts.files ?? "/.\n/usr\n/usr/bin\n/usr/bin/podman\n/usr/bin/podman-remote\n");
  const stanza = `Package: podman\nStatus: ${opts.status ?? "install ok installed"}\nPriority: optional\nVersion: ${opts.version ?? "4.3.1+ds1-8+deb12u1"}\nDepends: conmon\n\n`;
  writeFileSync(join(root, "var/lib/dpkg/status"), STATUS_OTHERS + stanza + "Package: zsh\nVersion: 5.9\n");
  return root;
}

const find = (r: string, podman = "/usr/bin/podman") => installedPodmanVersion(hostFs, podman, { root: r, packageName: "podman" })?.text;

describe("installedPodmanVersion", () => {
  it("reads Debian 12's podman", () => {
    expect(find(dpkgRoot())).toBe("4.3.1");
  });
  it("reads Ubuntu's versions, with an epoch too", () => {
    expect(find(dpkgRoot({ version: "3.4.4+ds1-1ubuntu1.22.04.2" }))).toBe("3.4.4");
    expect(find(dpkgRoot({ version: "1:5.4.2+ds1-2" }))).toBe("5.4.2");
  });
  it("says nothing for a package removed but not purged", () => {
    expect(find(dpkgRoot({ status: "deinstall ok config-files" }))).toBeUndefined();
  });
  it("says nothing for a podman the package does not own", () => {
    expect(find(dpkgRoot(), "/usr/local/bin/podman")).toBeUndefined();
  });
  it("follows a symlink to the package's podman", () => {
    const r = dpkgRoot();
    mkdirSync(join(r, "usr/bin"), { recursive: true });
    writeFileSync(join(r, "usr/bin/podman"), "");
    mkdirSync(join(r, "bin"));
    symlinkSync("../usr/bin/podman", join(r, "bin/podman"));
    expect(find(r, "/bin/podman")).toBe("4.3.1");
  });
  it("says nothing where there is no dpkg", () => {
    root = mkdtempSync(join(tmpdir(), "quadlet-dpkg-"));
    expect(find(root)).toBeUndefined();
  });
});

describe("-podman-version and QUADLET_PODMAN_VERSION", () => {
  it("parses the flag in both styles", () => {
    expect(parseArgs(["-podman-version", "4.3.1", "-dryrun"]).podmanVersion?.text).toBe("4.3.1");
    expect(parseArgs(["--podman-version=4.9"]).podmanVersion?.text).toBe("4.9");
  });
  it("refuses a missing or bad version", () => {
    expect(() => parseArgs(["-podman-version"])).toThrow(UsageError);
    expect(() => parseArgs(["-podman-version", "four"])).toThrow(/use a podman version, such as 4.3/);
    expect(() => parseArgs(["-podman-version=4.3.1x"])).toThrow(UsageError);
  });

  const run = (env: Record<string, string>, args: string[] = []) => {
    const failures: string[] = [];
    const t = targetPodman(parseArgs(args), { fs: hostFs, env: { PODMAN: "/nonexistent/podman", ...env } }, "/nonexistent/podman", (m) => failures.push(m));
    return { target: t && `${t.version.text} ${t.source}`, failures };
  };
  it("takes the flag over the environment, and the environment over the installed podman", () => {
    expect(run({ QUADLET_PODMAN_VERSION: "4.9.3" }, ["-podman-version", "4.3.1"])).toEqual({ target: "4.3.1 given", failures: [] });
    expect(run({ QUADLET_PODMAN_VERSION: "4.9.3" })).toEqual({ target: "4.9.3 given", failures: [] });
    expect(run({})).toEqual({ target: undefined, failures: [] });
  });
  it("reports a bad QUADLET_PODMAN_VERSION, and targets the newest podman", () => {
    expect(run({ QUADLET_PODMAN_VERSION: "latest" })).toEqual({ target: undefined, failures: [expect.stringContaining('QUADLET_PODMAN_VERSION="latest" is not a podman version')] });
  });

  it("reports a podman older than any release it knows, and writes units for the oldest", () => {
    expect(run({ QUADLET_PODMAN_VERSION: "3.0.1" })).toEqual({ target: "3.4 given", failures: ["podman 3.0.1 is older than 3.4, the oldest release quadlet writes units for; writing units for podman 3.4"] });
  });

  it("writes units for the version asked, end to end", () => {
    root = mkdtempSync(join(tmpdir(), "quadlet-cli-"));
    writeFileSync(join(root, "data.volume"), "[Volume]\n");
    const out: string[] = [];
    const log = new CollectingLogger();
    const status = runGenerator(parseArgs(["-dryrun", "-podman-version", "4.3"]), { fs: hostFs, env: { QUADLET_UNIT_DIRS: root }, uid: 0, log, stdout: (t) => out.push(t) });
    expect(status).toBe(0);
    expect(out.join("")).toContain("ExecStart=/bin/sh -c ");
    expect(log.debugs).toContain("Writing units for podman 4.3 (as asked)");
  });
});
