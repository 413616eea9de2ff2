/**
 * How install, list, print and rm begin: their flags parsed, `--help` answered, their own
 * checks of the arguments run, and the install directory worked out; a mistake in any of it
 * is one line on stderr and exit status 2.
 */
import type { CommandContext } from "../commands/context.js";
import { parseFlags, usageText, UsageError, type FlagSpec, type Parsed } from "./args.js";
import { scopeOf, type Scope } from "./dirs.js";

export interface ManageCommand<T> {
  readonly name: string;
  readonly flags: readonly FlagSpec[];
  readonly synopsis: string;
  readonly summary: string;
  /** Checks the arguments (throws UsageError); returns what the command reads from them. */
  check(flags: Parsed): T;
  /** Checks that need the install directory, after `check`. */
  checkScope?(flags: Parsed, scope: Scope, checked: T): void;
}

export interface Started<T> {
  readonly flags: Parsed;
  readonly scope: Scope;
  readonly checked: T;
}

/** The parsed arguments and install directory, or the exit status when the command is already done. */
export function startManaging<T>(command: ManageCommand<T>, args: readonly string[], ctx: CommandContext): Started<T> | number {
  try {
    const flags = parseFlags(command.name, args, command.flags);
    if (flags.help) {
      ctx.stdout(usageText(command.synopsis, command.summary, command.flags));
      return 0;
    }
    const checked = command.check(flags);
    const scope = scopeOf(ctx, flags.bools.get("user")!);
    command.checkScope?.(flags, scope, checked);
    return { flags, scope, checked };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    ctx.stderr(`quadlet ${command.name}: ${err.message}\n`);
    return 2;
  }
}
