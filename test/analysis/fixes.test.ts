/**
 * Behaviour fixed by the analysis phase, each checked on a fixture of our own against
 * what podman's quadlet generates for it.
 */
import * as nodeFs from "node:fs";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createFsFromVolume, Volume } from "memfs";
import { describe, expect, it } from "vitest";
import { fileSystemOf } from "../../src/fsys.js";
import { compileFiles, compileOne, execWords } from "../helpers.js";

const fixture = (name: string) => readFileSync(resolve("fixtures/fixes", name), "utf8");

describe("booleans set to false", () => {
  it("writes --disable-dns=false, --internal=false and --ipv6=false, as podman does", () => {
    const words = execWords(compileOne("off.network", fixture("off.network")));
    expect(words).toEqual(["/usr/bin/podman", "network", "create", "--ignore", "--disable-dns=false", "--internal=false", "--ipv6=false", "systemd-off"]);
  });

  it("still writes nothing for a boolean podman only adds when true", () => {
    const words = execWords(compileOne("a.container", "[Container]\nImage=registry.example.com/a:1\nNoNewPrivileges=no\nSecurityLabelDisable=false\n"));
    expect(words.join(" ")).not.toMatch(/no-new-privileges|label=disable/);
  });
});

describe("empty files", () => {
  it("make a volume, a network and a pod with every default", () => {
    const { services, errors } = compileFiles({ "data.volume": fixture("data.volume"), "lan.network": fixture("lan.network"), "group.pod": fixture("group.pod") });
    expect(errors.size).toBe(0);
    expect(execWords(services.get("data-volume.service")!)).toEqual(["/usr/bin/podman", "volume", "create", "--ignore", "systemd-data"]);
    expect(execWords(services.get("lan-network.service")!)).toEqual(["/usr/bin/podman", "network", "create", "--ignore", "systemd-lan"]);
    expect(services.has("group-pod.service")).toBe(true);
  });

  it("fail for a container, with podman's message", () => {
    const { errors } = compileFiles({ "app.container": fixture("app.container") });
    expect(errors.get("app.container")).toEqual(['converting "app.container": no Image or Rootfs key specified']);
  });
});

describe("ReloadCmd= with a huge number of words", () => {
  it("compiles, rather than overflowing the call stack", () => {
    const words = Array.from({ length: 300_000 }, (_, i) => `w${i}`).join(" ");
    const s = compileOne("big.container", `[Container]\nImage=registry.example.com/a:1\nReloadCmd=/bin/true ${words}\n`);
    const reload = execWords(s, "ExecReload");
    expect(reload.length).toBe(4 + 300_000);
    expect(reload.slice(0, 5)).toEqual(["/usr/bin/podman", "exec", "systemd-%N", "/bin/true", "w0"]);
  });
});

describe("AddDevice=", () => {
  it("looks an optional device up through the file system it is given", () => {
    const vol = Volume.fromJSON({ "/dev/kvm": "" });
    const fs = fileSystemOf(createFsFromVolume(vol) as unknown as typeof nodeFs);
    const words = execWords(compileOne("devices.container", fixture("devices.container"), { fs }));
    expect(words.filter((_, i) => words[i - 1] === "--device")).toEqual(["/dev/fuse", "/dev/kvm"]);
  });

  it("skips an optional device the file system does not have", () => {
    const fs = fileSystemOf(createFsFromVolume(Volume.fromJSON({ "/tmp/x": "" })) as unknown as typeof nodeFs);
    const words = execWords(compileOne("devices.container", fixture("devices.container"), { fs }));
    expect(words.filter((_, i) => words[i - 1] === "--device")).toEqual(["/dev/fuse"]);
  });
});
