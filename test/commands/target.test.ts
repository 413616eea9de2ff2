/**
 * `verify` and `explain` check units for the podman release the generator would write them
 * for: `-podman-version`, else QUADLET_PODMAN_VERSION, else the installed podman's.
 */
import { Volume, createFsFromVolume } from "memfs";
import type * as nodeFs from "node:fs";
import { describe, expect, it } from "vitest";
import type { CommandContext } from "../../src/commands/context.js";
import { run as verify } from "../../src/commands/verify.js";
import { fileSystemOf } from "../../src/fsys.js";
import { runCommand, tempTree } from "./support.js";

/** Line 5 is a key podman 4.3.1 lacks (5.3 has it); line 3 one it writes another way before 4.3. */
const WEB = "[Container]\nImage=docker.io/library/nginx\nDNSOption=ndots:2\nHealthCmd=curl -f http://localhost/\nHealthLogDestination=/var/log/web\n";
const DNS = "[Container]\nImage=docker.io/library/nginx\nDNSOption=ndots:2\n";

async function inTree<T>(files: Record<string, string>, body: (root: string) => Promise<T>): Promise<T> {
  const t = tempTree(files);
  try {
    return await body(t.root);
  } finally {
    t.remove();
  }
}

describe("verify -podman-version", () => {
  it("reports a key the release lacks, with its file and line, and exits 1", async () => {
    await inTree({ "web.container": WEB }, async (root) => {
      const r = await runCommand("verify", ["-podman-version", "4.3.1", root], { cwd: root });
      expect(r.stdout).toContain("web.container:5: error[QL0901]: HealthLogDestination= needs podman 5.3 or later; the target is podman 4.3.1\n");
      expect(r.stdout).toContain("1 unit, 1 error");
      expect(r.status).toBe(1);
      const json = JSON.parse((await runCommand("verify", ["--podman-version=4.3.1", "--format", "json", root], { cwd: root })).stdout);
      expect(json.diagnostics).toEqual([expect.objectContaining({ code: "QL0901", file: `${root}/web.container`, line: 5, key: "HealthLogDestination" })]);
    });
  });

  it("takes the flag over QUADLET_PODMAN_VERSION, and the variable when no flag is given", async () => {
    await inTree({ "web.container": WEB }, async (root) => {
      const byEnv = await runCommand("verify", [root], { cwd: root, env: { QUADLET_PODMAN_VERSION: "4.3.1" } });
      expect(byEnv.stdout).toContain("error[QL0901]");
      expect(byEnv.status).toBe(1);
      const byFlag = await runCommand("verify", ["-podman-version", "5.4.2", root], { cwd: root, env: { QUADLET_PODMAN_VERSION: "4.3.1" } });
      expect(byFlag.stdout).toBe("1 unit, 0 errors, 0 warnings\n");
      expect(byFlag.status).toBe(0);
    });
  });

  it("checks for the installed podman by default, as the generator on that host would", async () => {
    const vol = Volume.fromJSON({
      "/var/lib/dpkg/info/podman.list": "/.\n/usr\n/usr/bin\n/usr/bin/podman\n",
      "/var/lib/dpkg/status": "Package: podman\nStatus: install ok installed\nVersion: 4.3.1+ds1-8+deb12u1\n\n",
      "/units/web.container": WEB,
      "/etc/passwd": "root:x:0:0::/root:/bin/sh\n",
    });
    let stdout = "";
    const ctx: CommandContext = {
      // memfs implements the parts of node's fs that quadlet uses.
      fs: fileSystemOf(createFsFromVolume(vol) as unknown as typeof nodeFs),
      env: { QUADLET_UNIT_DIRS: "/units" },
      uid: 0,
      cwd: "/",
      stdout: (t) => (stdout += t),
      stderr: () => {},
    };
    expect(await verify([], ctx)).toBe(1);
    expect(stdout).toContain("units/web.container:5: error[QL0901]: HealthLogDestination= needs podman 5.3 or later; this host has 4.3.1\n");
  });

  it("refuses a version it cannot target, as bad usage", async () => {
    await inTree({ "web.container": WEB }, async (root) => {
      const bad = await runCommand("verify", ["-podman-version", "four", root]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('invalid value "four" for flag -podman-version');
      const old = await runCommand("verify", ["-podman-version", "3.0", root]);
      expect(old.status).toBe(2);
      expect(old.stderr).toContain("podman 3.0 is older than 3.4");
      const env = await runCommand("verify", [root], { env: { QUADLET_PODMAN_VERSION: "latest" } });
      expect(env.status).toBe(2);
      expect(env.stderr).toContain('QUADLET_PODMAN_VERSION="latest" is not a podman version');
      expect((await runCommand("verify", ["-podman-version"])).status).toBe(2);
    });
  });
});

describe("explain -podman-version", () => {
  const wordsOf = async (root: string, args: string[]): Promise<string[]> => {
    const r = await runCommand("explain", [...args, `${root}/dns.container`], { cwd: root, env: { QUADLET_PODMAN_VERSION: "6.0" } });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    const start = doc.commands.find((c: { key: string }) => c.key === "ExecStart");
    return start.words.map((w: { word: string; from: { kind: string; line?: number } }) => `${w.word} ${w.from.kind === "line" ? w.from.line : "default"}`);
  };

  it("shows the command as written for that release, traced to the unit's lines", async () => {
    await inTree({ "dns.container": DNS }, async (root) => {
      const old = await wordsOf(root, ["-podman-version", "4.2", "--format", "json"]);
      expect(old).toContain("--dns-opt 3");
      expect(old).toContain("ndots:2 3");
      // run's own -d stands before the image: the Image= line did not put it there.
      expect(old.slice(-2)).toEqual(["-d default", "docker.io/library/nginx 2"]);
      expect(old.some((w) => w.startsWith("--dns-option"))).toBe(false);
      const newest = await wordsOf(root, ["--format", "json"]);
      expect(newest).toContain("--dns-option 3");
    });
  });

  it("reports the key the release lacks", async () => {
    await inTree({ "web.container": WEB }, async (root) => {
      const r = await runCommand("explain", ["-podman-version", "4.3.1", `${root}/web.container`], { cwd: root });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("web.container:5: error[QL0901]");
    });
  });
});
