// Keeps the key tables of man/quadlet.unit.5.md in step with the generator's key tables.
//
//   node scripts/unit-keys.mjs          print every table
//   node scripts/unit-keys.mjs --write  rewrite the tables between the markers in the man page
//   node scripts/unit-keys.mjs --check  exit 1 when the man page's tables are out of date
//
// A table sits between `<!-- keys:Container -->` and `<!-- /keys -->`.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadTs } from "./load-ts.mjs";

const root = new URL("..", import.meta.url).pathname;
const manPage = join(root, "man/quadlet.unit.5.md");

function escapeCell(text) {
  return text.replace(/\|/g, "\\|");
}

/** The markdown table of one section's keys; a row several sections share gives this section's release. */
function table(rows, group) {
  const lines = ["| key | value | since podman | what it does |", "| --- | --- | --- | --- |"];
  for (const r of [...rows].sort((a, b) => a.key.localeCompare(b.key))) {
    const value = r.choices ? r.choices.join(", ") : r.value;
    lines.push(`| \`${r.key}=\` | ${escapeCell(value)} | ${sinceIn(r, group)} | ${escapeCell(r.doc)} |`);
  }
  return lines.join("\n");
}

const { UNIT_TYPES, QUADLET_KEYS, sinceIn } = await loadTs(
  'export { UNIT_TYPES } from "./src/generator/registry.ts"; export { QUADLET_KEYS } from "./src/generator/common.ts"; export { sinceIn } from "./src/generator/keys.ts";',
);
const tables = new Map([["Quadlet", table(QUADLET_KEYS, "Quadlet")]]);
for (const type of UNIT_TYPES.values()) tables.set(type.group, table(type.keys, type.group));

const mode = process.argv[2];
if (!mode) {
  for (const [group, text] of tables) console.log(`### [${group}]\n\n${text}\n`);
  process.exit(0);
}

const page = readFileSync(manPage, "utf8");
const updated = page.replace(/<!-- keys:(\w+) -->\n[\s\S]*?<!-- \/keys -->/g, (whole, group) => {
  const text = tables.get(group);
  if (!text) throw new Error(`man/quadlet.unit.5.md has a table for [${group}], which no unit type has`);
  return `<!-- keys:${group} -->\n${text}\n<!-- /keys -->`;
});
const missing = [...tables.keys()].filter((g) => !page.includes(`<!-- keys:${g} -->`));
if (mode === "--write") {
  writeFileSync(manPage, updated);
  if (missing.length) console.error(`no table marker for: ${missing.join(", ")}`);
} else if (mode === "--check") {
  if (updated !== page || missing.length) {
    console.error("man/quadlet.unit.5.md is out of date with the key tables: run node scripts/unit-keys.mjs --write");
    process.exit(1);
  }
} else {
  console.error(`unknown option ${mode}`);
  process.exit(2);
}
