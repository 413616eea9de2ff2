/**
 * quadlet list: podman's columns, the state systemd reports, the reason a unit is not loaded,
 * filters, formats and the heading.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lines, quadlet, sandbox, type Sandbox } from "./support.js";

let box: Sandbox;
beforeEach(async () => {
  box = sandbox();
  box.systemd(true);
  for (const args of [["web.container"], ["group.pod", "member.container"], ["--application", "shop", "app"], ["--force", "broken.container"]]) {
    const r = await quadlet(box, "install", ["--reload-systemd=false", ...args]);
    expect(r.status).toBe(0);
  }
  box.state("web.service", "loaded active running");
  box.state("member.service", "loaded failed failed");
  box.state("group-pod.service", "loaded inactive dead");
});
afterEach(() => box.cleanup());

interface Listed {
  Name: string;
  UnitName: string;
  Path: string;
  Status: string;
  App: string;
  Pod: string;
}

async function listJson(...args: string[]): Promise<Listed[]> {
  const r = await quadlet(box, "list", ["--format", "json", ...args]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Listed[];
}

describe("quadlet list", () => {
  it("prints podman's columns, lined up, with a heading", async () => {
    const r = await quadlet(box, "list", []);
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^NAME +UNIT NAME +PATH ON DISK +STATUS +APPLICATION +POD$/);
    const web = out.find((l) => l.startsWith("web.container"))!;
    expect(web).toMatch(new RegExp(`^web\\.container +web\\.service +${join(box.installDir, "web.container").replace(/\./g, "\\.")} +active/running$`));
    const member = out.find((l) => l.startsWith("member.container"))!;
    expect(member).toMatch(/failed\/failed +group\.pod$/);
    // Every column starts where its heading does.
    const statusAt = out[0]!.indexOf("STATUS");
    expect(web.indexOf("active/running")).toBe(statusAt);
    expect(out).toHaveLength(1 + 8);
  });

  it("says why a unit is not loaded, from the analysis", async () => {
    const units = await listJson();
    const broken = units.find((u) => u.Name === "broken.container")!;
    expect(broken.Status).toMatch(/^Not loaded: broken\.container:3: unsupported key 'Imgae'/);
    expect(broken.UnitName).toBe("broken.service");
  });

  it("says a unit systemd has not read yet needs a daemon-reload", async () => {
    const units = await listJson();
    expect(units.find((u) => u.Name === "db.volume")!.Status).toBe("Not loaded: systemd has not read it yet (run systemctl daemon-reload)");
  });

  it("gives the application and the pod of each unit, and the service names podman gives them", async () => {
    const units = await listJson();
    const byName = new Map(units.map((u) => [u.Name, u]));
    expect(byName.get("db.container")).toMatchObject({ App: "shop", UnitName: "db.service", Path: join(box.installDir, "shop", "db.container") });
    expect(byName.get("db.volume")).toMatchObject({ App: "shop", UnitName: "db-volume.service" });
    expect(byName.get("group.pod")).toMatchObject({ App: "", UnitName: "group-pod.service", Pod: "" });
    expect(byName.get("member.container")!.Pod).toBe("group.pod");
  });

  it("asks systemd with one systemctl show for every service", async () => {
    await listJson();
    const shows = box.calls().filter((c) => c.startsWith("show"));
    expect(shows).toHaveLength(1);
    expect(shows[0]).toMatch(/^show --property=Id,LoadState,ActiveState,SubState -- /);
    expect(shows[0]).toContain("web.service");
    expect(shows[0]).toContain("broken.service");
  });

  it("lists a template without asking systemd about it, which would fail the whole call", async () => {
    const dir = join(box.root, "tpl");
    mkdirSync(dir);
    writeFileSync(join(dir, "echo@.container"), "[Container]\nImage=docker.io/library/busybox\n");
    expect((await quadlet(box, "install", ["--reload-systemd=false", join(dir, "echo@.container")])).status).toBe(0);
    const units = await listJson();
    expect(units.find((u) => u.Name === "echo@.container")!.Status).toBe("Template: systemd runs its instances, echo@INSTANCE.service");
    expect(units.find((u) => u.Name === "web.container")!.Status).toBe("active/running");
    expect(box.calls().filter((c) => c.startsWith("show")).join(" ")).not.toContain("echo@.service");
  });

  it("says when systemd still runs a service whose file has gone wrong since", async () => {
    box.state("broken.service", "loaded active running");
    const broken = (await listJson()).find((u) => u.Name === "broken.container")!;
    expect(broken.Status).toMatch(/^active\/running until the next daemon-reload, then not loaded: broken\.container:3: unsupported key 'Imgae'/);
  });

  it("filters by name, status and pod, as regular expressions", async () => {
    expect((await listJson("--filter", "name=^db")).map((u) => u.Name).sort()).toEqual(["db.container", "db.volume"]);
    expect((await listJson("-f", "status=active/running")).map((u) => u.Name)).toEqual(["web.container"]);
    expect((await listJson("--filter", "status=Not loaded", "--filter", "name=broken")).map((u) => u.Name)).toEqual(["broken.container"]);
    expect((await listJson("--filter", "pod=group")).map((u) => u.Name)).toEqual(["member.container"]);
    // Two values of one filter: either may match.
    expect((await listJson("--filter", "name=web", "--filter", "name=member")).map((u) => u.Name).sort()).toEqual(["member.container", "web.container"]);
  });

  it("prints a template for each unit, without a heading unless it starts with table", async () => {
    const r = await quadlet(box, "list", ["--format", "{{ .UnitName }}", "--filter", "name=^(web|member)"]);
    expect(lines(r.stdout).sort()).toEqual(["member.service", "web.service"]);
    const table = await quadlet(box, "list", ["--format", "table {{.Name}}\\t{{.Status}}", "--filter", "name=^web"]);
    expect(lines(table.stdout)).toEqual(["NAME           STATUS", "web.container  active/running"]);
    const json = await quadlet(box, "list", ["--format", "{{json .Name}}", "--filter", "name=^web"]);
    expect(json.stdout).toBe('"web.container"\n');
  });

  it("leaves out the heading with --noheading", async () => {
    const r = await quadlet(box, "list", ["--noheading", "--filter", "name=^web"]);
    expect(lines(r.stdout)).toHaveLength(1);
    expect(r.stdout).toMatch(/^web\.container /);
  });

  it("rejects unknown fields, filters and arguments with status 2", async () => {
    const field = await quadlet(box, "list", ["--format", "{{.Nope}}"]);
    expect(field.status).toBe(2);
    expect(field.stderr).toContain('unknown field ".Nope"');
    expect((await quadlet(box, "list", ["--filter", "app=shop"])).status).toBe(2);
    expect((await quadlet(box, "list", ["--filter", "name=("])).status).toBe(2);
    expect((await quadlet(box, "list", ["web.container"])).status).toBe(2);
  });

  it("still lists, with the analysis' verdict, where systemd is not running", async () => {
    box.systemd(false);
    const units = await listJson();
    expect(units.find((u) => u.Name === "web.container")!.Status).toBe("Unknown: systemd is not running");
    expect(units.find((u) => u.Name === "broken.container")!.Status).toMatch(/^Not loaded: broken\.container:3:/);
    expect(box.calls()).toEqual([]);
  });

  it("shows a file that cannot be parsed as not loaded, with the parser's reason", async () => {
    mkdirSync(box.installDir, { recursive: true });
    writeFileSync(join(box.installDir, "garbled.volume"), "[Volume]\nthis is not a key\n");
    const units = await listJson();
    expect(units.find((u) => u.Name === "garbled.volume")!.Status).toMatch(/^Not loaded: garbled\.volume:2: .*not a \[Section\] header/);
  });

  it("asks the user's manager with -user", async () => {
    const env = { QUADLET_INSTALL_DIR: "", XDG_CONFIG_HOME: join(box.root, "config"), QUADLET_UNIT_DIRS: join(box.root, "config", "containers", "systemd") };
    expect((await quadlet(box, "install", ["-user", "--reload-systemd=false", "web.container"], { env })).status).toBe(0);
    const r = await quadlet(box, "list", ["-user", "--format", "{{.Name}} {{.Status}}"], { env });
    expect(r.stdout).toBe("web.container active/running\n");
    expect(box.calls().at(-1)).toMatch(/^--user show /);
  });
});
