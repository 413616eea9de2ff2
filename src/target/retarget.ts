/**
 * Makes a generated service work with an older podman, as one pass over the finished
 * service: every `Exec…=` line quadlet wrote that runs podman is read back into words, and
 * each flag and value is checked against what the target release accepts. Where the target
 * has an equivalent, the line is rewritten to it (see rewrite.ts); where it has none, the
 * key that asked for it is an error, with its file and line. Flags a user passed through
 * PodmanArgs= or GlobalArgs= that the target lacks are warnings: podman will say more.
 *
 * Loaded only when the target is older than the newest podman.
 */
import type { Diagnostic } from "../analysis/diagnostic.js";
import type { GeneratedService } from "../generator/model.js";
import type { UnitInfo } from "../generator/unit-type.js";
import type { UnitFile, UnitLine } from "../parser/unitfile.js";
import { splitArgs } from "../parser/words.js";
import { readPodmanLine, renderPodmanLine, scanFlags, type FoundFlag, type PodmanLine } from "./command-line.js";
import { flagFact, flagWorks, hasSince, later, PODMAN_FACTS, releaseBound } from "./query.js";
import { rewriteForTarget } from "./rewrite.js";
import { valueSince } from "./values.js";
import type { PodmanTarget } from "./version.js";

/** Codes of the diagnostics this pass makes; `man quadlet` documents them. */
export const TARGET_CODES = {
  /** A key asks for a flag or value the target podman lacks. */
  keyNeedsNewer: "QL0901",
  /** A unit type needs something of podman the target lacks, whatever its keys. */
  unitNeedsNewer: "QL0902",
  /** PodmanArgs= or GlobalArgs= passes a flag the target podman lacks. */
  passedFlagMissing: "QL0903",
} as const;

/** Something a podman line needs that the target lacks. */
export interface Lack {
  /** The subcommand as quadlet wrote it (`kube play`), for finding the key that made the flag. */
  command: string;
  /** The subcommand as the target is asked to run it (`play kube`), for messages. */
  writtenAs: string;
  /** The flag, or "" for the subcommand itself. */
  flag: string;
  /** The value, when only this value is missing. */
  value?: string;
  /** The first release that has it. */
  since: string;
  /** Set when the target is too new: the flag was removed in this release. */
  removedIn?: string;
  /** Set when the flag is given more than once, which the target reads as only the last one. */
  repeated?: boolean;
}

export interface RetargetResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

const EXEC_KEY = /^Exec[A-Z]/;

/** Rewrites `service` for `target` in place; returns what could not be made to work. */
export function retargetService(service: GeneratedService, info: UnitInfo, podman: string, target: PodmanTarget): RetargetResult {
  const result: RetargetResult = { errors: [], warnings: [] };
  const seen = new Set<string>();
  const unitLacks: Lack[] = [];
  const group = service.unit.group("Service");
  if (!group) return result;
  const lines = group.lines;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Lines with an origin are the user's own [Service] lines: theirs to keep.
    if (line.isComment || line.origin || !EXEC_KEY.test(line.key)) continue;
    if (!mayLack(line.value, target)) continue;
    const parsed = readPodmanLine(line.value, podman);
    if (!parsed) continue;
    const origCommand = parsed.command;
    const rewritten = rewriteForTarget(parsed, target.version);
    for (const lack of lacksOf(rewritten.line, origCommand, target)) {
      const d = diagnose(lack, info, target);
      if (!d) {
        unitLacks.push(lack);
        continue;
      }
      const id = `${d.severity}|${d.file}|${d.line}|${d.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      (d.severity === "error" ? result.errors : result.warnings).push(d);
    }
    if (rewritten.changed) lines[i] = { key: line.key, value: rewritten.value ?? renderPodmanLine(rewritten.line), isComment: false };
  }
  if (unitLacks.length) result.errors.unshift(unitError(unitLacks, info.unit, target));
  return result;
}

/**
 * What can make a line need the pass at `target`, as text to look for: the subcommands the
 * target lacks, and each long flag it lacks (or lacks some values of) with the subcommand
 * it belongs to. A line that holds none of them is left as it is without reading it back
 * into words, which is most lines on a recent podman. `undefined` means every line must be
 * read (a one-letter flag or a flag's repetition is at stake, which no text search rules out).
 */
function needlesFor(target: PodmanTarget): readonly Needle[] | undefined {
  if (needleCache.has(target.version)) return needleCache.get(target.version);
  const needles: Needle[] = [];
  let everyLine = false;
  // A lack a text search can find by its long flag, or else by its subcommand's words alone.
  const add = (command: string, flag: string, hasShort: boolean): void => {
    const within = command === GLOBAL_TABLE ? "" : ` ${command} `;
    if (!hasShort) needles.push({ within, text: flag });
    else if (within) needles.push({ within: "", text: within });
    else everyLine = true;
  };
  for (const [command, facts] of Object.entries(PODMAN_FACTS.commands)) {
    if (command !== GLOBAL_TABLE && !hasSince(target.version, facts.since)) needles.push({ within: "", text: ` ${command} ` });
    for (const [flag, fact] of Object.entries(facts.flags)) {
      if (!flagWorks(target.version, fact, facts.since)) add(command, flag, Boolean(fact[2]));
    }
  }
  for (const [rule, since] of Object.entries(PODMAN_FACTS.repeatable)) {
    if (hasSince(target.version, since)) continue;
    const [command, flag] = splitRule(rule);
    add(command, flag, Boolean(flagFact(command, flag)?.[2]));
  }
  for (const [rule, since] of Object.entries(PODMAN_FACTS.values)) {
    const releases = typeof since === "string" ? [since] : Object.values(since);
    if (releases.every((r) => hasSince(target.version, r))) continue;
    const [command, flag] = splitRule(rule);
    add(command, flag, Boolean(flagFact(command, flag)?.[2]));
  }
  const result = everyLine ? undefined : needles;
  needleCache.set(target.version, result);
  return result;
}

/** `run --mount type=` → [`run`, `--mount`]: the subcommand's words and the flag of a data rule. */
function splitRule(rule: string): [string, string] {
  const words = rule.split(" ");
  const at = words.findIndex((w) => w.startsWith("-"));
  return [words.slice(0, at).join(" "), words[at] ?? ""];
}

/** Text that must be in a line (`text`), along with its subcommand's words (`within`, "" for any). */
interface Needle {
  readonly within: string;
  readonly text: string;
}

const GLOBAL_TABLE = "(global)";
const needleCache = new WeakMap<PodmanTarget["version"], readonly Needle[] | undefined>();

/** Whether the Exec value `text` may need rewriting or refusing at `target` (see needlesFor). */
function mayLack(text: string, target: PodmanTarget): boolean {
  const needles = needlesFor(target);
  if (needles === undefined) return true;
  for (let i = 0; i < needles.length; i++) {
    const n = needles[i]!;
    if (text.includes(n.text) && (n.within === "" || text.includes(n.within))) return true;
  }
  return false;
}

/** One error for all that a unit type needs whatever its keys: `.kube units run podman play kube --replace and …`. */
function unitError(lacks: readonly Lack[], unit: UnitFile, target: PodmanTarget): Diagnostic {
  const whats = [...new Set(lacks.map(what))];
  const newest = lacks.reduce((a, b) => (later(a.since, b.since) === a.since ? a : b));
  const list = whats.length === 1 ? whats[0]! : `${whats.slice(0, -1).join(", ")} and ${whats[whats.length - 1]}`;
  return {
    code: TARGET_CODES.unitNeedsNewer,
    severity: "error",
    file: unit.path || unit.filename,
    message: `${unit.extension} units run ${list}, which ${needsText(newest, target).replace(/^was removed/, "is removed")}`,
  };
}

/** What `line` (after any rewrite) needs that `target` lacks. */
export function lacksOf(line: PodmanLine, origCommand: string, target: PodmanTarget): Lack[] {
  const lacks: Lack[] = [];
  const command = PODMAN_FACTS.commands[line.command]!;
  // Without the subcommand, its flags are beside the point: that one lack says it all.
  if (!hasSince(target.version, command.since)) return [{ command: origCommand, writtenAs: line.command, flag: "", since: command.since }];
  const flags = [...scanFlags("(global)", line.globals, true), ...scanFlags(line.command, line.args)];
  const repeated = repeatedLack(line, origCommand, flags, target);
  if (repeated) lacks.push(repeated);
  for (const f of flags) {
    if (!f.fact) continue;
    const tableSince = PODMAN_FACTS.commands[f.table]!.since;
    const [cmdName, writtenAs] = f.table === "(global)" ? ["(global)", "(global)"] : [origCommand, line.command];
    if (!flagWorks(target.version, f.fact, tableSince)) {
      const removed = f.fact[3] !== undefined && hasSince(target.version, f.fact[3]);
      lacks.push({ command: cmdName, writtenAs, flag: f.name, since: later(f.fact[0], tableSince), ...(removed ? { removedIn: f.fact[3] } : {}) });
      continue;
    }
    const lack = valueLack(line.command, origCommand, f, target);
    if (lack) lacks.push(lack);
  }
  return lacks;
}

/** Whether any flag took a single value on `target` (then repeated flags must be counted), kept per target. */
function keepsOnlyLast(target: PodmanTarget): boolean {
  let answer = singleValueFlags.get(target.version);
  if (answer === undefined) {
    answer = Object.values(PODMAN_FACTS.repeatable).some((since) => !hasSince(target.version, since));
    singleValueFlags.set(target.version, answer);
  }
  return answer;
}

const singleValueFlags = new WeakMap<PodmanTarget["version"], boolean>();

/** A flag given twice where the target keeps only the last one (`--network` before 4.0). */
function repeatedLack(line: PodmanLine, origCommand: string, flags: readonly FoundFlag[], target: PodmanTarget): Lack | undefined {
  if (!keepsOnlyLast(target)) return undefined;
  const counts = new Map<string, number>();
  for (const f of flags) if (f.fact && (f.fact[1] & 3) === 1) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  for (const [flag, count] of counts) {
    const since = PODMAN_FACTS.repeatable[`${line.command} ${flag}`];
    if (count > 1 && since !== undefined && !hasSince(target.version, since)) return { command: origCommand, writtenAs: line.command, flag, since, repeated: true };
  }
  return undefined;
}

function valueLack(command: string, origCommand: string, f: FoundFlag, target: PodmanTarget): Lack | undefined {
  if (f.value === undefined) return undefined;
  const since = valueSince(command, f.name, f.value) ?? valueSince(origCommand, f.name, f.value);
  if (since === undefined || hasSince(target.version, since)) return undefined;
  return { command: origCommand, writtenAs: command, flag: f.name, value: f.value, since };
}

/** "needs podman 5.3 or later; this host has 4.3.1". */
function needsText(lack: Lack, target: PodmanTarget): string {
  const host = target.source === "installed" ? `this host has ${target.version.text}` : `the target is podman ${target.version.text}`;
  if (lack.removedIn) return `was removed in podman ${releaseBound(lack.removedIn).text}; ${host}`;
  return `needs podman ${releaseBound(lack.since).text} or later; ${host}`;
}

/** `podman run --health-log-destination`, `podman run --sdnotify=healthy`, `podman kube down`. */
function what(lack: Lack): string {
  const words = ["podman"];
  if (lack.writtenAs !== "(global)") words.push(lack.writtenAs);
  if (lack.flag) words.push(lack.value !== undefined ? `${lack.flag}=${lack.value}` : lack.flag);
  return words.join(" ") + (lack.repeated ? " more than once" : "");
}

/**
 * Turns a lack into a diagnostic on the key that asked for it, or on the PodmanArgs= line
 * that passed it; undefined when the unit type asks for it whatever the keys.
 */
function diagnose(lack: Lack, info: UnitInfo, target: PodmanTarget): Diagnostic | undefined {
  const unit = info.unit;
  const group = info.type.group;
  const key = `${lack.command}${lack.flag ? ` ${lack.flag}` : ""}`;
  const keys = [...(PODMAN_FACTS.emittedBy[group]?.[key] ?? []), ...(PODMAN_FACTS.emittedBy["*"]?.[key] ?? [])];
  for (const k of [...keys, ...keysOfFlagElsewhere(lack.flag)]) {
    const line = k ? unit.lookupLine(group, k) : undefined;
    if (!line) continue;
    const shown = lack.value !== undefined ? `${k}=${line.value}` : lack.repeated ? `${k}= is given more than once, which` : `${k}=`;
    return at(line, unit, { code: TARGET_CODES.keyNeedsNewer, severity: "error", key: k, message: `${shown} ${needsText(lack, target)}`, hint: `it makes ${what(lack)}` });
  }
  const passed = passedBy(unit, group, lack.flag);
  if (passed && !keys.includes("")) {
    return at(passed, unit, {
      code: TARGET_CODES.passedFlagMissing,
      severity: "warning",
      key: passed.key,
      message: `${passed.key}= passes ${lack.flag}, which ${needsText(lack, target)}`,
    });
  }
  return undefined;
}

/**
 * Keys that make the same flag in other sections or subcommands (`RemapUsers=` makes
 * `--userns` for run and pod create, and for kube play too), for keys the facts list
 * under one subcommand only.
 */
function keysOfFlagElsewhere(flag: string): string[] {
  if (!flag) return [];
  const keys = new Set<string>();
  for (const emits of Object.values(PODMAN_FACTS.emittedBy)) {
    for (const [made, by] of Object.entries(emits)) if (made.endsWith(` ${flag}`)) for (const k of by) if (k) keys.add(k);
  }
  return [...keys];
}

function at(line: UnitLine, unit: UnitFile, d: Omit<Diagnostic, "file" | "line">): Diagnostic {
  return { ...d, file: line.origin?.file ?? (unit.path || unit.filename), ...(line.origin ? { line: line.origin.line } : {}) };
}

/** The PodmanArgs= or GlobalArgs= line that passes `flag`, if one does. */
function passedBy(unit: UnitFile, group: string, flag: string): UnitLine | undefined {
  if (!flag) return undefined;
  for (const key of ["PodmanArgs", "GlobalArgs"]) {
    for (const line of unit.lookupAllLines(group, key)) {
      let words: string[];
      try {
        words = splitArgs(line.value);
      } catch {
        continue;
      }
      if (words.some((w) => w === flag || w.startsWith(`${flag}=`) || (flag.length === 2 && w.startsWith(flag)))) return line;
    }
  }
  return undefined;
}
