/**
 * `quadlet print NAME` (also `quadlet cat`): the quadlet file as the generator reads it, with
 * its drop-ins. A file without drop-ins is printed as it is; with drop-ins, each file is
 * headed by a `# PATH` line, as `systemctl cat` does.
 */
import type { Subcommand } from "./context.js";
import { parseFlags, usageText, UsageError, type FlagSpec } from "../manage/args.js";
import { scopeOf, type Scope } from "../manage/dirs.js";
import { dropinsOf, takeInventory } from "../manage/inventory.js";
import { unitExtensionOf } from "../parser/discover.js";

const FLAGS: readonly FlagSpec[] = [{ name: "user", kind: "bool", help: "look among the current user's quadlets; the default for any user but root" }];
const SYNOPSIS = "quadlet print [-user] NAME...";
const SUMMARY = "Prints an installed quadlet file (NAME such as web.container) and its drop-ins.";

export const run: Subcommand = (args, ctx) => {
  let flags;
  let scope: Scope;
  try {
    flags = parseFlags("print", args, FLAGS);
    if (flags.help) {
      ctx.stdout(usageText(SYNOPSIS, SUMMARY, FLAGS));
      return 0;
    }
    if (flags.positional.length === 0) throw new UsageError("give the name of a quadlet, such as web.container");
    for (const name of flags.positional) {
      if (!unitExtensionOf(name) || name.includes("/")) throw new UsageError(`"${name}" is not a quadlet name; give a file name such as web.container`);
    }
    scope = scopeOf(ctx, flags.bools.get("user")!);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    ctx.stderr(`quadlet print: ${err.message}\n`);
    return 2;
  }
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
