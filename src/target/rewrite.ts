/**
 * The equivalents an older podman has for what quadlet writes for the newest one:
 *
 * - `--dns-option` is `--dns-opt` before 4.3 (run and pod create). 4.3 made `--dns-opt` an
 *   alias, so the old name works everywhere.
 * - `podman kube play` is `podman play kube` before 4.3, and `podman kube down FILE` is
 *   `podman play kube --down FILE`. (`play kube --replace` exists from 4.0, and the service
 *   container a .kube unit needs from 4.2, so no older `play kube` can run such a unit:
 *   the check after the rewrite says so.)
 * - `volume create --ignore` and `network create --ignore` (which make a second start
 *   succeed when the object exists) arrived in 4.4. Without them the line becomes
 *
 *       /bin/sh -c "'podman' 'volume' 'inspect' 'NAME' >/dev/null 2>&1 || exec \"$$@\"" sh podman volume create … NAME
 *
 *   The shell runs `inspect`, which every podman has, and only when the object is missing
 *   does it become the original `create` (passed as arguments, so nothing of it is quoted
 *   again). It was chosen over `ExecStart=-…`, which would hide every failure, and over an
 *   ExecCondition=, which would skip the rest of the service too, and it keeps podman's
 *   own error and exit status when `create` fails. The inspect words are single-quoted for
 *   the shell; systemd still expands `%` specifiers and `${VAR}` in them first, as it does
 *   in the original line (`$$` is systemd's escape for `$`).
 */
import { quoteWord } from "../parser/quote.js";
import { commandWordsOf, scanFlags, type PodmanLine } from "./command-line.js";
import { flagFact, flagWorks, hasSince, PODMAN_FACTS } from "./query.js";
import type { PodmanVersion } from "./version.js";

export interface Rewritten {
  line: PodmanLine;
  changed: boolean;
  /** The whole Exec value, when it is no longer a plain podman line (the shell guard). */
  value?: string;
}

export function rewriteForTarget(line: PodmanLine, target: PodmanVersion): Rewritten {
  let out = line;
  let changed = false;
  const step = (next: PodmanLine | undefined): void => {
    if (next) {
      out = next;
      changed = true;
    }
  };
  step(oldDnsOption(out, target));
  step(playKube(out, target));
  const guarded = withoutIgnore(out, target);
  if (guarded) return { line: guarded, changed: true, value: shellGuard(guarded) };
  return { line: out, changed };
}

function works(command: string, flag: string, target: PodmanVersion): boolean {
  const fact = flagFact(command, flag);
  const c = PODMAN_FACTS.commands[command];
  return fact !== undefined && c !== undefined && flagWorks(target, fact, c.since);
}

function oldDnsOption(line: PodmanLine, target: PodmanVersion): PodmanLine | undefined {
  if (line.command !== "run" && line.command !== "pod create") return undefined;
  if (works(line.command, "--dns-option", target) || !works(line.command, "--dns-opt", target)) return undefined;
  const flags = scanFlags(line.command, line.args).filter((f) => f.name === "--dns-option");
  if (flags.length === 0) return undefined;
  const args = line.args.slice();
  for (const f of flags) args[f.start] = args[f.start]!.replace(/^--dns-option/, "--dns-opt");
  return { ...line, args };
}

function playKube(line: PodmanLine, target: PodmanVersion): PodmanLine | undefined {
  const old = PODMAN_FACTS.commands["play kube"];
  if (!old || !hasSince(target, old.since)) return undefined;
  if (line.command === "kube play" && !hasSince(target, PODMAN_FACTS.commands["kube play"]!.since)) {
    return { ...line, command: "play kube", commandWords: ["play", "kube"] };
  }
  if (line.command === "kube down" && !hasSince(target, PODMAN_FACTS.commands["kube down"]!.since)) {
    return { ...line, command: "play kube", commandWords: ["play", "kube"], args: ["--down", ...line.args] };
  }
  return undefined;
}

function withoutIgnore(line: PodmanLine, target: PodmanVersion): PodmanLine | undefined {
  if (line.command !== "volume create" && line.command !== "network create") return undefined;
  if (works(line.command, "--ignore", target)) return undefined;
  const ignore = scanFlags(line.command, line.args).filter((f) => f.name === "--ignore");
  if (ignore.length === 0) return undefined;
  const drop = new Set(ignore.map((f) => f.start));
  return { ...line, args: line.args.filter((_, i) => !drop.has(i)) };
}

/** `'word'` for the shell: only `'` itself needs care inside single quotes. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `create` line run only when `inspect` finds no such object; see the file's comment. */
function shellGuard(line: PodmanLine): string {
  const name = line.args[line.args.length - 1] ?? "";
  const inspect = [line.exe, ...line.globals, line.commandWords[0]!, "inspect", name].map(shellQuote).join(" ");
  const script = `${inspect} >/dev/null 2>&1 || exec "$$@"`;
  return `${line.prefix}/bin/sh -c ${quoteWord(script)} sh ${[line.exe, ...commandWordsOf(line)].map(quoteWord).join(" ")}`;
}
