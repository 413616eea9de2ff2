/** The catalogue of diagnostic codes: complete, used, and documented in quadlet(8). */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CODES } from "../../src/analysis/codes.js";

const sources = readdirSync("src", { recursive: true, encoding: "utf8" })
  .filter((n) => n.endsWith(".ts") && !n.endsWith("codes.ts"))
  .map((n) => readFileSync(`src/${n}`, "utf8"))
  .join("\n");

describe("diagnostic codes", () => {
  it("are each documented with a title, a meaning, an example and a fix", () => {
    for (const [code, c] of Object.entries(CODES)) {
      expect(code).toMatch(/^QL\d{4}$/);
      for (const field of [c.title, c.doc, c.example, c.fix]) expect(field.length, code).toBeGreaterThan(3);
    }
  });

  it("used in the sources are all in the catalogue", () => {
    const used = new Set([...sources.matchAll(/"(QL\d{4})"/g)].map((m) => m[1]!));
    for (const code of used) expect(Object.keys(CODES)).toContain(code);
    expect(used.size).toBeGreaterThan(10);
  });

  it("are all in man/quadlet.8.md, as scripts/diagnostic-codes.mjs writes them", () => {
    const check = spawnSync(process.execPath, ["scripts/diagnostic-codes.mjs", "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    const page = readFileSync("man/quadlet.8.md", "utf8");
    for (const code of Object.keys(CODES)) expect(page).toContain(`**${code}**`);
    expect(page).toMatch(/# COMPATIBILITY\n/);
  });
});
