/**
 * `quadlet install [-user] [--replace] [--force] [--application NAME] [--reload-systemd=BOOL] SOURCE…`:
 * copies quadlet files into the install directory after checking that they compile there.
 */
import type { CommandContext, Subcommand } from "./context.js";
import { UsageError, type FlagSpec } from "../manage/args.js";
import { startManaging, type ManageCommand } from "../manage/start.js";
import { ROOT_INSTALL_DIR } from "../manage/dirs.js";
import { diagnosticLines } from "../manage/inventory.js";
import { checkGroups, type CheckedGroup } from "../manage/plan.js";
import { fileNameProblem } from "../manage/quadlets.js";
import { gatherSources } from "../manage/sources.js";
import { reloadAfterChange, Systemctl } from "../manage/systemctl.js";
import { writeAll } from "../manage/write.js";
import { unitExtensionOf } from "../parser/discover.js";

const FLAGS: readonly FlagSpec[] = [
  { name: "user", kind: "bool", help: "install for the current user (~/.config/containers/systemd); the default for any user but root" },
  { name: "application", kind: "string", value: "NAME", help: "install every SOURCE into the subdirectory NAME, as one application (needed for a directory)" },
  { name: "replace", short: "r", kind: "bool", help: "overwrite files that are already installed" },
  { name: "force", short: "f", kind: "bool", help: "install units even when they have errors" },
  { name: "reload-systemd", kind: "bool", default: true, help: "run systemctl daemon-reload afterwards" },
];

const SYNOPSIS = "quadlet install [-user] [--application NAME] [--replace] [--force] [--reload-systemd=false] SOURCE...";
const SUMMARY = `Installs quadlet files: SOURCE is a quadlet file, a directory (an application), a .quadlets
file holding several units, or an http(s) URL of one; files that are not quadlets may follow.
Every unit is checked as it will be installed; one with errors is not installed.`;

/** Why `name` cannot be an application's name, or undefined. */
function applicationProblem(name: string): string | undefined {
  const plain = fileNameProblem(name);
  if (plain) return plain;
  if (unitExtensionOf(name) || name.endsWith(".quadlets")) return "it ends in a quadlet extension, which would make it look like a unit";
  if (name.endsWith(".d")) return 'it ends in ".d", which the generator reads as a drop-in directory';
  return undefined;
}

const COMMAND: ManageCommand<void> = {
  name: "install",
  flags: FLAGS,
  synopsis: SYNOPSIS,
  summary: SUMMARY,
  check(flags) {
    if (flags.positional.length === 0) throw new UsageError("nothing to install: give a quadlet file, a directory, a .quadlets file or a URL");
    const app = flags.strings.get("application");
    const problem = app === undefined ? undefined : applicationProblem(app);
    if (problem) throw new UsageError(`--application ${app} is refused: ${problem}`);
  },
  checkScope(flags, scope) {
    if (flags.strings.get("application") === "users" && scope.installDir === ROOT_INSTALL_DIR) {
      throw new UsageError(`--application users is refused: ${ROOT_INSTALL_DIR}/users holds users' quadlets, which root's generator does not read`);
    }
  },
};

export const run: Subcommand = async (args, ctx) => {
  const started = startManaging(COMMAND, args, ctx);
  if (typeof started === "number") return started;
  const { flags, scope } = started;
  const application = flags.strings.get("application");
  const replace = flags.bools.get("replace")!;
  const groups = await gatherSources(flags.positional, ctx, application ? { application } : {});
  const checked = checkGroups(ctx, scope, groups, { replace, force: flags.bools.get("force")! });

  let failed = false;
  let wrote = 0;
  for (const c of checked) {
    report(ctx, c);
    if (c.problems.length) {
      failed = true;
      continue;
    }
    try {
      const paths = writeAll(ctx.fs, c.targets.map((t) => ({ path: t.path, data: t.file.data })), replace);
      for (const p of paths) ctx.stdout(p + "\n");
      wrote += paths.length;
      if (c.hasErrors) ctx.stderr(`quadlet install: ${c.group.label}: installed with errors (--force); the generator will not make those units\n`);
    } catch (err) {
      failed = true;
      ctx.stderr(`quadlet install: ${c.group.label}: not installed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  if (wrote > 0 && flags.bools.get("reload-systemd") && !reloadAfterChange(ctx, new Systemctl(ctx, scope.user), "install")) failed = true;
  return failed ? 1 : 0;
};

/** Prints what checking the group found: diagnostics compiler-style, then notes and refusals. */
function report(ctx: CommandContext, c: CheckedGroup): void {
  let text = "";
  for (const line of c.loadErrors) text += line + "\n";
  for (const d of c.diagnostics) text += diagnosticLines(d);
  for (const note of c.notes) text += `quadlet install: note: ${note}\n`;
  for (const problem of c.problems) text += `quadlet install: ${problem}\n`;
  if (text) ctx.stderr(text);
}
