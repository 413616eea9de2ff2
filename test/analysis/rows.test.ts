/**
 * The key tables are what the generator reads, not decoration: converters read keys
 * through the section record by row, every row they name is in their table, and every
 * value kind has a parser or is text by design.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UNIT_TYPES } from "../../src/generator/registry.js";
import { QUADLET_KEYS } from "../../src/generator/common.js";
import type { KeyRow, ValueKind } from "../../src/generator/keys.js";
import { checkValue, PARSED_KINDS, TEXT_KINDS } from "../../src/analysis/values.js";
import { SectionRecord } from "../../src/analysis/record.js";
import { PodmanCommand } from "../../src/generator/model.js";
import { UnitFile } from "../../src/parser/unitfile.js";

const DIR = "src/generator";
const sources = readdirSync(DIR)
  .filter((n) => n.endsWith(".ts"))
  .map((n) => ({ name: n, text: readFileSync(`${DIR}/${n}`, "utf8") }));

/** The text without its comments. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
}

/** Sections that are systemd's, which converters read on the generated service. */
const SYSTEMD_GROUPS = new Set(["SERVICE_GROUP", "UNIT_GROUP", "INSTALL_GROUP"]);

describe("converters", () => {
  it("never look a quadlet key up on the unit file: only systemd's sections are read that way", () => {
    const offending: string[] = [];
    for (const { name, text } of sources) {
      // A record (`rec`) is read by row; anything else looked up is a unit file.
      for (const m of code(text).matchAll(/(\w+)\.(lookup\w*|hasKey)\(\s*([^,)]+)/g)) {
        if (m[1] !== "rec" && !SYSTEMD_GROUPS.has(m[3]!.trim())) offending.push(`${name}: ${m[0]}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it("name only rows of their own table (K.Name)", () => {
    const tables = new Map([...UNIT_TYPES.values()].map((t) => [t.extension.slice(1), t.keys]));
    const allKeys = new Set([...UNIT_TYPES.values()].flatMap((t) => t.keys.map((r) => r.key)));
    const missing: string[] = [];
    let checked = 0;
    for (const { name, text } of sources) {
      const base = name.replace(/\.ts$/, "");
      const own = tables.get(base);
      const keys = own ? new Set(own.map((r) => r.key)) : allKeys;
      for (const m of code(text).matchAll(/\bK\.(\w+)/g)) {
        checked++;
        if (!keys.has(m[1]!)) missing.push(`${name}: K.${m[1]}`);
      }
      for (const m of text.matchAll(/keyHandles\(\[([^\]]*)\]\)/g)) {
        for (const k of m[1]!.matchAll(/"(\w+)"/g)) if (!allKeys.has(k[1]!)) missing.push(`${name}: handle ${k[1]}`);
      }
    }
    expect(checked).toBeGreaterThan(80);
    expect(missing).toEqual([]);
  });
});

/** A value each parsed kind accepts, and one it does not. */
const SAMPLES: Record<string, [string, string]> = {
  boolean: ["yes", "maybe"],
  integer: ["42", "lots"],
  duration: ["1m30s", "often"],
  size: ["512m", "big"],
};

describe("value kinds", () => {
  const rows: KeyRow[] = [...[...UNIT_TYPES.values()].flatMap((t) => t.keys), ...QUADLET_KEYS];

  it("are each parsed, or text on purpose", () => {
    const kinds = new Set<ValueKind>(rows.map((r) => r.value));
    for (const k of kinds) expect([...PARSED_KINDS, ...TEXT_KINDS]).toContain(k);
  });

  it("accept a good value and report a bad one, for every row of a parsed kind", () => {
    for (const r of rows) {
      if (!PARSED_KINDS.includes(r.value) || r.strict) continue;
      const [good, bad] = r.value === "enum" ? [r.choices![0]!, "bogus"] : SAMPLES[r.value]!;
      expect(checkValue(r, good), `${r.key}=${good}`).toBeUndefined();
      const problem = checkValue(r, bad);
      expect(problem, `${r.key}=${bad}`).toBeDefined();
      expect(problem!.hint).toMatch(/^accepted: /);
    }
  });

  it("read durations as Go's time.ParseDuration does, micro sign included", () => {
    const row = rows.find((r) => r.value === "duration" && !r.strict)!;
    for (const good of ["0", "250ms", "1h2m3.5s", "10\u00b5s", "10\u03bcs", "7us", "disable"]) expect(checkValue(row, good), good).toBeUndefined();
    for (const bad of ["10", "1.5", "5 s", "10\u03bcx"]) expect(checkValue(row, bad), bad).toBeDefined();
  });

  it("leave enums podman itself rejects to their converter", () => {
    const strict = new Set(rows.filter((r) => r.strict).map((r) => r.key));
    expect([...strict].sort()).toEqual(["RemapUsers", "SetWorkingDirectory"]);
    for (const r of rows.filter((x) => x.strict)) expect(checkValue(r, "bogus")).toBeUndefined();
  });
});

describe("emitters", () => {
  it("add nothing for a key the section does not set (emitKeys visits only the keys set)", () => {
    const rows = [...UNIT_TYPES.values()].flatMap((t) => t.keys).filter((r) => r.emit);
    expect(rows.length).toBeGreaterThan(40);
    const empty = new SectionRecord(new UnitFile("x.container"), "Container", new Map());
    for (const r of rows) {
      const cmd = new PodmanCommand("/usr/bin/podman", ["run"]);
      r.emit!(empty, r, cmd);
      expect(cmd.args, r.key).toEqual([]);
    }
  });
});
