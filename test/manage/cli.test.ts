/**
 * The managing subcommands through the built executable, as a script would run them:
 * install → list → rm, with status codes and output meant for machines.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FIXTURES, sandbox, type Sandbox } from "./support.js";

const BIN = resolve(__dirname, "../../bin/quadlet");

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  box.systemd(true);
});
afterEach(() => box.cleanup());

function quadlet(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: FIXTURES, env: { ...process.env, ...box.env }, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("quadlet install, list and rm from the command line", () => {
  it("installs a stack, lists it as systemd sees it and removes it", () => {
    const installed = quadlet("install", "webapp.quadlets");
    expect(installed.stderr).toBe("");
    expect(installed.status).toBe(0);
    expect(installed.stdout.split("\n").filter(Boolean)).toHaveLength(3);

    box.state("web-server.service", "loaded active running");
    const listed = quadlet("list", "--format", "{{.Name}} {{.UnitName}} {{.Status}}");
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain("web-server.container web-server.service active/running\n");

    const refused = quadlet("rm", "web-server.container");
    expect(refused.status).toBe(1);
    const removed = quadlet("rm", "--force", "--all");
    expect(removed.status).toBe(0);
    expect(removed.stdout.split("\n").filter(Boolean).sort()).toEqual(["app-network.network", "app-storage.volume", "web-server.container"]);
    expect(existsSync(join(box.installDir, "web-server.container"))).toBe(false);
    expect(box.calls()).toContain("stop -- web-server.service");
  });

  it("exits 1 for a unit with errors and 2 for bad usage, with nothing on stdout", () => {
    const broken = quadlet("install", "broken.container");
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe("");
    const usage = quadlet("list", "--filter", "nope");
    expect(usage.status).toBe(2);
    expect(usage.stdout).toBe("");
  });
});
