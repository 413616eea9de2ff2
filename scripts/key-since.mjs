// Fills the `since` of every key table row in src/generator/*.ts from podman's release facts
// (src/target/podman-data.ts, made by scripts/podman-data.mjs): the first podman release whose
// quadlet knows the key in that section, written `X.Y` (or `X.Y.Z` where the data knows the
// key only from a later patch of a minor). The literals are rewritten in place, so the
// generator never loads the facts to describe its own keys.
//
//   node scripts/key-since.mjs          print the rows whose `since` differs from the facts
//   node scripts/key-since.mjs --write  rewrite those literals in the sources
//   node scripts/key-since.mjs --check  exit 1 when any literal differs from the facts
//
// After --write, run `node scripts/unit-keys.mjs --write` for the man page's key tables.
//
// A literal is found in one of three shapes: `row("Key", "kind", SINCE, …)`, an object
// `{ key: "Key", …, since: SINCE }`, or a tuple `["Key", "flag", SINCE]` that a table maps to
// rows. A row in a file named after a section (container.ts) is that section's; a row that
// several sections' tables share (keys.ts, shared-args.ts) belongs to each of them, and where
// the key arrived in them in different releases its SINCE is an object, one release each:
// `{ Container: "4.8", Pod: "5.3" }`. Every row of every table must be found exactly once.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTs } from "./load-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const GENERATOR = join(root, "src/generator");

/** Files whose rows belong to a section that no unit type is named after. */
const FILE_SECTIONS = { "common.ts": "Quadlet" };

/** The key tables and the release facts, from the TypeScript sources. */
const { UNIT_TYPES, QUADLET_KEYS, QUADLET_GROUP, keySince, releaseBound } = await loadTs(
  [
    'export { UNIT_TYPES } from "./src/generator/registry.ts";',
    'export { QUADLET_KEYS, QUADLET_GROUP } from "./src/generator/common.ts";',
    'export { keySince, releaseBound } from "./src/target/query.ts";',
  ].join("\n"),
);

/** Every table: section name to its rows, [Quadlet] first, then the unit types in order. */
const tables = new Map([[QUADLET_GROUP, QUADLET_KEYS], ...[...UNIT_TYPES.values()].map((t) => [t.group, t.keys])]);

/** The rows that more than one table lists (the same object): key to the sections listing it. */
function sharedRows() {
  const sections = new Map();
  for (const [group, rows] of tables) for (const r of rows) sections.set(r, [...(sections.get(r) ?? []), group]);
  const byKey = new Map();
  for (const [r, groups] of sections) {
    if (groups.length < 2) continue;
    if (byKey.has(r.key)) throw new Error(`two shared rows have the key ${r.key}: give them one row or distinct keys`);
    byKey.set(r.key, groups);
  }
  return byKey;
}

const SHARED = sharedRows();

/** What the facts say: `X.Y` for `key` in `[section]`. */
function factSince(section, key) {
  const release = keySince(section, key);
  if (release === undefined) throw new Error(`podman's release data does not know ${key}= in [${section}]`);
  return releaseBound(release).text;
}

/** The sections a literal of `key` in `file` stands for, or undefined when it is no table row. */
function sectionsOf(file, key) {
  const own = FILE_SECTIONS[file] ?? [...tables.keys()].find((g) => g.toLowerCase() === file.replace(/\.ts$/, ""));
  if (own) return tables.get(own).some((r) => r.key === key) ? [own] : undefined;
  return SHARED.get(key);
}

/** The SINCE literal the facts give for `sections`: one string, or one per section where they differ. */
function literalFor(sections, key) {
  const values = sections.map((s) => factSince(s, key));
  if (values.every((v) => v === values[0])) return JSON.stringify(values[0]);
  return `{ ${sections.map((s, i) => `${s}: ${JSON.stringify(values[i])}`).join(", ")} }`;
}

const SHAPES = [
  { name: "row", re: /\brow\(\s*"(\w+)",\s*"[\w-]+",\s*("[^"\n]*"|\{[^{}\n]*\})/dg, perSection: true },
  { name: "object", re: /\{\s*key:\s*"(\w+)",[^{}\n]*?\bsince:\s*("[^"\n]*")/dg, perSection: false },
  { name: "tuple", re: /\[\s*"(\w+)",\s*"[^"\n]*",\s*("\d+\.\d+(?:\.\d+)?")\s*\]/dg, perSection: false, optional: true },
];

/** Whether offset `at` of `text` is on a comment line. */
function inComment(text, at) {
  const line = text.slice(text.lastIndexOf("\n", at) + 1, at);
  return /^\s*(\/\/|\/?\*)/.test(line);
}

/** Every since literal of one file, with what the facts say it should be. */
function literalsOf(file, text) {
  const found = [];
  for (const shape of SHAPES) {
    for (const m of text.matchAll(shape.re)) {
      if (inComment(text, m.index)) continue;
      const key = m[1];
      const sections = sectionsOf(file, key);
      if (!sections) {
        if (shape.optional) continue;
        throw new Error(`${file}: a ${shape.name} for ${key}= that no section's table lists`);
      }
      let want = literalFor(sections, key);
      if (!shape.perSection && want.startsWith("{")) throw new Error(`${file}: ${key}= arrived in ${sections.join(", ")} in different releases, but its ${shape.name} has one since`);
      const [start, end] = m.indices[2];
      found.push({ file, key, sections, start, end, have: m[2], want });
    }
  }
  return found;
}

/** Fails unless every (section, key) of every table has exactly one literal. */
function checkCoverage(literals) {
  const count = new Map();
  for (const l of literals) for (const s of l.sections) count.set(`${s}.${l.key}`, (count.get(`${s}.${l.key}`) ?? 0) + 1);
  const problems = [];
  for (const [group, rows] of tables) {
    for (const r of rows) {
      const n = count.get(`${group}.${r.key}`) ?? 0;
      if (n !== 1) problems.push(`[${group}] ${r.key}=: ${n === 0 ? "no since literal found" : `${n} since literals found`}`);
    }
  }
  if (problems.length) throw new Error(`the key tables' since literals could not all be told apart:\n  ${problems.join("\n  ")}`);
}

const files = readdirSync(GENERATOR).filter((f) => f.endsWith(".ts")).sort();
const texts = new Map(files.map((f) => [f, readFileSync(join(GENERATOR, f), "utf8")]));
const literals = files.flatMap((f) => literalsOf(f, texts.get(f)));
checkCoverage(literals);
const drift = literals.filter((l) => l.have !== l.want);

const mode = process.argv[2];
if (mode === undefined || mode === "--check") {
  for (const l of drift) console.log(`${l.file}: ${l.key}= in ${l.sections.join(", ")}: ${l.have}, facts ${l.want}`);
  console.log(`${drift.length} of ${literals.length} since literals differ from podman's release facts`);
  if (mode === "--check" && drift.length) {
    console.error("the key tables' since is out of date: run node scripts/key-since.mjs --write, then node scripts/unit-keys.mjs --write");
    process.exit(1);
  }
} else if (mode === "--write") {
  for (const file of new Set(drift.map((l) => l.file))) {
    let text = texts.get(file);
    // From the end, so earlier offsets stay valid.
    for (const l of drift.filter((d) => d.file === file).sort((a, b) => b.start - a.start)) text = text.slice(0, l.start) + l.want + text.slice(l.end);
    writeFileSync(join(GENERATOR, file), text);
  }
  console.log(`rewrote ${drift.length} since literals in ${new Set(drift.map((l) => l.file)).size} files`);
} else {
  console.error(`unknown option ${mode}`);
  process.exit(2);
}
