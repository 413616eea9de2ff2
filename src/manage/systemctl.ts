/**
 * Talking to systemd through `systemctl` (found on PATH): reloading it, asking for the state
 * of services, stopping them. `--user` is added for the user's manager.
 */
import { spawnSync } from "node:child_process";
import type { CommandContext } from "../commands/context.js";
import { systemdIsRunning } from "./dirs.js";

export interface ServiceState {
  readonly loadState: string;
  readonly activeState: string;
  readonly subState: string;
}

export interface Ran {
  readonly ok: boolean;
  readonly stdout: string;
  /** What went wrong, when not ok: systemctl's own message or why it could not run. */
  readonly problem: string;
}

export class Systemctl {
  constructor(private readonly ctx: CommandContext, private readonly user: boolean) {}

  /** `systemctl [--user]`, for messages. */
  get name(): string {
    return this.user ? "systemctl --user" : "systemctl";
  }

  get running(): boolean {
    return systemdIsRunning(this.ctx);
  }

  run(args: readonly string[]): Ran {
    const r = spawnSync("systemctl", [...(this.user ? ["--user"] : []), ...args], {
      env: this.ctx.env as NodeJS.ProcessEnv,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) return { ok: false, stdout: "", problem: `cannot run systemctl: ${r.error.message}` };
    const stderr = String(r.stderr).trim();
    if (r.status !== 0) return { ok: false, stdout: String(r.stdout), problem: stderr || `${this.name} ${args.join(" ")} exited with status ${r.status ?? r.signal}` };
    return { ok: true, stdout: String(r.stdout), problem: "" };
  }

  daemonReload(): Ran {
    return this.run(["daemon-reload"]);
  }

  /** The states of `services`, by name; a service systemd does not know has LoadState not-found. */
  show(services: readonly string[]): Map<string, ServiceState> | { problem: string } {
    if (services.length === 0) return new Map();
    const r = this.run(["show", "--property=Id,LoadState,ActiveState,SubState", "--", ...services]);
    if (!r.ok) return { problem: r.problem };
    return parseShow(r.stdout);
  }

  stop(services: readonly string[]): Ran {
    return this.run(["stop", "--", ...services]);
  }
}

/** `systemctl show` output: blocks of `Key=Value` lines, one block per unit, blank lines between. */
export function parseShow(text: string): Map<string, ServiceState> {
  const out = new Map<string, ServiceState>();
  for (const block of text.split(/\n\s*\n/)) {
    const props = new Map<string, string>();
    for (const line of block.split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
    const id = props.get("Id");
    if (!id) continue;
    out.set(id, { loadState: props.get("LoadState") ?? "", activeState: props.get("ActiveState") ?? "", subState: props.get("SubState") ?? "" });
  }
  return out;
}

/** Whether a service is running or on its way there (what `rm` will not remove without --force). */
export function isRunning(state: ServiceState | undefined): boolean {
  return state !== undefined && ["active", "activating", "reloading", "deactivating", "refreshing"].includes(state.activeState);
}

/**
 * Reloads systemd after files changed, or says why not. Returns false when the reload was
 * tried and failed.
 */
export function reloadAfterChange(ctx: CommandContext, systemctl: Systemctl, command: string): boolean {
  if (!systemctl.running) {
    ctx.stderr(`quadlet ${command}: systemd is not running here, so it was not reloaded; it reads the change when it next starts\n`);
    return true;
  }
  const r = systemctl.daemonReload();
  if (!r.ok) ctx.stderr(`quadlet ${command}: ${systemctl.name} daemon-reload failed: ${r.problem}\n`);
  return r.ok;
}
