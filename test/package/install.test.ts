/**
 * The packaged generator: the single executable on its own, its install and uninstall, and
 * the three roles it plays (by hand, as the system generator, as the user generator).
 *
 * The executable is built once, into a temporary directory, by `scripts/package.mjs`.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTree, manPageNames, removeDir, ROOT, run, runScript, tempDir, writeTree, type Ran } from "./helpers.js";

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const EXAMPLES = join(ROOT, "fixtures/examples");
const HELLO = "[Unit]\nDescription=hello\n\n[Container]\nImage=quay.io/podman/hello\n";

const EXE = "usr/libexec/quadlet/quadlet";
const SYSTEM_LINK = "usr/lib/systemd/system-generators/quadlet-system-generator";
const USER_LINK = "usr/lib/systemd/user-generators/quadlet-user-generator";

let work: string;
let build: string;

/** An environment with nothing from the test runner: no PATH to node, no XDG variables. */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: "/nonexistent", HOME: join(work, "home"), ...extra };
}

function install(destdir: string, ...flags: string[]): Ran {
  return runScript("install", ["install", "--prefix", "/usr", "--destdir", destdir, "--from", build, ...flags]);
}

function uninstall(destdir: string): Ran {
  return runScript("install", ["uninstall", "--prefix", "/usr", "--destdir", destdir]);
}

beforeAll(() => {
  work = tempDir("package");
  build = join(work, "build");
  const r = runScript("package", ["--outdir", build], { timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}${r.stderr}`);
}, 300_000);
afterAll(() => removeDir(work));

describe("the single executable", () => {
  let alone: string;
  beforeAll(() => {
    // Copied alone into an empty directory: no node_modules, no bundle, no node on PATH.
    alone = join(work, "alone");
    mkdirSync(alone);
    copyFileSync(join(build, "quadlet"), join(alone, "quadlet"));
    run("chmod", ["755", join(alone, "quadlet")]);
  });

  it("prints its version with -version and --version", () => {
    for (const flag of ["-version", "--version"]) {
      const r = run(join(alone, "quadlet"), [flag], { cwd: alone, env: bareEnv() });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(`quadlet ${VERSION}\n`);
      expect(r.status).toBe(0);
    }
  });

  it("prints the flags and search paths with --help", () => {
    const r = run(join(alone, "quadlet"), ["--help"], { cwd: alone, env: bareEnv() });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    for (const text of ["--dryrun", "--user", "--verbose", "--no-kmsg-log", "--version", "/etc/containers/systemd", "QUADLET_UNIT_DIRS"]) {
      expect(r.stdout).toContain(text);
    }
  });

  it("generates the example units exactly as the bundle run by node does", () => {
    const env = bareEnv({ QUADLET_UNIT_DIRS: EXAMPLES });
    const packaged = run(join(alone, "quadlet"), ["-dryrun"], { cwd: alone, env });
    const bundled = run(process.execPath, [join(ROOT, "bin/quadlet"), "-dryrun"], { env });
    expect(packaged.stdout).toMatch(/^---webapp\.service---$/m);
    expect(packaged.stdout).toBe(bundled.stdout);
    expect(packaged.status).toBe(bundled.status);
    // the logs differ only in the process id
    const pidless = (s: string) => s.replace(/\[\d+\]/g, "[PID]");
    expect(pidless(packaged.stderr)).toBe(pidless(bundled.stderr));
  });

  it("rejects an unknown flag with status 2", () => {
    const r = run(join(alone, "quadlet"), ["-no-such-flag"], { cwd: alone, env: bareEnv() });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("-no-such-flag");
  });
});

describe("install and uninstall", () => {
  it("places the executable, the generator links and the man pages", () => {
    const dest = join(work, "dest-layout");
    const r = install(dest);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);

    expect(statSync(join(dest, EXE)).mode & 0o777).toBe(0o755);
    for (const link of [SYSTEM_LINK, USER_LINK]) {
      expect(lstatSync(join(dest, link)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(dest, link))).toBe("../../../libexec/quadlet/quadlet");
      expect(realpathSync(join(dest, link))).toBe(realpathSync(join(dest, EXE)));
    }
    for (const page of manPageNames()) {
      const section = page.slice(page.lastIndexOf(".") + 1);
      const installed = join(dest, `usr/share/man/man${section}/${page}`);
      expect(readFileSync(installed, "utf8")).toMatch(/^\.TH /m);
      expect(statSync(installed).mode & 0o777).toBe(0o644);
    }
    expect(existsSync(join(dest, "usr/share/man/man8/quadlet.8"))).toBe(true);
    expect(readFileSync(join(dest, "usr/libexec/quadlet/install-manifest"), "utf8")).toContain(`link ${SYSTEM_LINK.slice(4)}`);

    const v = run(join(dest, SYSTEM_LINK), ["--version"], { env: bareEnv() });
    expect(v.stdout).toBe(`quadlet ${VERSION}\n`);
    removeDir(dest); // each install holds a 100 MB executable
  });

  it("uninstall leaves nothing behind, and installing twice changes nothing", () => {
    const dest = join(work, "dest-roundtrip");
    expect(install(dest).status).toBe(0);
    const first = listTree(dest);
    expect(install(dest).status).toBe(0);
    expect(listTree(dest)).toEqual(first);
    const r = uninstall(dest);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(listTree(dest)).toEqual([]);
  });

  it("keeps directories that hold files of others", () => {
    const dest = join(work, "dest-shared");
    expect(install(dest).status).toBe(0);
    writeTree(dest, { "usr/share/man/man8/other.8": ".TH OTHER 8\n" });
    expect(uninstall(dest).status).toBe(0);
    expect(listTree(dest)).toEqual(["usr", "usr/share", "usr/share/man", "usr/share/man/man8", "usr/share/man/man8/other.8"]);
  });

  it("refuses to install next to podman's generator unless forced", () => {
    const dest = join(work, "dest-podman");
    const podman = "usr/lib/systemd/system-generators/podman-system-generator";
    writeTree(dest, { [podman]: "#!/bin/sh\n" });

    const refused = install(dest);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(join(dest, podman));
    expect(refused.stderr).toContain("--force");
    expect(listTree(dest)).toEqual(["usr", "usr/lib", "usr/lib/systemd", "usr/lib/systemd/system-generators", podman]);

    const forced = install(dest, "--force");
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain("warning");
    expect(existsSync(join(dest, SYSTEM_LINK))).toBe(true);

    expect(uninstall(dest).status).toBe(0);
    expect(listTree(dest)).toEqual(["usr", "usr/lib", "usr/lib/systemd", "usr/lib/systemd/system-generators", podman]);
  });

  it("also refuses next to podman's user generator", () => {
    const dest = join(work, "dest-podman-user");
    writeTree(dest, { "usr/lib/systemd/user-generators/podman-user-generator": "" });
    const r = install(dest);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("podman-user-generator");
  });

  it("says to run npm run package when there is no executable", () => {
    const empty = join(work, "no-build");
    mkdirSync(empty);
    const r = runScript("install", ["install", "--prefix", "/usr", "--destdir", join(work, "dest-none"), "--from", empty]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("run npm run package first");
    expect(existsSync(join(work, "dest-none"))).toBe(false);
  });

  it("uninstall without an install says so", () => {
    const r = uninstall(join(work, "dest-never"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("install-manifest");
  });
});

describe("the three roles", () => {
  let dest: string;
  let units: string;
  let config: string;
  beforeAll(() => {
    dest = join(work, "dest-roles");
    expect(install(dest).status).toBe(0);
    units = join(work, "units");
    writeTree(units, { "hello.container": HELLO });
    // a user's own unit, in $XDG_CONFIG_HOME/containers/systemd
    config = join(work, "config");
    writeTree(config, { "containers/systemd/mine.container": HELLO });
    mkdirSync(join(work, "runtime"));
  });
  const userEnv = () => bareEnv({ XDG_CONFIG_HOME: config, XDG_RUNTIME_DIR: join(work, "runtime") });

  it("by hand: quadlet -dryrun prints the units, -user switches to the user's", () => {
    const exe = join(dest, EXE);
    const system = run(exe, ["-dryrun"], { env: bareEnv({ QUADLET_UNIT_DIRS: units }) });
    expect(system.status).toBe(0);
    expect(system.stdout).toMatch(/^---hello\.service---$/m);
    expect(system.stdout).toContain("ExecStart=/usr/bin/podman run");
    expect(system.stdout).not.toContain("---mine.service---");

    const user = run(exe, ["-dryrun", "-user"], { env: userEnv() });
    expect(user.status).toBe(0);
    expect(user.stdout).toMatch(/^---mine\.service---$/m);
  });

  it("as the system generator: writes into the first of the three directories", () => {
    const [normal, early, late] = ["normal", "early", "late"].map((d) => join(work, "gen-system", d));
    const r = run(join(dest, SYSTEM_LINK), [normal!, early!, late!], { env: bareEnv({ QUADLET_UNIT_DIRS: units }) });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const written = readFileSync(join(normal!, "hello.service"), "utf8");
    expect(written).toContain("ExecStart=/usr/bin/podman run");
    expect(written).toContain("Description=hello");
    expect(existsSync(early!)).toBe(false);
    expect(existsSync(late!)).toBe(false);
  });

  it("as the system generator: does not read a user's units", () => {
    const r = run(join(dest, SYSTEM_LINK), ["-dryrun"], { env: userEnv() });
    expect(r.stdout).not.toContain("---mine.service---");
  });

  it("as the user generator: reads the user's units and makes user services", () => {
    const r = run(join(dest, USER_LINK), ["-dryrun"], { env: userEnv() });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^---mine\.service---$/m);
    expect(r.stderr).toContain(join(config, "containers/systemd"));

    // The same unit compiled for a user manager differs from the system one.
    const [out] = ["user-out"].map((d) => join(work, "gen-user", d));
    const written = run(join(dest, USER_LINK), [out!, `${out}-early`, `${out}-late`], { env: bareEnv({ QUADLET_UNIT_DIRS: units, XDG_RUNTIME_DIR: join(work, "runtime") }) });
    expect(written.status).toBe(0);
    const asUser = readFileSync(join(out!, "hello.service"), "utf8");
    const asRoot = run(join(dest, EXE), ["-dryrun"], { env: bareEnv({ QUADLET_UNIT_DIRS: units }) }).stdout;
    expect(asUser).toContain("podman-user-wait-network-online.service");
    expect(asRoot).not.toContain("podman-user-wait-network-online.service");
  });

  it("as the user generator through a link of any directory, not only the installed one", () => {
    const link = join(work, "bin", "quadlet-user-generator");
    mkdirSync(join(work, "bin"), { recursive: true });
    symlinkSync(join(dest, EXE), link);
    const r = run(link, ["-dryrun"], { env: userEnv() });
    expect(r.stdout).toMatch(/^---mine\.service---$/m);
  });
});
