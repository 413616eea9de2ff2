/**
 * Rootless separation: in user mode only the user's own directories (and the shared
 * /etc/containers/systemd/users and /usr/share/containers/systemd/users, without their per-uid
 * subdirectories) are read; another uid's directory never is. Checked against an in-memory
 * file system.
 */
import type * as nodeFs from "node:fs";
import { createFsFromVolume, Volume } from "memfs";
import { describe, expect, it } from "vitest";
import { fileSystemOf, type FileSystem } from "../../src/fsys.js";
import { CollectingLogger } from "../../src/log.js";
import { discoverUnits } from "../../src/parser/discover.js";

const unit = (image: string): string => `[Container]\nImage=registry.example.com/${image}:1\n`;

/** Every place a unit can be, each file named after where it is. */
const LAYOUT: Record<string, string> = {
  "/run/containers/systemd/root-run.container": unit("root-run"),
  "/etc/containers/systemd/root-etc.container": unit("root-etc"),
  "/etc/containers/systemd/sub/root-etc-sub.container": unit("root-etc-sub"),
  "/usr/share/containers/systemd/root-usr.container": unit("root-usr"),
  "/etc/containers/systemd/users/shared-users.container": unit("shared-users"),
  "/etc/containers/systemd/users/shared/shared-users-sub.container": unit("shared-users-sub"),
  "/etc/containers/systemd/users/1000/uid1000.container": unit("uid1000"),
  "/etc/containers/systemd/users/1000/nested/uid1000-nested.container": unit("uid1000-nested"),
  "/etc/containers/systemd/users/2000/uid2000.container": unit("uid2000"),
  "/etc/containers/systemd/users/2000/nested/uid2000-nested.container": unit("uid2000-nested"),
  "/usr/share/containers/systemd/users/usr-users.container": unit("usr-users"),
  "/usr/share/containers/systemd/users/1000/usr-users-1000.container": unit("usr-users-1000"),
  "/usr/share/containers/systemd/users/1000/nested/usr-users-1000-nested.container": unit("usr-users-1000-nested"),
  "/usr/share/containers/systemd/users/2000/usr-users-2000.container": unit("usr-users-2000"),
  "/run/user/1000/containers/systemd/xdg-runtime-1000.container": unit("xdg-runtime-1000"),
  "/home/alice/.config/containers/systemd/xdg-config-1000.container": unit("xdg-config-1000"),
  "/run/user/2000/containers/systemd/xdg-runtime-2000.container": unit("xdg-runtime-2000"),
  "/home/bob/.config/containers/systemd/xdg-config-2000.container": unit("xdg-config-2000"),
};

function memoryFs(): FileSystem {
  const vol = Volume.fromJSON(LAYOUT);
  // memfs implements the parts of node:fs we use; its own type is not node's.
  return fileSystemOf(createFsFromVolume(vol) as unknown as typeof nodeFs);
}

/** Every file read while discovering, in user mode for `uid` or in root mode. */
function filesRead(userMode: boolean, uid: number, env: Record<string, string>): string[] {
  const inner = memoryFs();
  const read: string[] = [];
  const fs: FileSystem = { ...inner, readFile: (p) => (read.push(p), inner.readFile(p)), readText: (p) => (read.push(p), inner.readText!(p)) };
  const found = discoverUnits({ userMode, env, uid }, fs, new CollectingLogger());
  expect(found.errors).toEqual([]);
  expect(found.units.map((u) => u.path).sort()).toEqual([...read].sort());
  return read.map((p) => p.slice(p.lastIndexOf("/") + 1).replace(".container", "")).sort();
}

describe("rootless separation", () => {
  it("user 1000 reads its own directories and the shared users directory, nothing of uid 2000", () => {
    expect(filesRead(true, 1000, { XDG_RUNTIME_DIR: "/run/user/1000", HOME: "/home/alice" })).toEqual([
      "shared-users",
      "shared-users-sub",
      "uid1000",
      "uid1000-nested",
      "usr-users",
      "usr-users-1000",
      "usr-users-1000-nested",
      "xdg-config-1000",
      "xdg-runtime-1000",
    ]);
  });

  it("user 2000 reads its own, never user 1000's", () => {
    expect(filesRead(true, 2000, { XDG_RUNTIME_DIR: "/run/user/2000", XDG_CONFIG_HOME: "/home/bob/.config" })).toEqual([
      "shared-users",
      "shared-users-sub",
      "uid2000",
      "uid2000-nested",
      "usr-users",
      "usr-users-2000",
      "xdg-config-2000",
      "xdg-runtime-2000",
    ]);
  });

  it("a uid with no directory of its own reads no per-uid directory at all", () => {
    const read = filesRead(true, 3000, { HOME: "/home/carol" });
    expect(read).toEqual(["shared-users", "shared-users-sub", "usr-users"]);
  });

  it("root mode reads the system directories and nothing below /etc/containers/systemd/users", () => {
    // As podman does, /usr/share/containers/systemd is read whole, its users/ included.
    expect(filesRead(false, 0, {})).toEqual([
      "root-etc",
      "root-etc-sub",
      "root-run",
      "root-usr",
      "usr-users",
      "usr-users-1000",
      "usr-users-1000-nested",
      "usr-users-2000",
    ]);
  });
});

describe("user-mode search order", () => {
  /** Where the unit `web.container` is read from when each of `places` holds one. */
  function winner(places: string[]): string | undefined {
    const vol = Volume.fromJSON(Object.fromEntries(places.map((dir) => [`${dir}/web.container`, unit(dir)])));
    const fs = fileSystemOf(createFsFromVolume(vol) as unknown as typeof nodeFs);
    const found = discoverUnits({ userMode: true, env: { HOME: "/home/alice" }, uid: 1000 }, fs, new CollectingLogger());
    return found.units.find((u) => u.filename === "web.container")?.path.replace("/web.container", "");
  }

  it("reads /usr/share/containers/systemd/users/$UID after /etc and before the shared /usr/share directory", () => {
    const usrUid = "/usr/share/containers/systemd/users/1000";
    const usrShared = "/usr/share/containers/systemd/users";
    expect(winner([usrUid, usrShared])).toBe(usrUid);
    expect(winner(["/etc/containers/systemd/users/1000", usrUid])).toBe("/etc/containers/systemd/users/1000");
    expect(winner(["/etc/containers/systemd/users", usrUid])).toBe("/etc/containers/systemd/users");
    expect(winner(["/usr/share/containers/systemd/users/2000", usrShared])).toBe(usrShared);
  });
});
