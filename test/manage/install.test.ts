/**
 * quadlet install: every kind of SOURCE, verification before writing, refusals, and the
 * systemd reload, on fixtures of our own with a fake systemctl.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FIXTURES, lines, quadlet, sandbox, type Sandbox } from "./support.js";

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  box.systemd(true);
});
afterEach(() => box.cleanup());

const installed = (rel: string): string => readFileSync(join(box.installDir, rel), "utf8");

describe("quadlet install", () => {
  it("installs one file, prints where it went and reloads systemd", async () => {
    const r = await quadlet(box, "install", ["web.container"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toEqual([join(box.installDir, "web.container")]);
    expect(installed("web.container")).toBe(readFileSync(join(FIXTURES, "web.container"), "utf8"));
    expect(box.calls()).toEqual(["daemon-reload"]);
  });

  it("splits a .quadlets file into its three units, named by their # FileName= lines", async () => {
    const r = await quadlet(box, "install", ["webapp.quadlets"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(lines(r.stdout).map((p) => p.slice(box.installDir.length + 1))).toEqual(["web-server.container", "app-storage.volume", "app-network.network"]);
    expect(installed("web-server.container")).toContain("Image=docker.io/library/nginx:latest\n");
    expect(installed("web-server.container")).not.toContain("---");
    expect(installed("app-storage.volume")).toBe("# FileName=app-storage\n[Volume]\nLabel=app=webapp\n");
    expect(installed("app-network.network")).toContain("Subnet=10.89.7.0/24");
  });

  it("installs a directory as an application, in a subdirectory of its name, drop-ins and other files included", async () => {
    const r = await quadlet(box, "install", ["--application", "shop", "app"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const dir = join(box.installDir, "shop");
    expect(readdirSync(dir).sort()).toEqual(["app.env", "backend.network", "db.container", "db.volume", "frontend.container", "frontend.container.d"]);
    expect(readFileSync(join(dir, "frontend.container.d/10-limits.conf"), "utf8")).toContain("--memory 256m");
    expect(lines(r.stdout)).toContain(join(dir, "frontend.container"));
  });

  it("leaves hidden files of a directory out, and says so", async () => {
    const dir = join(box.root, "withhidden");
    mkdirSync(join(dir, ".git"), { recursive: true });
    writeFileSync(join(dir, ".git", "HEAD"), "ref\n");
    writeFileSync(join(dir, "data.volume"), "[Volume]\n");
    const r = await quadlet(box, "install", ["--application", "hid", dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`note: ${dir}/.git is hidden and was left out`);
    expect(readdirSync(join(box.installDir, "hid"))).toEqual(["data.volume"]);
  });

  it("refuses the application name users for root, whose generator does not read that directory", async () => {
    // The source does not exist, so nothing could be written even if the check were missing.
    const r = await quadlet(box, "install", ["--application", "users", "missing.container"], { env: { QUADLET_INSTALL_DIR: "", QUADLET_UNIT_DIRS: box.installDir } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--application users is refused");
  });

  it("refuses a directory without --application, as podman does", async () => {
    const r = await quadlet(box, "install", ["app"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("app is a directory: install it as an application with --application NAME");
    expect(existsSync(box.installDir)).toBe(false);
  });

  it("puts single files and .quadlets parts under --application too", async () => {
    const r = await quadlet(box, "install", ["--application=site", "webapp.quadlets", "web.env"]);
    expect(r.status).toBe(0);
    expect(readdirSync(join(box.installDir, "site")).sort()).toEqual(["app-network.network", "app-storage.volume", "web-server.container", "web.env"]);
  });

  it.each([
    ["with a path separator", "a/b"],
    ["that looks like a unit", "shop.container"],
    ["that looks like a drop-in directory", "shop.d"],
    ["that goes up", ".."],
  ])("refuses an application name %s", async (_what, name) => {
    const r = await quadlet(box, "install", ["--application", name, "web.container"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--application ${name} is refused`);
  });

  it("does not install a unit with errors, prints its diagnostics compiler-style, and installs it with --force", async () => {
    const r = await quadlet(box, "install", ["broken.container"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^broken\.container:3: error\[QL\d+\]: unsupported key 'Imgae'/m);
    expect(r.stderr).toContain("use --force to install anyway");
    expect(existsSync(join(box.installDir, "broken.container"))).toBe(false);
    expect(box.calls()).toEqual([]);

    const forced = await quadlet(box, "install", ["--force", "broken.container"]);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain("installed with errors (--force)");
    expect(existsSync(join(box.installDir, "broken.container"))).toBe(true);
  });

  it("names the line of the .quadlets file, and installs none of its units when one has errors", async () => {
    const r = await quadlet(box, "install", ["broken.quadlets"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^broken\.quadlets:7: error\[QL\d+\]: unsupported key 'Imgae'/m);
    expect(existsSync(join(box.installDir, "good.volume"))).toBe(false);
  });

  it("verifies a unit with the drop-ins it is installed with", async () => {
    const r = await quadlet(box, "install", ["web.container", "baddrop/web.container.d"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/10-typo\.conf:3: error\[QL\d+\]: unsupported key 'Imgae'/);
    expect(existsSync(join(box.installDir, "web.container"))).toBe(false);
  });

  it("verifies the units a drop-in directory changes when it is installed on its own", async () => {
    expect((await quadlet(box, "install", ["web.container"])).status).toBe(0);
    const typo = await quadlet(box, "install", ["baddrop/web.container.d"]);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/10-typo\.conf:3: error\[QL\d+\]: unsupported key 'Imgae'/);
    const garbled = await quadlet(box, "install", ["garbled/web.container.d"]);
    expect(garbled.status).toBe(1);
    expect(garbled.stderr).toMatch(/^garbled\/web\.container\.d\/10-garbled\.conf:2: error: .*not a \[Section\] header/m);
    expect(existsSync(join(box.installDir, "web.container.d"))).toBe(false);
    const fine = await quadlet(box, "install", ["dropins/frontend.container.d"]);
    expect(fine.status).toBe(0);
  });

  it("verifies a unit against the units already installed that it refers to", async () => {
    const alone = await quadlet(box, "install", ["member.container"]);
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain("group.pod");
    expect((await quadlet(box, "install", ["group.pod"])).status).toBe(0);
    const after = await quadlet(box, "install", ["member.container"]);
    expect(after.stderr).toBe("");
    expect(after.status).toBe(0);
  });

  it("never overwrites without --replace, and replaces with it", async () => {
    expect((await quadlet(box, "install", ["web.container"])).status).toBe(0);
    writeFileSync(join(box.installDir, "web.container"), "[Container]\nImage=old\n");
    const again = await quadlet(box, "install", ["web.container"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already exists; use --replace to overwrite it");
    expect(installed("web.container")).toBe("[Container]\nImage=old\n");
    const replaced = await quadlet(box, "install", ["-r", "web.container"]);
    expect(replaced.status).toBe(0);
    expect(installed("web.container")).toContain("Exec=echo hello");
  });

  it("refuses a unit name already installed in an application", async () => {
    await quadlet(box, "install", ["--application", "shop", "app"]);
    mkdirSync(join(box.root, "other"));
    writeFileSync(join(box.root, "other", "db.volume"), "[Volume]\n");
    const r = await quadlet(box, "install", [join(box.root, "other", "db.volume")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`a unit named db.volume is already installed at ${join(box.installDir, "shop", "db.volume")}`);
  });

  it("may override a unit of another directory, and says when the other one is read first", async () => {
    const vendor = join(box.root, "vendor");
    const early = join(box.root, "early");
    mkdirSync(vendor);
    mkdirSync(early);
    writeFileSync(join(vendor, "web.container"), "[Container]\nImage=vendor\n");
    const overriding = await quadlet(box, "install", ["web.container"], { env: { QUADLET_UNIT_DIRS: `${box.installDir}:${vendor}` } });
    expect(overriding.stderr).toBe("");
    expect(overriding.status).toBe(0);
    writeFileSync(join(early, "group.pod"), "[Pod]\n");
    const shadowed = await quadlet(box, "install", ["group.pod"], { env: { QUADLET_UNIT_DIRS: `${early}:${box.installDir}` } });
    expect(shadowed.status).toBe(0);
    expect(shadowed.stderr).toContain(`note: ${join(box.installDir, "group.pod")} will not be used: ${join(early, "group.pod")} has the same name and is read first`);
  });

  it("refuses a # FileName= that leaves the install directory", async () => {
    const r = await quadlet(box, "install", ["escape.quadlets"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("escape.quadlets:1: FileName=../escaped is refused");
    expect(existsSync(join(box.root, "escaped.volume"))).toBe(false);
    expect(existsSync(box.installDir)).toBe(false);
  });

  it("refuses to write through a symbolic link that leads out of the install directory", async () => {
    const outside = join(box.root, "outside");
    mkdirSync(outside);
    mkdirSync(box.installDir);
    symlinkSync(outside, join(box.installDir, "shop"));
    const r = await quadlet(box, "install", ["--application", "shop", "web.container"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("symbolic link");
    expect(readdirSync(outside)).toEqual([]);
  });

  it("refuses a .quadlets part without a # FileName= line", async () => {
    const r = await quadlet(box, "install", ["nameless.quadlets"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('nameless.quadlets:1: this part has no "# FileName=NAME" line');
  });

  it("refuses a first SOURCE that is not a quadlet", async () => {
    const r = await quadlet(box, "install", ["web.env"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("web.env is not a quadlet file");
  });

  it("installs the good sources and reports the bad ones", async () => {
    const r = await quadlet(box, "install", ["web.container", "missing.container"]);
    // The first SOURCE stands alone; a later missing file fails only itself.
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("missing.container: no such file or directory");
    expect(existsSync(join(box.installDir, "web.container"))).toBe(true);
  });

  it("does not reload systemd with --reload-systemd=false", async () => {
    const r = await quadlet(box, "install", ["--reload-systemd=false", "web.container"]);
    expect(r.status).toBe(0);
    expect(box.calls()).toEqual([]);
  });

  it("says so and still installs where systemd is not running", async () => {
    box.systemd(false);
    const r = await quadlet(box, "install", ["web.container"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("systemd is not running here, so it was not reloaded");
    expect(existsSync(join(box.installDir, "web.container"))).toBe(true);
    expect(box.calls()).toEqual([]);
  });

  it("reports a failed reload in its exit status", async () => {
    const r = await quadlet(box, "install", ["web.container"], { env: { FAKE_SYSTEMCTL_FAIL_RELOAD: "1" } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("systemctl daemon-reload failed: Failed to reload daemon: Access denied");
    expect(existsSync(join(box.installDir, "web.container"))).toBe(true);
  });

  it("installs into the user's directory with -user, and reloads the user's manager", async () => {
    const env = { QUADLET_INSTALL_DIR: "", XDG_CONFIG_HOME: join(box.root, "config"), QUADLET_UNIT_DIRS: join(box.root, "config", "containers", "systemd") };
    const r = await quadlet(box, "install", ["-user", "web.container"], { env });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toEqual([join(box.root, "config", "containers", "systemd", "web.container")]);
    expect(box.calls()).toEqual(["--user daemon-reload"]);
  });

  it("installs into the user's directory for any user but root", async () => {
    const env = { QUADLET_INSTALL_DIR: "", HOME: join(box.root, "home"), QUADLET_UNIT_DIRS: join(box.root, "home", ".config", "containers", "systemd") };
    const r = await quadlet(box, "install", ["web.container"], { env, uid: 1000 });
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toEqual([join(box.root, "home", ".config", "containers", "systemd", "web.container")]);
  });

  it("needs a home for -user, and an absolute QUADLET_INSTALL_DIR", async () => {
    const homeless = await quadlet(box, "install", ["-user", "web.container"], { env: { QUADLET_INSTALL_DIR: "", HOME: "", XDG_CONFIG_HOME: "" } });
    expect(homeless.status).toBe(2);
    expect(homeless.stderr).toContain("neither $XDG_CONFIG_HOME nor $HOME is set");
    const relative = await quadlet(box, "install", ["web.container"], { env: { QUADLET_INSTALL_DIR: "here" } });
    expect(relative.status).toBe(2);
    expect(relative.stderr).toContain("QUADLET_INSTALL_DIR must be an absolute path");
  });

  it("rejects unknown flags and a missing SOURCE with status 2", async () => {
    expect((await quadlet(box, "install", ["--bogus", "web.container"])).status).toBe(2);
    expect((await quadlet(box, "install", [])).status).toBe(2);
    expect((await quadlet(box, "install", ["--reload-systemd=maybe", "web.container"])).status).toBe(2);
    const help = await quadlet(box, "install", ["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--application=NAME");
  });
});
