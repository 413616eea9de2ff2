import { podmanVersionArg, readArgs, UsageError } from "../cli.js";
import type { CommandContext } from "../commands/context.js";
import type { PodmanVersion } from "../target/version.js";

/**
 * The command line of `verify`, `explain` and `graph`: the generator's `-user` flag, Go-style
 * or GNU-style like the generator's own, `--format`, `-podman-version` where the subcommand
 * compiles units, and the flags each subcommand adds.
 */

export interface CommandArgs {
  user: boolean;
  help: boolean;
  format: string;
  /** `-podman-version X.Y[.Z]`, when given: the podman release to check the units for. */
  podmanVersion?: PodmanVersion;
  /** Boolean flags the subcommand accepts beyond -user and -help (`strict`), when given. */
  flags: Set<string>;
  positional: string[];
}

/** Thrown for arguments a subcommand does not understand: exit status 2. */
export class ArgsError extends Error {
  override name = "ArgsError";
}

export interface ArgsSpec {
  /** The accepted --format values, the first one the default. */
  formats: readonly string[];
  /** Extra boolean flags, without dashes. */
  booleans?: readonly string[];
  /** Whether `-podman-version X.Y[.Z]` is accepted, as the generator accepts it. */
  podmanVersion?: boolean;
}

/** What a subcommand's start needs: its name, its usage and a check of its positional arguments. */
export interface CommandSpec extends ArgsSpec {
  name: string;
  /** The usage lines, each ending in a newline. */
  usage: string;
  /** More text for --help, after the usage. */
  help?: string;
  /** Throws ArgsError for positional arguments the subcommand cannot take. */
  check?(positional: readonly string[]): void;
}

/**
 * Parses a subcommand's arguments. For --help, prints the usage and gives status 0; for a
 * mistake, prints it with the usage on stderr and gives status 2.
 */
export function startCommand(args: readonly string[], spec: CommandSpec, ctx: CommandContext): CommandArgs | number {
  let parsed: CommandArgs;
  try {
    parsed = parseCommandArgs(args, spec);
    if (!parsed.help) spec.check?.(parsed.positional);
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    ctx.stderr(`quadlet ${spec.name}: ${err.message}\n${spec.usage}`);
    return 2;
  }
  if (!parsed.help) return parsed;
  ctx.stdout(spec.usage + (spec.help ?? ""));
  return 0;
}

/** Parses a subcommand's arguments (after its name). */
export function parseCommandArgs(args: readonly string[], spec: ArgsSpec): CommandArgs {
  const out: CommandArgs = { user: false, help: false, format: spec.formats[0]!, flags: new Set(), positional: [] };
  readArgs(
    args,
    (f) => {
      if (f.name === "format") {
        const value = f.value();
        if (value === undefined || !spec.formats.includes(value)) throw new ArgsError(`--format takes one of ${spec.formats.join(", ")}`);
        out.format = value;
      } else if (f.name === "podman-version" && spec.podmanVersion) {
        out.podmanVersion = versionArg(f.value());
      } else if (f.name === "user" || f.name === "help" || f.name === "h" || spec.booleans?.includes(f.name)) {
        if (f.inline !== undefined) throw new ArgsError(`${f.arg}: the flag -${f.name} takes no value`);
        if (f.name === "user") out.user = true;
        else if (f.name === "help" || f.name === "h") out.help = true;
        else out.flags.add(f.name);
      } else {
        throw new ArgsError(`unknown flag ${f.arg}`);
      }
    },
    (word) => out.positional.push(word),
  );
  return out;
}

/** The generator's reading of `-podman-version`, its mistakes reported as this command's. */
function versionArg(text: string | undefined): PodmanVersion {
  try {
    return podmanVersionArg(text);
  } catch (err) {
    if (err instanceof UsageError) throw new ArgsError(err.message);
    throw err;
  }
}
