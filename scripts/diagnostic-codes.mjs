// Keeps the DIAGNOSTICS section of man/quadlet.8.md in step with the catalogue of codes
// (src/analysis/codes.ts).
//
//   node scripts/diagnostic-codes.mjs          print the section's generated part
//   node scripts/diagnostic-codes.mjs --write  rewrite it between the markers in the man page
//   node scripts/diagnostic-codes.mjs --check  exit 1 when the man page is out of date
//
// The generated part sits between `<!-- codes -->` and `<!-- /codes -->`.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const manPage = join(root, "man/quadlet.8.md");

/** Loads the catalogue from the TypeScript sources. */
async function loadCodes() {
  const dir = mkdtempSync(join(tmpdir(), "quadlet-codes-"));
  const out = join(dir, "codes.cjs");
  try {
    await build({ entryPoints: [join(root, "src/analysis/codes.ts")], outfile: out, bundle: true, platform: "node", format: "cjs", logLevel: "error" });
    return createRequire(import.meta.url)(out).CODES;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One definition per code: title and severity, meaning, an example, the fix. */
function section(codes) {
  const parts = [];
  for (const [code, c] of Object.entries(codes)) {
    const example = c.example.split("\n").map((l) => `\`${l}\``).join(" then ");
    parts.push(`**${code}** ${c.severity}: ${c.title}\n: ${c.doc}\n  Example: ${example}.\n  Fix: ${c.fix}\n`);
  }
  return parts.join("\n");
}

const text = section(await loadCodes());
const mode = process.argv[2];
if (!mode) {
  console.log(text);
  process.exit(0);
}
const page = readFileSync(manPage, "utf8");
if (!page.includes("<!-- codes -->")) {
  console.error("man/quadlet.8.md has no <!-- codes --> marker");
  process.exit(1);
}
const updated = page.replace(/<!-- codes -->\n[\s\S]*?<!-- \/codes -->/, `<!-- codes -->\n${text}<!-- /codes -->`);
if (mode === "--write") writeFileSync(manPage, updated);
else if (mode === "--check") {
  if (updated !== page) {
    console.error("man/quadlet.8.md is out of date with the diagnostic codes: run node scripts/diagnostic-codes.mjs --write");
    process.exit(1);
  }
} else {
  console.error(`unknown option ${mode}`);
  process.exit(2);
}
