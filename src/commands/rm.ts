/**
 * `quadlet rm [-user] [--all] [--force] [--ignore] [--recursive] [--reload-systemd=BOOL] NAME…`:
 * removes installed quadlets and applications from the install directory. A running service
 * is stopped first, and only with --force.
 */
import type { CommandContext, Subcommand } from "./context.js";
import { UsageError, type FlagSpec } from "../manage/args.js";
import { startManaging, type ManageCommand } from "../manage/start.js";
import { takeInventory } from "../manage/inventory.js";
import { planRemoval, removeTree, type Removal } from "../manage/remove.js";
import { isRunning, reloadAfterChange, Systemctl } from "../manage/systemctl.js";

const FLAGS: readonly FlagSpec[] = [
  { name: "user", kind: "bool", help: "remove the current user's quadlets; the default for any user but root" },
  { name: "all", short: "a", kind: "bool", help: "remove every installed quadlet (applications too, with --recursive)" },
  { name: "force", short: "f", kind: "bool", help: "stop running services first, instead of refusing to remove them" },
  { name: "ignore", short: "i", kind: "bool", help: "do not fail for names that are not installed" },
  { name: "recursive", kind: "bool", help: "remove applications, with every file in them" },
  { name: "reload-systemd", kind: "bool", default: true, help: "run systemctl daemon-reload afterwards" },
];
const SYNOPSIS = "quadlet rm [-user] [--all] [--force] [--ignore] [--recursive] [--reload-systemd=false] NAME...";
const SUMMARY = "Removes installed quadlets (NAME such as web.container) and applications (NAME of a subdirectory).";

const COMMAND: ManageCommand<void> = {
  name: "rm",
  flags: FLAGS,
  synopsis: SYNOPSIS,
  summary: SUMMARY,
  check(flags) {
    const all = flags.bools.get("all");
    if (all && flags.positional.length) throw new UsageError("give names or --all, not both");
    if (!all && flags.positional.length === 0) throw new UsageError("give the quadlets or applications to remove, or --all");
  },
};

export const run: Subcommand = (args, ctx) => {
  const started = startManaging(COMMAND, args, ctx);
  if (typeof started === "number") return started;
  const { flags, scope } = started;
  const plan = planRemoval(ctx.fs, scope, takeInventory(ctx, scope), flags.positional, {
    all: flags.bools.get("all")!,
    ignore: flags.bools.get("ignore")!,
    recursive: flags.bools.get("recursive")!,
  });
  const errors = [...plan.errors];
  const systemctl = new Systemctl(ctx, scope.user);
  const removals = stopOrRefuse(ctx, systemctl, plan.removals, flags.bools.get("force")!, errors);
  let removed = 0;
  for (const r of removals) {
    try {
      for (const p of r.paths) removeTree(ctx.fs, scope.installDir, p);
      for (const u of r.units) ctx.stdout(u.name + "\n");
      removed++;
    } catch (err) {
      errors.push(`${r.name}: not fully removed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const e of errors) ctx.stderr(`quadlet rm: ${e}\n`);
  let ok = errors.length === 0;
  if (removed > 0 && flags.bools.get("reload-systemd") && !reloadAfterChange(ctx, systemctl, "rm")) ok = false;
  return ok ? 0 : 1;
};

/**
 * The removals that may go ahead: those whose services are not running, and, with --force,
 * those whose running services were stopped. The others are refused, with the reason in `errors`.
 */
function stopOrRefuse(ctx: CommandContext, systemctl: Systemctl, removals: readonly Removal[], force: boolean, errors: string[]): Removal[] {
  if (removals.length === 0) return [];
  if (!systemctl.running) {
    ctx.stderr("quadlet rm: systemd is not running here, so no service needs stopping\n");
    return [...removals];
  }
  const states = systemctl.show(removals.flatMap((r) => r.units.map((u) => u.serviceFile)));
  if (!(states instanceof Map)) {
    errors.push(`cannot tell which services are running (${systemctl.name} show failed: ${states.problem}); nothing was removed`);
    return [];
  }
  const go: Removal[] = [];
  const toStop: string[] = [];
  for (const r of removals) {
    const running = r.units.map((u) => u.serviceFile).filter((s) => isRunning(states.get(s)));
    if (running.length && !force) {
      errors.push(`${r.name} is not removed: ${running.join(", ")} ${running.length > 1 ? "are" : "is"} running; stop ${running.length > 1 ? "them" : "it"} first, or use --force`);
      continue;
    }
    toStop.push(...running);
    go.push(r);
  }
  if (toStop.length) {
    const stopped = systemctl.stop(toStop);
    if (!stopped.ok) {
      errors.push(`${systemctl.name} stop ${toStop.join(" ")} failed: ${stopped.problem}; nothing that was running is removed`);
      return go.filter((r) => !r.units.some((u) => toStop.includes(u.serviceFile)));
    }
  }
  return go;
}
