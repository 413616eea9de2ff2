/**
 * The managing subcommands over an in-memory file system (memfs through fileSystemOf), and
 * what a write that fails halfway leaves behind: nothing of its group.
 */
import { Volume, createFsFromVolume } from "memfs";
import type * as nodeFs from "node:fs";
import { describe, expect, it } from "vitest";
import type { CommandContext, Subcommand } from "../../src/commands/context.js";
import { run as install } from "../../src/commands/install.js";
import { run as list } from "../../src/commands/list.js";
import { run as rm } from "../../src/commands/rm.js";
import { fileSystemOf, type FileSystem } from "../../src/fsys.js";
import { writeAll } from "../../src/manage/write.js";

function memory(files: Record<string, string>): { fs: FileSystem; vol: InstanceType<typeof Volume> } {
  const vol = Volume.fromJSON(files);
  // memfs implements the parts of node's fs that quadlet uses.
  return { fs: fileSystemOf(createFsFromVolume(vol) as unknown as typeof nodeFs), vol };
}

async function call(command: Subcommand, fs: FileSystem, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const ctx: CommandContext = {
    fs,
    env: { QUADLET_INSTALL_DIR: "/etc/containers/systemd", QUADLET_SYSTEMD_RUN_DIR: "/run/systemd/system", PATH: "/nonexistent" },
    uid: 0,
    cwd: "/src",
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  };
  const status = await command(args, ctx);
  return { status, stdout, stderr };
}

describe("over memfs", () => {
  it("installs an application, lists it and removes it", async () => {
    const { fs, vol } = memory({
      "/src/shop/db.container": "[Container]\nImage=docker.io/library/postgres\nVolume=db.volume:/data\n",
      "/src/shop/db.volume": "[Volume]\n",
    });
    const installed = await call(install, fs, ["--application", "shop", "shop"]);
    expect(installed.status).toBe(0);
    expect(installed.stdout).toBe("/etc/containers/systemd/shop/db.container\n/etc/containers/systemd/shop/db.volume\n");
    expect(vol.readFileSync("/etc/containers/systemd/shop/db.volume", "utf8")).toBe("[Volume]\n");
    // No temp file is left next to the installed ones.
    expect(vol.readdirSync("/etc/containers/systemd/shop")).toEqual(["db.container", "db.volume"]);

    const listed = await call(list, fs, ["--format", "{{.Name}} {{.App}} {{.Status}}"]);
    expect(listed.stdout).toBe("db.container shop Unknown: systemd is not running\ndb.volume shop Unknown: systemd is not running\n");

    const removed = await call(rm, fs, ["--recursive", "shop"]);
    expect(removed.status).toBe(0);
    expect(vol.readdirSync("/etc/containers/systemd")).toEqual([]);
  });

  it("takes back what it wrote when a write fails halfway, and restores what it replaced", () => {
    const { fs, vol } = memory({ "/etc/containers/systemd/b.volume": "old\n" });
    let writes = 0;
    const failing: FileSystem = {
      ...fs,
      writeFileExclusive: (path, data) => {
        if (++writes === 2) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        fs.writeFileExclusive!(path, data);
      },
    };
    const files = [
      { path: "/etc/containers/systemd/app/a.volume", data: new TextEncoder().encode("[Volume]\n") },
      { path: "/etc/containers/systemd/b.volume", data: new TextEncoder().encode("new\n") },
      { path: "/etc/containers/systemd/app/c.volume", data: new TextEncoder().encode("[Volume]\n") },
    ];
    expect(() => writeAll(failing, files, true)).toThrow("ENOSPC");
    expect(vol.readdirSync("/etc/containers/systemd")).toEqual(["b.volume"]);
    expect(vol.readFileSync("/etc/containers/systemd/b.volume", "utf8")).toBe("old\n");
  });
});
