/**
 * Test helpers: compile quadlet files held in memory, and read what came out.
 */
import { compileAll, type Compiled, type CompileOptions } from "../src/generator/index.js";
import { parseUnitText } from "../src/parser/parse.js";
import type { UnitFile } from "../src/parser/unitfile.js";
import { splitArgs } from "../src/parser/words.js";
import { renderUnit } from "../src/emit/render.js";

export const UNIT_DIR = "/etc/containers/systemd";

export interface CompiledFiles {
  /** Generated services by file name (`web.service`). */
  services: Map<string, UnitFile>;
  /** Error messages of units that failed, by source file name. */
  errors: Map<string, string[]>;
  /** Warnings of every unit. */
  warnings: string[];
  results: Compiled[];
}

/**
 * Compiles `files` (name → text) as if they were in one unit directory.
 * Drop-ins are not merged here; use the CLI tests for that.
 */
export function compileFiles(files: Record<string, string>, opts: Partial<CompileOptions> = {}): CompiledFiles {
  const units = Object.entries(files).map(([name, text]) => parseUnitText(text, name, `${UNIT_DIR}/${name}`));
  const results = compileAll(units, { userMode: false, podman: "/usr/bin/podman", ...opts });
  const out: CompiledFiles = { services: new Map(), errors: new Map(), warnings: [], results };
  for (const r of results) {
    out.warnings.push(...r.source.warnings);
    if (r.ok) {
      out.services.set(r.service.unit.filename, r.service.unit);
      out.warnings.push(...r.service.warnings);
    } else {
      out.errors.set(r.source.filename, r.errors);
    }
  }
  return out;
}

/** Compiles one file and returns its service, failing the test if it did not compile. */
export function compileOne(name: string, text: string, opts: Partial<CompileOptions> = {}): UnitFile {
  const { services, errors } = compileFiles({ [name]: text }, opts);
  const errs = errors.get(name);
  if (errs) throw new Error(`expected ${name} to compile, got: ${errs.join("; ")}`);
  const [service] = services.values();
  return service!;
}

/** The words of an Exec line, as systemd would split them. */
export function execWords(service: UnitFile, key = "ExecStart"): string[] {
  const v = service.lookup("Service", key);
  if (v === undefined) throw new Error(`${service.filename} has no ${key}`);
  return splitArgs(v.replace(/^[-@+!:]+/, ""));
}

/** Whether `words` contains `run` as a contiguous sequence. */
export function hasRun(words: readonly string[], run: readonly string[]): boolean {
  for (let i = 0; i + run.length <= words.length; i++) {
    if (run.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

export { renderUnit };
