/**
 * Where each line and podman word of a generated service came from, worked out from the
 * generated service itself: a line copied from the quadlet file keeps its file and line; a
 * podman word is traced to the key line whose value it carries. What no line of the unit
 * accounts for is quadlet's own default.
 */
import { renderUnit } from "../emit/render.js";
import { compileAll, indexUnits, typeOf, type CompileOptions } from "../generator/index.js";
import type { UnitFile, UnitLine } from "../parser/unitfile.js";
import { splitArgs } from "../parser/words.js";
import type { AnalyzedUnit, ExplainedService, Provenance, TracedCommand, TracedLine, TracedWord } from "./analysis.js";

const ADDED: Provenance = { kind: "default", name: "added by quadlet" };

/** The generated service of `name` among `units`, every line and podman word traced. */
export function traceService(units: readonly UnitFile[], name: string, opts: CompileOptions, analyzed: AnalyzedUnit): ExplainedService | undefined {
  const result = compileAll(units, opts).find((r) => r.source.filename === name && r.source.path === analyzed.path);
  if (!result) return undefined;
  const merged = [analyzed.path, ...analyzed.dropins];
  if (!result.ok) return { unit: analyzed, lines: [], commands: [], merged, shadowed: [], skipped: [] };
  const service = result.service.unit;
  const lines: TracedLine[] = [];
  const commands: TracedCommand[] = [];
  const group = typeOf(result.source)?.group ?? "";
  const sourceLines = withResolvedNames(result.source.entries(group), units);
  for (const g of service.groups) {
    for (const l of g.lines) {
      if (l.isComment) continue;
      lines.push({ group: g.name, key: l.key, value: l.value, from: provenanceOf(l) });
      if (g.name === "Service" && l.key.startsWith("Exec") && !l.origin) commands.push({ key: l.key, words: traceWords(l.value, sourceLines, opts.podman) });
    }
  }
  return { unit: analyzed, text: renderUnit(service), lines, commands, merged, shadowed: [], skipped: [] };
}

/** A source line, and its value with quadlet unit names (`data.volume`) as podman's names (`systemd-data`). */
interface SourceLine {
  readonly line: UnitLine;
  readonly values: readonly string[];
}

const UNIT_NAME_IN_VALUE = /[^\s:=,]+\.(?:volume|network|pod|image|build|container|artifact)\b/g;

function withResolvedNames(lines: readonly UnitLine[], units: readonly UnitFile[]): SourceLine[] {
  const index = indexUnits(units);
  return lines.map((line) => {
    const resolved = line.value.replace(UNIT_NAME_IN_VALUE, (name) => index.get(name)?.resourceName ?? name);
    const values = new Set([line.value, resolved, ...safeSplit(line.value), ...safeSplit(resolved)]);
    values.delete("");
    return { line, values: [...values] };
  });
}

function provenanceOf(l: UnitLine): Provenance {
  return l.origin ? { kind: "line", file: l.origin.file, line: l.origin.line, key: l.key } : ADDED;
}

/**
 * The words of a podman command line, each traced to the last key line whose value (or one
 * of whose words) it is or ends with (`--memory=1g` to `Memory=1g`); a flag is traced with
 * the value that follows it. The rest are quadlet's defaults.
 */
function traceWords(exec: string, source: readonly SourceLine[], podman: string): TracedWord[] {
  const words = splitArgs(exec.replace(/^[-@+!:|]+/, ""));
  const from = words.map((w, i) => (i === 0 && w === podman ? ({ kind: "default", name: "the podman executable ($PODMAN, else /usr/bin/podman)" } as Provenance) : wordOrigin(w, source)));
  for (let i = 0; i + 1 < words.length; i++) {
    // `--volume X`: a flag without its own origin takes its value's.
    if (from[i] === ADDED && words[i]!.startsWith("-") && !words[i]!.includes("=") && from[i + 1] !== ADDED) from[i] = from[i + 1]!;
  }
  return words.map((word, i) => ({ word, from: from[i]! }));
}

function wordOrigin(word: string, source: readonly SourceLine[]): Provenance {
  for (let i = source.length - 1; i >= 0; i--) {
    const { line, values } = source[i]!;
    if (line.origin && values.some((v) => word === v || word.endsWith(`=${v}`))) return provenanceOf(line);
  }
  return ADDED;
}

function safeSplit(value: string): string[] {
  try {
    return splitArgs(value);
  } catch {
    return [];
  }
}
