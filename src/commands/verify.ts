/**
 * `quadlet verify [-user] [--strict] [--format text|json] [-podman-version X.Y[.Z]] [PATH…]`: compiles every unit in
 * memory, writes nothing, and prints every problem of every unit, compiler-style, then a
 * summary. Exit status 0 when clean, 1 on errors (or warnings with --strict), 2 on bad usage.
 */
import { startCommand } from "../analysis/args.js";
import type { Diagnostic } from "../analysis/diagnostic.js";
import { inspectFor, type Inspection } from "../analysis/inspect.js";
import { countOf, diagnosticJson, diagnosticText, SCHEMA_VERSION, summaryText, unitJson, type Counts } from "../analysis/report.js";
import type { CommandContext, Subcommand } from "./context.js";

const USAGE = "usage: quadlet verify [-user] [--strict] [--format text|json] [-podman-version X.Y[.Z]] [PATH...]\n";

export const run: Subcommand = (args, ctx) => {
  const parsed = startCommand(args, { name: "verify", usage: USAGE, help: HELP, formats: ["text", "json"], booleans: ["strict"], podmanVersion: true }, ctx);
  if (typeof parsed === "number") return parsed;
  // Only the units reported on are compiled: a file named checks against its neighbours without compiling them.
  const found = inspectFor("verify", parsed, parsed.positional, ctx, () => true);
  if (typeof found === "number") return found;
  const all: Diagnostic[] = [...found.problems, ...found.units.flatMap((u) => u.diagnostics)];
  const counts = countOf(found.units.length, all);
  if (parsed.format === "json") ctx.stdout(JSON.stringify(verifyJson(found, all, counts), null, 2) + "\n");
  else printText(found, counts, ctx);
  return counts.errors > 0 || (parsed.flags.has("strict") && counts.warnings > 0) ? 1 : 0;
};

const HELP = `
Compiles every unit (of the search paths, or of the files and directories given), writes
nothing, and prints every problem found, with a summary. Exit status: 0 when clean, 1 on
errors (and on warnings with --strict), 2 on bad usage. Units are checked for the podman
release the generator would write them for on this host (-podman-version, else
QUADLET_PODMAN_VERSION, else the installed podman, else the newest). See quadlet-verify(1).
`;

function printText(found: Inspection, counts: Counts, ctx: CommandContext): void {
  const out: string[] = [];
  for (const d of found.problems) out.push(diagnosticText(d, ctx.cwd));
  for (const u of found.units) for (const d of u.diagnostics) out.push(diagnosticText(d, ctx.cwd));
  out.push(summaryText(counts));
  ctx.stdout(out.join(""));
}

/** The JSON document: see quadlet-verify(1), JSON OUTPUT, for its schema. */
export function verifyJson(found: Inspection, all: readonly Diagnostic[], counts: Counts): Record<string, unknown> {
  return {
    schemaVersion: SCHEMA_VERSION,
    units: found.units.map(unitJson),
    diagnostics: all.map(diagnosticJson),
    summary: counts,
  };
}
