// Makes src/target/podman-data.ts, the facts quadlet needs to target an older podman, from
// podman-versions.json (what every podman release accepts), and the table of man/quadlet.unit.5.md
// that says which keys need which podman.
//
//   node scripts/podman-data.mjs [--json PATH]          write both
//   node scripts/podman-data.mjs --check [--json PATH]  exit 1 when either differs from the JSON
//
// (The JSON is podman-versions.json of podman's reference data, by default in
// ../shared/reference/ beside the project.)
//
// Only what quadlet emits or reads is kept: the release list, the flags of the podman
// subcommands quadlet runs (with their arity and short form, to split command lines again),
// the values whose acceptance changed, the first quadlet release of each key, and which key
// makes which flag. The module is plain literals, so loading it costs next to nothing.
import { build } from "esbuild";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const MODULE = join(root, "src/target/podman-data.ts");
const MAN_PAGE = join(root, "man/quadlet.unit.5.md");
const DEFAULT_JSON = join(root, "../shared/reference/podman-versions.json");

/** Arity codes of a flag: 0 takes no value, 1 needs one, 2 may take one (`--x` or `--x=v`). */
function arityOf(entry) {
  if (entry.value === true) return 1;
  return entry.value === "optional" ? 2 : 0;
}

/** The newest release's entry for a flag, for its arity and short form. */
function newestEntry(json, command, flag) {
  for (const release of [...json.releaseOrder].reverse()) {
    const table = command === "(global)" ? json.releases[release].global : json.releases[release].commands[command];
    if (table && table[flag]) return table[flag];
  }
  return undefined;
}

/** `{command: {flag: [since, arity, short, removedIn]}}` for every subcommand in the data. */
function flagFacts(json) {
  const out = {};
  for (const [command, flags] of Object.entries(json.flagSince)) {
    const facts = {};
    for (const [flag, since] of Object.entries(flags)) {
      if (flag === "_command") continue;
      const entry = newestEntry(json, command, flag) ?? {};
      const first = typeof since === "string" ? since : since.since;
      const fact = [first, arityOf(entry)];
      if (entry.short || since.removedIn) fact.push(entry.short ?? "");
      if (since.removedIn) fact.push(since.removedIn);
      if (command === "(global)" && entry.rootOnly) fact[1] += 4; // 4: only before the subcommand
      facts[flag] = fact;
    }
    out[command] = { since: flags._command, flags: facts };
  }
  return out;
}

const LIST_TYPES = new Set(["strings", "stringArray", "stringSlice", "stringToString", "ipSlice", "uints"]);

/**
 * `{"command flag": release}` for flags that took one value (the last one given won) before
 * they took a list: `run --network` was a string until 4.0.
 */
function repeatableSince(json) {
  const out = {};
  const last = {};
  for (const release of json.releaseOrder) {
    for (const [command, table] of Object.entries(json.releases[release].commands)) {
      for (const [flag, entry] of Object.entries(table ?? {})) {
        const name = `${command} ${flag}`;
        if (last[name] !== undefined && !LIST_TYPES.has(last[name]) && LIST_TYPES.has(entry.type)) out[name] = release;
        last[name] = entry.type;
      }
    }
  }
  return out;
}

/** `{group: {"command flag": [keys]}}`, "" standing for "always, whatever the keys". */
function emittedBy(json) {
  const out = {};
  for (const e of json.quadletEmits.entries) {
    const group = (out[e.unit] ??= {});
    const what = e.flag ? `${e.command} ${e.flag}` : e.command;
    const keys = (group[what] ??= []);
    const key = e.key ?? "";
    if (!keys.includes(key)) keys.push(key);
  }
  return out;
}

/** Checks the data against itself: every emitted flag's `since` is what flagSince says. */
function checkEmits(json, flags) {
  const problems = [];
  const rank = (r) => json.releaseOrder.indexOf(r);
  for (const e of json.quadletEmits.entries) {
    const command = flags[e.command];
    if (!command) {
      problems.push(`${e.command} is emitted but has no flag table`);
      continue;
    }
    const flagSince = e.flag ? command.flags[e.flag]?.[0] : command.since;
    const since = rank(flagSince) > rank(command.since) ? flagSince : command.since;
    if (since !== e.since) problems.push(`${e.command} ${e.flag}: emits says ${e.since}, flags say ${since}`);
  }
  return problems;
}

export function compact(json) {
  const flags = flagFacts(json);
  const problems = checkEmits(json, flags);
  if (problems.length) throw new Error(`podman-versions.json disagrees with itself:\n${problems.join("\n")}`);
  return {
    source: json.source,
    releases: json.releaseOrder,
    distros: json.distros,
    commands: flags,
    values: json.valueSince,
    repeatable: repeatableSince(json),
    keySince: json.quadletKeySince,
    emittedBy: emittedBy(json),
  };
}

function literal(value) {
  return JSON.stringify(value);
}

/** The TypeScript module: one literal per fact, typed by hand-written interfaces in facts.ts. */
export function moduleText(data) {
  const lines = [
    "// GENERATED by scripts/podman-data.mjs from podman-versions.json: do not edit by hand.",
    `// Source: ${String(data.source).replace(/\s+/g, " ").slice(0, 200)}`,
    "//",
    "// Flags: command -> flag -> [first release, arity (0 none, 1 value, 2 optional; +4 root only),",
    "// short form, release that removed it]. emittedBy: quadlet section -> \"command flag\" -> the keys",
    "// that make it (\"\" = emitted whatever the keys).",
    'import type { PodmanFacts } from "./facts.js";',
    "",
    "export const PODMAN_FACTS: PodmanFacts = {",
    `  releases: ${literal(data.releases)},`,
    `  distros: ${literal(data.distros)},`,
    "  commands: {",
  ];
  for (const [command, c] of Object.entries(data.commands)) {
    lines.push(`    ${literal(command)}: { since: ${literal(c.since)}, flags: {`);
    for (const [flag, fact] of Object.entries(c.flags)) lines.push(`      ${literal(flag)}: ${literal(fact)},`);
    lines.push("    } },");
  }
  lines.push("  },", "  values: {");
  for (const [name, v] of Object.entries(data.values)) lines.push(`    ${literal(name)}: ${literal(v)},`);
  lines.push("  },", `  repeatable: ${literal(data.repeatable)},`, "  keySince: {");
  for (const [group, keys] of Object.entries(data.keySince)) lines.push(`    ${group}: ${literal(keys)},`);
  lines.push("  },", "  emittedBy: {");
  for (const [group, emits] of Object.entries(data.emittedBy)) {
    lines.push(`    ${literal(group)}: {`);
    for (const [what, keys] of Object.entries(emits)) lines.push(`      ${literal(what)}: ${literal(keys)},`);
    lines.push("    },");
  }
  lines.push("  },", "};", "");
  return lines.join("\n");
}

// ---- the man page's table ------------------------------------------------------------

const BEGIN = "<!-- podman-versions -->";
const END = "<!-- /podman-versions -->";

/**
 * The table, from src/target/table.ts: it puts each key's arguments through the retargeting
 * pass itself, so it is built from the TypeScript sources (with the module just written).
 */
async function manTable() {
  const dir = mkdtempSync(join(tmpdir(), "quadlet-podman-data-"));
  const out = join(dir, "table.cjs");
  try {
    await build({ entryPoints: [join(root, "src/target/table.ts")], outfile: out, bundle: true, platform: "node", format: "cjs", logLevel: "error" });
    return createRequire(import.meta.url)(out).keyVersionTable();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function withManTable(page, table) {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`man/quadlet.unit.5.md has no ${BEGIN} … ${END} markers`);
  return `${page.slice(0, start)}${BEGIN}\n${table}\n${page.slice(end)}`;
}

async function main(argv) {
  const check = argv.includes("--check");
  const at = argv.indexOf("--json");
  const path = at === -1 ? DEFAULT_JSON : argv[at + 1];
  if (!existsSync(path)) {
    console.error(`no podman-versions.json at ${path}: give its place with --json PATH`);
    process.exit(2);
  }
  const json = JSON.parse(readFileSync(path, "utf8"));
  const data = compact(json);
  const module = moduleText(data);
  const page = readFileSync(MAN_PAGE, "utf8");
  if (check) {
    const stale = [];
    if (readFileSync(MODULE, "utf8") !== module) stale.push("src/target/podman-data.ts");
    else if (withManTable(page, await manTable()) !== page) stale.push("man/quadlet.unit.5.md");
    if (stale.length) {
      console.error(`${stale.join(" and ")} differ from podman-versions.json: run node scripts/podman-data.mjs`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(MODULE, module);
  writeFileSync(MAN_PAGE, withManTable(page, await manTable()));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
