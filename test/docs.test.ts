import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UNIT_TYPES } from "../src/generator/registry.js";

describe("man/quadlet.unit.5.md", () => {
  it("has the generator's key tables, up to date", () => {
    const check = spawnSync(process.execPath, ["scripts/unit-keys.mjs", "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("documents every key of every unit type", () => {
    const page = readFileSync("man/quadlet.unit.5.md", "utf8");
    const missing = [...UNIT_TYPES.values()].flatMap((t) => t.keys.filter((k) => !page.includes(`\`${k.key}=\``)).map((k) => `${t.group}.${k.key}`));
    expect(missing).toEqual([]);
  });
});
