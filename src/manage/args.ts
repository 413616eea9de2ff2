/**
 * A small flag parser for the managing subcommands (`install`, `list`, `print`, `rm`).
 *
 * It accepts flags the way podman's users and quadlet's own generator write them: GNU style
 * (`--replace`, `-r`, `--format=json`, `--format json`), Go style with one dash (`-user`,
 * `-replace`), and booleans given a value (`--reload-systemd=false`), which, as in Go's flag
 * package, must be joined with `=`, so a boolean never swallows the next argument.
 */

/** Bad arguments: the command prints the message and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface FlagSpec {
  /** The long name, without dashes: `reload-systemd`. */
  readonly name: string;
  readonly short?: string;
  /** `bool`: on/off; `string`: one value (the last wins); `list`: every value, in order. */
  readonly kind: "bool" | "string" | "list";
  readonly help: string;
  /** Shown after the flag in the help: `NAME`, `FILTER`. */
  readonly value?: string;
  /** The default of a bool flag (false unless said). */
  readonly default?: boolean;
}

export interface Parsed {
  readonly bools: ReadonlyMap<string, boolean>;
  readonly strings: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly positional: readonly string[];
  readonly help: boolean;
}

const TRUE_WORDS = new Set(["1", "t", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "f", "false", "no", "off"]);

function boolValue(flag: string, text: string): boolean {
  const v = text.toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  throw new UsageError(`invalid value "${text}" for ${flag}: use true or false`);
}

/** Parses `args` against `specs`; `--help`/`-h` are always known. */
export function parseFlags(command: string, args: readonly string[], specs: readonly FlagSpec[]): Parsed {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const bools = new Map<string, boolean>();
  const strings = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const positional: string[] = [];
  let help = false;
  for (const s of specs) if (s.kind === "bool") bools.set(s.name, s.default ?? false);

  const take = (spec: FlagSpec, shown: string, inline: string | undefined, next: () => string | undefined): void => {
    if (spec.kind === "bool") {
      bools.set(spec.name, inline === undefined ? true : boolValue(shown, inline));
      return;
    }
    const value = inline ?? next();
    if (value === undefined) throw new UsageError(`${shown} needs a value`);
    if (spec.kind === "string") strings.set(spec.name, value);
    else lists.set(spec.name, [...(lists.get(spec.name) ?? []), value]);
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = (): string | undefined => (i + 1 < args.length ? args[++i] : undefined);
    if (arg === "--") {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq === -1 ? body : body.slice(0, eq);
    const inline = eq === -1 ? undefined : body.slice(eq + 1);
    if (name === "help" || name === "h") {
      help = true;
      continue;
    }
    // `--name`, or Go style `-name`; a single letter is a short flag (`-r`, `-f json`).
    const spec = name.length === 1 && !arg.startsWith("--") ? byShort.get(name) : byName.get(name);
    if (!spec) throw new UsageError(`unknown flag ${arg}; run quadlet ${command} --help for the list`);
    take(spec, arg.startsWith("--") ? `--${name}` : `-${name}`, inline, next);
  }
  return { bools, strings, lists, positional, help };
}

/** The help text of a subcommand: its synopsis, what it does, and each flag. */
export function usageText(synopsis: string, summary: string, specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const names = (s.short ? `-${s.short}, ` : "    ") + `--${s.name}` + (s.kind === "bool" ? "" : `=${s.value ?? "VALUE"}`);
    return [names, s.help + (s.kind === "bool" && s.default ? " (default true; --" + s.name + "=false to turn off)" : "")] as const;
  });
  rows.push(["-h, --help", "print this help"]);
  const width = Math.max(...rows.map(([n]) => n.length)) + 2;
  const lines = rows.map(([n, h]) => `  ${n.padEnd(width)}${h}`);
  return `Usage: ${synopsis}\n\n${summary}\n\nOptions:\n${lines.join("\n")}\n`;
}
