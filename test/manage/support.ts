/**
 * Running the managing subcommands in-process against temp directories, with a fake
 * `systemctl` on PATH that records every call and answers `show` from state files.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { CommandContext, Subcommand } from "../../src/commands/context.js";
import { run as install } from "../../src/commands/install.js";
import { run as list } from "../../src/commands/list.js";
import { run as print } from "../../src/commands/print.js";
import { run as rm } from "../../src/commands/rm.js";
import { hostFs } from "../../src/fsys.js";

export const FIXTURES = resolve(__dirname, "../../fixtures/manage");

const FAKE_SYSTEMCTL = `#!/bin/sh
# A stand-in for systemctl: records its arguments, answers show from state files.
printf '%s\\n' "$*" >> "$FAKE_SYSTEMCTL_LOG"
[ "$1" = "--user" ] && shift
cmd="$1"; shift
case "$cmd" in
  show)
    shift
    [ "$1" = "--" ] && shift
    for u in "$@"; do
      case "$u" in *@.service) echo "Failed to get properties: Unit name $u is neither a valid invocation ID nor unit name." >&2; exit 1 ;; esac
      if [ -f "$FAKE_SYSTEMCTL_STATE/$u" ]; then read load active sub < "$FAKE_SYSTEMCTL_STATE/$u"
      else load=not-found; active=inactive; sub=dead; fi
      printf 'Id=%s\\nLoadState=%s\\nActiveState=%s\\nSubState=%s\\n\\n' "$u" "$load" "$active" "$sub"
    done ;;
  stop)
    [ "$1" = "--" ] && shift
    [ -n "$FAKE_SYSTEMCTL_FAIL_STOP" ] && { echo "Failed to stop $*: Access denied" >&2; exit 1; }
    for u in "$@"; do echo "loaded inactive dead" > "$FAKE_SYSTEMCTL_STATE/$u"; done ;;
  daemon-reload)
    [ -n "$FAKE_SYSTEMCTL_FAIL_RELOAD" ] && { echo "Failed to reload daemon: Access denied" >&2; exit 1; } ;;
esac
exit 0
`;

export interface Sandbox {
  readonly root: string;
  /** The install directory (QUADLET_INSTALL_DIR). */
  readonly installDir: string;
  readonly env: Record<string, string>;
  /** Makes systemd look running (or not). */
  systemd(running: boolean): void;
  /** Sets what the fake systemctl says of a service: `loaded active running`, … */
  state(service: string, state: string): void;
  /** Every systemctl call so far, one argument string each. */
  calls(): string[];
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), "quadlet-manage-"));
  const bin = join(root, "bin");
  const stateDir = join(root, "state");
  const runDir = join(root, "run-systemd-system");
  const log = join(root, "systemctl.log");
  mkdirSync(bin);
  mkdirSync(stateDir);
  writeFileSync(join(bin, "systemctl"), FAKE_SYSTEMCTL);
  chmodSync(join(bin, "systemctl"), 0o755);
  const installDir = join(root, "install");
  const env: Record<string, string> = {
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: join(root, "home"),
    QUADLET_INSTALL_DIR: installDir,
    QUADLET_SYSTEMD_RUN_DIR: runDir,
    FAKE_SYSTEMCTL_LOG: log,
    FAKE_SYSTEMCTL_STATE: stateDir,
  };
  return {
    root,
    installDir,
    env,
    systemd: (running) => (running ? mkdirSync(runDir, { recursive: true }) : rmSync(runDir, { recursive: true, force: true })),
    state: (service, state) => writeFileSync(join(stateDir, service), state + "\n"),
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `quadlet NAME args…` in-process; relative paths are taken from the fixtures. */
export async function quadlet(box: Sandbox, name: string, args: readonly string[], opts: { uid?: number; cwd?: string; env?: Record<string, string> } = {}): Promise<Result> {
  const command = ({ install, list, print, rm } as Record<string, Subcommand>)[name];
  if (!command) throw new Error(`no subcommand ${name}`);
  let stdout = "";
  let stderr = "";
  const ctx: CommandContext = {
    fs: hostFs,
    env: { ...box.env, ...opts.env },
    uid: opts.uid ?? 0,
    cwd: opts.cwd ?? FIXTURES,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  };
  const status = await command(args, ctx);
  return { status, stdout, stderr };
}

/** The lines of `text`, without the empty last one. */
export function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}
