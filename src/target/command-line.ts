/**
 * A generated `Exec…=` line read back as a podman command: the executable, the global
 * flags, the subcommand as the facts name it (`kube play`), and its arguments, each flag
 * found with its value. Then written out again, quoted as quadlet quotes its own lines.
 */
import { quoteWord } from "../parser/quote.js";
import { splitArgs } from "../parser/words.js";
import type { FlagFact } from "./facts.js";
import { flagFact, PODMAN_FACTS, shortFlags } from "./query.js";

/** One podman invocation in an Exec line. */
export interface PodmanLine {
  /** systemd's prefix characters (`-`, `@`, `+`, `!`, `:`, `|`) before the executable. */
  prefix: string;
  exe: string;
  globals: string[];
  /** The subcommand as the facts name it: `run`, `volume create`, `kube play`. */
  command: string;
  /** The subcommand as written (`["kube", "play"]`). */
  commandWords: string[];
  args: string[];
}

/** A flag found in a word list: its long name, its value if any, and the words it spans. */
export interface FoundFlag {
  name: string;
  value: string | undefined;
  /** Index of its first word and one past its last. */
  start: number;
  end: number;
  /** Its facts; undefined for a flag the facts do not know (then nothing is said about it). */
  fact: FlagFact | undefined;
  /** The command whose table holds it: the subcommand, or `(global)` for a persistent flag. */
  table: string;
}

const PREFIX = /^[-@+!:|]*/;
const GLOBAL = "(global)";

/** Reads an Exec value as a podman command, or undefined when it runs something else. */
export function readPodmanLine(value: string, podman: string): PodmanLine | undefined {
  const prefix = PREFIX.exec(value)![0];
  let words: string[];
  try {
    words = splitArgs(value.slice(prefix.length));
  } catch {
    return undefined;
  }
  if (words[0] !== podman) return undefined;
  const rest = words.slice(1);
  const globals = scanFlags(GLOBAL, rest, true);
  const at = globals.length ? globals[globals.length - 1]!.end : 0;
  for (const width of [2, 1]) {
    const commandWords = rest.slice(at, at + width);
    const command = commandWords.join(" ");
    if (commandWords.length === width && Object.hasOwn(PODMAN_FACTS.commands, command) && command !== GLOBAL) {
      return { prefix, exe: podman, globals: rest.slice(0, at), command, commandWords, args: rest.slice(at + width) };
    }
  }
  return undefined;
}

/** podman's run, create and exec stop reading flags at the first other word (the image). */
const NOT_INTERSPERSED = new Set(["run", "exec"]);

/**
 * The flags in `words` for `command`. Flags of the command's own table come first, then the
 * persistent global ones (accepted after a subcommand too). A value-taking flag takes the
 * next word unless written `--flag=value`.
 */
export function scanFlags(command: string, words: readonly string[], stopAtWord = NOT_INTERSPERSED.has(command)): FoundFlag[] {
  const found: FoundFlag[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "--") break;
    if (w.startsWith("--")) {
      const eq = w.indexOf("=");
      const name = eq === -1 ? w : w.slice(0, eq);
      const [fact, table] = lookup(command, name);
      let value = eq === -1 ? undefined : w.slice(eq + 1);
      const start = i;
      if (value === undefined && fact && (fact[1] & 3) === 1 && i + 1 < words.length) value = words[++i];
      found.push({ name, value, start, end: i + 1, fact, table });
    } else if (w.length > 1 && w.startsWith("-")) {
      i = scanShortFlags(command, words, i, found);
    } else if (stopAtWord) {
      break;
    }
  }
  return found;
}

function lookup(command: string, name: string): [FlagFact | undefined, string] {
  const own = flagFact(command, name);
  if (own || command === GLOBAL) return [own, command];
  const global = flagFact(GLOBAL, name);
  // A global flag accepted only before the subcommand is not one after it.
  return global && (global[1] & 4) === 0 ? [global, GLOBAL] : [undefined, command];
}

/** `-d`, `-dit`, `-v/a:/b`: one letter each, the first that takes a value ends the word. */
function scanShortFlags(command: string, words: readonly string[], i: number, found: FoundFlag[]): number {
  const w = words[i]!;
  const start = i;
  for (let j = 1; j < w.length; j++) {
    const entry = shortFlags(command).get(w[j]!) ?? (command === GLOBAL ? undefined : shortFlags(GLOBAL).get(w[j]!));
    if (!entry) {
      found.push({ name: `-${w[j]}`, value: undefined, start, end: i + 1, fact: undefined, table: command });
      return i;
    }
    const [name, fact] = entry;
    const table = flagFact(command, name) === fact ? command : GLOBAL;
    if ((fact[1] & 3) === 1) {
      const value = j + 1 < w.length ? w.slice(j + 1) : words[++i];
      found.push({ name, value, start, end: i + 1, fact, table });
      return i;
    }
    found.push({ name, value: undefined, start, end: i + 1, fact, table });
  }
  return i;
}

/** The words after the executable: globals, subcommand, arguments. */
export function commandWordsOf(line: PodmanLine): string[] {
  return [...line.globals, ...line.commandWords, ...line.args];
}

/** The Exec value of a line, quoted as quadlet quotes the lines it writes. */
export function renderPodmanLine(line: PodmanLine): string {
  return line.prefix + [line.exe, ...commandWordsOf(line)].map(quoteWord).join(" ");
}
