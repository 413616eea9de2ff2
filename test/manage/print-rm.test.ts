/**
 * quadlet print (and its alias cat) and quadlet rm: what is printed, what is removed, and what
 * is refused.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { subcommandNames } from "../../src/commands/index.js";
import { FIXTURES, lines, quadlet, sandbox, type Sandbox } from "./support.js";

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  box.systemd(true);
});
afterEach(() => box.cleanup());

async function install(...args: string[]): Promise<void> {
  const r = await quadlet(box, "install", ["--reload-systemd=false", ...args]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}

describe("quadlet print", () => {
  it("is registered as print and as cat, next to install, list (ls) and rm", () => {
    expect(subcommandNames()).toEqual(expect.arrayContaining(["cat", "install", "list", "ls", "print", "rm"]));
  });

  it("prints a quadlet without drop-ins exactly as it is installed", async () => {
    await install("web.container");
    const r = await quadlet(box, "print", ["web.container"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(FIXTURES, "web.container"), "utf8"));
  });

  it("prints each file of a unit with drop-ins under a # PATH line", async () => {
    await install("--application", "shop", "app");
    await install("dropins/frontend.container.d");
    const r = await quadlet(box, "print", ["frontend.container"]);
    expect(r.status).toBe(0);
    const main = join(box.installDir, "shop", "frontend.container");
    const own = join(box.installDir, "shop", "frontend.container.d", "10-limits.conf");
    const shared = join(box.installDir, "frontend.container.d", "20-label.conf");
    expect(lines(r.stdout).filter((l) => l.startsWith("# /"))).toEqual([`# ${main}`, `# ${own}`, `# ${shared}`]);
    expect(r.stdout).toContain("PodmanArgs=--memory 256m\n");
    expect(r.stdout).toContain("Label=tier=front\n");
  });

  it("heads each file with its path when several quadlets are printed", async () => {
    await install("web.container");
    await install("group.pod");
    const r = await quadlet(box, "print", ["web.container", "group.pod"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`# ${join(box.installDir, "web.container")}\n${readFileSync(join(FIXTURES, "web.container"), "utf8")}\n# ${join(box.installDir, "group.pod")}\n[Pod]\nPodName=group\n`);
  });

  it("fails for a name that is not installed, and for one that is not a quadlet name", async () => {
    const missing = await quadlet(box, "print", ["nothing.container"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no quadlet named nothing.container");
    expect((await quadlet(box, "print", ["web"])).status).toBe(2);
  });
});

describe("quadlet rm", () => {
  it("removes a unit and its own drop-in directory, prints its name and reloads systemd", async () => {
    await install("web.container");
    mkdirSync(join(box.installDir, "web.container.d"));
    writeFileSync(join(box.installDir, "web.container.d", "10-x.conf"), "[Container]\nLabel=a=b\n");
    const r = await quadlet(box, "rm", ["web.container"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("web.container\n");
    expect(readdirSync(box.installDir)).toEqual([]);
    expect(box.calls()).toEqual(["show --property=Id,LoadState,ActiveState,SubState -- web.service", "daemon-reload"]);
  });

  it("refuses to remove a running unit without --force, and stops it first with --force", async () => {
    await install("web.container");
    box.state("web.service", "loaded active running");
    const refused = await quadlet(box, "rm", ["web.container"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("web.service is running; stop it first, or use --force");
    expect(existsSync(join(box.installDir, "web.container"))).toBe(true);
    const forced = await quadlet(box, "rm", ["--force", "web.container"]);
    expect(forced.status).toBe(0);
    expect(box.calls()).toContain("stop -- web.service");
    expect(existsSync(join(box.installDir, "web.container"))).toBe(false);
  });

  it("keeps a running unit whose stop fails", async () => {
    await install("web.container");
    box.state("web.service", "loaded active running");
    const r = await quadlet(box, "rm", ["-f", "web.container"], { env: { FAKE_SYSTEMCTL_FAIL_STOP: "1" } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("stop web.service failed");
    expect(existsSync(join(box.installDir, "web.container"))).toBe(true);
  });

  it("removes an application only with --recursive, by its name or one of its units", async () => {
    await install("--application", "shop", "app");
    const refused = await quadlet(box, "rm", ["shop"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("shop is an application; add --recursive");
    const byUnit = await quadlet(box, "rm", ["db.container"]);
    expect(byUnit.status).toBe(1);
    expect(byUnit.stderr).toContain("db.container belongs to the application shop");
    expect(existsSync(join(box.installDir, "shop", "db.container"))).toBe(true);

    const r = await quadlet(box, "rm", ["--recursive", "shop"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(lines(r.stdout).sort()).toEqual(["backend.network", "db.container", "db.volume", "frontend.container"]);
    expect(readdirSync(box.installDir)).toEqual([]);
  });

  it("removes every unit with --all, and applications too with --recursive", async () => {
    await install("web.container");
    await install("group.pod");
    await install("--application", "shop", "app");
    const partial = await quadlet(box, "rm", ["--all"]);
    expect(partial.status).toBe(1);
    expect(lines(partial.stdout).sort()).toEqual(["group.pod", "web.container"]);
    expect(readdirSync(box.installDir)).toEqual(["shop"]);
    const r = await quadlet(box, "rm", ["--all", "--recursive"]);
    expect(r.status).toBe(0);
    expect(readdirSync(box.installDir)).toEqual([]);
  });

  it("fails for a name that is not installed, unless --ignore", async () => {
    const r = await quadlet(box, "rm", ["nothing.container"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("no quadlet or application named nothing.container is installed");
    const ignored = await quadlet(box, "rm", ["-i", "nothing.container"]);
    expect(ignored.status).toBe(0);
    expect(ignored.stderr).toBe("");
    expect(box.calls()).toEqual([]);
  });

  it("never removes a quadlet outside the install directory", async () => {
    const other = join(box.root, "usr-share");
    mkdirSync(other);
    writeFileSync(join(other, "vendor.volume"), "[Volume]\n");
    const env = { QUADLET_UNIT_DIRS: `${box.installDir}:${other}` };
    expect((await quadlet(box, "list", ["--format", "{{.Name}}"], { env })).stdout).toBe("vendor.volume\n");
    const r = await quadlet(box, "rm", ["--ignore", "vendor.volume"], { env });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`vendor.volume is in ${other}, outside the install directory`);
    expect(existsSync(join(other, "vendor.volume"))).toBe(true);
  });

  it("removes an installed quadlet that a file of the same name read earlier hides", async () => {
    await install("web.container");
    const early = join(box.root, "run");
    mkdirSync(early);
    writeFileSync(join(early, "web.container"), "[Container]\nImage=early\n");
    const r = await quadlet(box, "rm", ["web.container"], { env: { QUADLET_UNIT_DIRS: `${early}:${box.installDir}` } });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(join(box.installDir, "web.container"))).toBe(false);
    expect(existsSync(join(early, "web.container"))).toBe(true);
  });

  it("removes a symbolic link in an application, never what it points to", async () => {
    await install("--application", "shop", "app");
    const outside = join(box.root, "precious");
    mkdirSync(outside);
    writeFileSync(join(outside, "keep.txt"), "keep\n");
    symlinkSync(outside, join(box.installDir, "shop", "link"));
    const r = await quadlet(box, "rm", ["--recursive", "shop"]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(outside, "keep.txt"), "utf8")).toBe("keep\n");
    expect(existsSync(join(box.installDir, "shop"))).toBe(false);
  });

  it("says so and still removes where systemd is not running; --reload-systemd=false skips the reload", async () => {
    await install("web.container");
    await install("group.pod");
    box.systemd(false);
    const r = await quadlet(box, "rm", ["web.container"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("systemd is not running here");
    box.systemd(true);
    const quiet = await quadlet(box, "rm", ["--reload-systemd=false", "group.pod"]);
    expect(quiet.status).toBe(0);
    expect(box.calls()).toEqual(["show --property=Id,LoadState,ActiveState,SubState -- group-pod.service"]);
  });

  it("rejects names together with --all, and no names at all, with status 2", async () => {
    expect((await quadlet(box, "rm", ["--all", "web.container"])).status).toBe(2);
    expect((await quadlet(box, "rm", [])).status).toBe(2);
  });
});
