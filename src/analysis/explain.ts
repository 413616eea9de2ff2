/**
 * `explain`: the generated service of one unit, each key line and each word of each
 * podman command traced to the file and line it came from (drop-ins included), or to the
 * named default that put it there (`--cgroups=split: default for containers`).
 *
 * Lines copied from the unit keep their origin. Generated lines and words are traced back
 * through the values and flags of the unit's lines and through its edges; what matches
 * nothing is a default of the unit type.
 */
import { compileUnit, indexUnits, type CompileOptions } from "../generator/index.js";
import { UNIT_TYPES } from "../generator/registry.js";
import type { UnitIndex } from "../generator/unit-type.js";
import type { UnitFile, UnitLine } from "../parser/unitfile.js";
import { ARGS_FLAGS, splitWords } from "../parser/words.js";
import { renderUnit } from "../emit/render.js";
import type { AnalyzedUnit, ExplainedService, Provenance, TracedCommand, TracedLine, TracedWord } from "./analysis.js";
import { analyze, dropinsOf } from "./index.js";
import { unquote } from "./section.js";

/** What a word or line can be traced to: strings that, when found, point at a line. */
interface Clue {
  readonly text: string;
  /** `exact`: the whole word; `flag`: the word or `word=…`; `part`: anywhere in the word. */
  readonly how: "exact" | "flag" | "part";
  readonly from: Provenance;
  /**
   * For a `flag` clue: whether the flag stands alone (a boolean key's `--read-only`). A flag
   * that takes a value is the line's only where its value follows from the same line:
   * podman's `rm -v` is not Volume='s `-v`.
   */
  readonly alone?: boolean;
}

const FLAG_IN_DOC = /`(--?[a-z][a-z0-9-]*)/g;

function lineProvenance(unit: UnitFile, l: UnitLine): Provenance {
  return { kind: "line", file: l.origin?.file ?? (unit.path || unit.filename), line: l.origin?.line ?? 0, key: l.key };
}

/** Clues from every key line of the unit's own section, and from the units it refers to. */
function cluesOf(unit: UnitFile, index: UnitIndex): Clue[] {
  const type = UNIT_TYPES.get(unit.extension);
  if (!type) return [];
  const rows = new Map(type.keys.map((r) => [r.key, r]));
  const clues: Clue[] = [];
  const lines = unit.group(type.group)?.lines ?? [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l.isComment || l.value === "") continue;
    const from = lineProvenance(unit, l);
    const v = unquote(l.value);
    clues.push({ text: v, how: "exact", from });
    let words: string[] = [];
    try {
      words = splitWords(v, ARGS_FLAGS);
    } catch {
      // A value that cannot be split is traced whole only.
    }
    for (const w of words) {
      clues.push({ text: w, how: "exact", from });
      const colon = w.indexOf(":");
      if (colon > 0) clues.push({ text: w.slice(colon), how: "part", from });
      if (w.length >= 3) clues.push({ text: w, how: "part", from });
    }
    const row = rows.get(l.key);
    const alone = row?.value === "boolean";
    for (const m of (row?.doc ?? "").matchAll(FLAG_IN_DOC)) clues.push({ text: m[1]!, how: "flag", from, alone });
    const target = index.get(v.split(":")[0]!);
    if (target?.resourceName) clues.push({ text: target.resourceName, how: "part", from });
    if (target) clues.push({ text: target.serviceName, how: "exact", from });
  }
  return clues;
}

/** Whether a flag or part clue matches `word` (whole-word clues are looked up: exactClue). */
function matches(c: Clue, word: string, next: Provenance | undefined): boolean {
  if (c.how === "flag") return word.startsWith(`${c.text}=`) || (word === c.text && (c.alone === true || sameLine(c.from, next)));
  return word.includes(c.text);
}

function sameLine(a: Provenance, b: Provenance | undefined): boolean {
  return a.kind === "line" && b?.kind === "line" && a.file === b.file && a.line === b.line;
}

/**
 * A unit's clues sorted for {@link trace}: whole words by text, with their place in the list
 * (the first clue of a text wins), then flags and parts in list order. A command of fifty
 * words against a hundred clues made a function hot enough for V8 to optimize it, and the
 * process then waited for that compile at exit, for no more than one unit's explanation.
 */
interface ClueSet {
  readonly exact: ReadonlyMap<string, number>;
  readonly list: readonly Clue[];
  readonly flags: readonly Clue[];
  readonly parts: readonly Clue[];
}

function clueSet(list: readonly Clue[]): ClueSet {
  const exact = new Map<string, number>();
  for (let i = 0; i < list.length; i++) if (list[i]!.how === "exact" && !exact.has(list[i]!.text)) exact.set(list[i]!.text, i);
  return { exact, list, flags: list.filter((c) => c.how === "flag"), parts: list.filter((c) => c.how === "part") };
}

/** The first whole-word clue that is `word`, or what follows one of its "=" (`--env=A=1`). */
function exactClue(clues: ClueSet, word: string): Clue | undefined {
  let best = clues.exact.get(word);
  for (let eq = word.indexOf("="); eq !== -1; eq = word.indexOf("=", eq + 1)) {
    const at = clues.exact.get(word.slice(eq + 1));
    if (at !== undefined && (best === undefined || at < best)) best = at;
  }
  return best === undefined ? undefined : clues.list[best];
}

/**
 * The clue a word matches best: whole words first, then flags (unless `flags` is false), then
 * parts. `next` is where the word after it came from, in a command.
 */
function trace(clues: ClueSet, word: string, next?: Provenance, flags = true): Provenance | undefined {
  const exact = exactClue(clues, word);
  if (exact) return exact.from;
  if (flags) for (const c of clues.flags) if (matches(c, word, next)) return c.from;
  for (const c of clues.parts) if (matches(c, word, next)) return c.from;
  return undefined;
}

const PLURAL: Record<string, string> = { ".kube": "kube units", ".build": "builds" };

function defaultOf(what: string, unit: UnitFile): Provenance {
  const kind = PLURAL[unit.extension] ?? `${unit.extension.slice(1)}s`;
  return { kind: "default", name: `${what}: default for ${kind}` };
}

function traceCommand(key: string, value: string, unit: UnitFile, clues: ClueSet): TracedCommand {
  let words: string[];
  try {
    words = splitWords(value.replace(/^[-@+!:]+/, ""), ARGS_FLAGS);
  } catch {
    words = [value];
  }
  const flagLines = new Set(clues.flags.map((c) => c.from));
  const out: TracedWord[] = new Array(words.length);
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i]!;
    const next = out[i + 1];
    let from = i === 0 ? ({ kind: "default", name: "the podman executable ($PODMAN, else /usr/bin/podman)" } as Provenance) : trace(clues, word, next?.from);
    // A flag the target release spells differently (`--dns-opt`) goes with its value's line,
    // when that line's key makes a flag at all: run's `-d` before Image='s value does not.
    if (!from && word.startsWith("-") && !word.includes("=") && next && flagLines.has(next.from) && !words[i + 1]!.startsWith("-")) from = next.from;
    out[i] = { word, from: from ?? defaultOf(word, unit) };
  }
  return { key, words: out };
}

/**
 * Where a generated line came from: a dependency on another unit's service from the edge
 * that made it; anything else from the clues, or a default of the unit type.
 */
function traceLine(group: string, key: string, value: string, unit: UnitFile, clues: ClueSet, deps: ReadonlyMap<string, Provenance>): Provenance {
  if (group === "Unit" && /^(Requires|After|BindsTo)$/.test(key)) {
    const edge = deps.get(value);
    if (edge) return edge;
    const svc = value.replace(/\.service$/, "");
    const byWord = trace(clues, svc, undefined, false);
    if (byWord) return byWord;
  }
  return defaultOf(`${key}=${value}`, unit);
}

function analyzedOf(units: readonly UnitFile[], unit: UnitFile, opts: CompileOptions): AnalyzedUnit {
  const found = analyze(units, opts).units.find((u) => u.name === unit.filename && u.path === unit.path);
  return found ?? { name: unit.filename, path: unit.path, dropins: dropinsOf(unit), status: "error", diagnostics: [] };
}

/**
 * Explains the unit called `name` (`web.container`) among `units`: its diagnostics, its
 * service's text, and where every line and word of it came from. Undefined when no unit
 * has that name. `shadowed` and `skipped` are left empty: they are known to discovery.
 * `known`, when the caller has analyzed the units already, is the unit's analysis: the
 * units are then not all compiled a second time.
 */
export function explainUnit(units: readonly UnitFile[], name: string, opts: CompileOptions, known?: AnalyzedUnit): ExplainedService | undefined {
  const unit = known ? units.find((u) => u.path === known.path && u.filename === name) : units.find((u) => u.filename === name);
  if (!unit) return undefined;
  const analyzed = known ?? analyzedOf(units, unit, opts);
  const merged = [unit.path || unit.filename, ...analyzed.dropins];
  const base = { unit: analyzed, merged, shadowed: [], skipped: [] };
  const index = indexUnits(units);
  const info = index.get(unit.filename);
  if (!info) return { ...base, lines: [], commands: [] };
  const result = compileUnit(info, index, opts);
  if (!result.ok) return { ...base, lines: [], commands: [] };
  const service = result.service.unit;
  const clues = clueSet(cluesOf(unit, index));
  const deps = new Map<string, Provenance>();
  for (const e of result.service.edges ?? []) {
    const target = index.get(e.to);
    if (target && !deps.has(`${target.serviceName}.service`)) deps.set(`${target.serviceName}.service`, { kind: "line", file: e.file, line: e.line, key: e.key });
  }
  const lines: TracedLine[] = [];
  const commands: TracedCommand[] = [];
  for (const g of service.groups) {
    for (const l of g.lines) {
      if (l.isComment) continue;
      const from = l.origin ? lineProvenance(unit, l) : traceLine(g.name, l.key, l.value, unit, clues, deps);
      lines.push({ group: g.name, key: l.key, value: l.value, from });
      if (g.name === "Service" && l.key.startsWith("Exec")) {
        commands.push(l.origin ? { key: l.key, words: [{ word: l.value, from }] } : traceCommand(l.key, l.value, unit, clues));
      }
    }
  }
  return { ...base, text: renderUnit(service), lines, commands };
}
