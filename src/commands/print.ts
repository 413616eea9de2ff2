/**
 * `quadlet print NAME` (also `quadlet cat`): the quadlet file as the generator reads it, with
 * its drop-ins. A file without drop-ins is printed as it is; with drop-ins, each file is
 * headed by a `# PATH` line, as `systemctl cat` does.
 */
import type { Subcommand } from "./context.js";
import { UsageError, type FlagSpec } from "../manage/args.js";
import { startManaging, type ManageCommand } from "../manage/start.js";
import { dropinsOf, takeInventory } from "../manage/inventory.js";
import { unitExtensionOf } from "../parser/discover.js";

const FLAGS: readonly FlagSpec[] = [{ name: "user", kind: "bool", help: "look among the current user's quadlets; the default for any user but root" }];
const SYNOPSIS = "quadlet print [-user] NAME...";
const SUMMARY = "Prints an installed quadlet file (NAME such as web.container) and its drop-ins.";

const COMMAND: ManageCommand<void> = {
  name: "print",
  flags: FLAGS,
  synopsis: SYNOPSIS,
  summary: SUMMARY,
  check(flags) {
    if (flags.positional.length === 0) throw new UsageError("give the name of a quadlet, such as web.container");
    for (const name of flags.positional) {
      if (!unitExtensionOf(name) || name.includes("/")) throw new UsageError(`"${name}" is not a quadlet name; give a file name such as web.container`);
    }
  },
};

export const run: Subcommand = (args, ctx) => {
  const started = startManaging(COMMAND, args, ctx);
  if (typeof started === "number") return started;
  const { flags, scope } = started;
  const inventory = takeInventory(ctx, scope);
  let status = 0;
  const headed = flags.positional.length > 1;
  let printed = false;
  for (const name of flags.positional) {
    const u = inventory.units.find((x) => x.name === name);
    if (!u) {
      ctx.stderr(`quadlet print: no quadlet named ${name} in ${inventory.searchPaths.join(", ")}\n`);
      status = 1;
      continue;
    }
    const files = [u.path, ...dropinsOf(u)];
    let text = "";
    for (const file of files) {
      let body: string;
      try {
        body = new TextDecoder().decode(ctx.fs.readFile(file));
      } catch (err) {
        ctx.stderr(`quadlet print: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
        status = 1;
        continue;
      }
      if (headed || files.length > 1) text += `${printed ? "\n" : ""}# ${file}\n`;
      printed = true;
      text += body.endsWith("\n") || body === "" ? body : body + "\n";
    }
    ctx.stdout(text);
  }
  return status;
};
