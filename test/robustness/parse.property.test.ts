/**
 * Properties of the unit-file parser and printer, over generated files.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkRenderable } from "../../src/emit/output.js";
import { renderUnit } from "../../src/emit/render.js";
import { decodeUnitBytes, ParseError, parseUnitText } from "../../src/parser/parse.js";
import type { UnitFile } from "../../src/parser/unitfile.js";

/** Pieces unit files are made of, the awkward ones included. */
const piece = fc.constantFrom("[Unit]", "[Service]", "[Container]", "[X-A b]", "[", "]", "[]", "Key", "Exec", "=", " = ", "value", "\\", "\\\\", "#", ";", " ", "\t", "\r", '"', "'", "%n", "\u00e9", "\u2028", "\ufeff", "\x0b", "a\\nb", "\\x0a", "\\012");
const line = fc.oneof(
  fc.array(piece, { maxLength: 6 }).map((p) => p.join("")),
  fc.string({ maxLength: 20 }),
  fc.tuple(fc.constantFrom("Description", "Exec", "Environment", "[a]b"), fc.string({ maxLength: 20 })).map(([k, v]) => `${k}=${v}`),
);
const unitText = fc.array(line, { maxLength: 25 }).map((lines) => lines.join("\n"));

/** Groups and their key/value lines: what the unit means, comments aside. */
function meaning(unit: UnitFile): [string, [string, string][]][] {
  return unit.groups.map((g) => [g.name, g.lines.filter((l) => !l.isComment).map((l): [string, string] => [l.key, l.value])]);
}

describe("parsing", () => {
  it("throws nothing but ParseError, whatever the text", () => {
    fc.assert(
      fc.property(fc.oneof(unitText, fc.string({ unit: "binary", maxLength: 200 })), (text) => {
        try {
          parseUnitText(text, "a.container", "/u/a.container");
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 10000 },
    );
  });

  it("decoding throws nothing but ParseError, whatever the bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeUnitBytes(bytes, "/u/a.container");
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
          expect((err as Error).message).toMatch(/^\/u\/a\.container:\d+: /);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("a printed unit parses back to the same sections, keys and values", () => {
    let checked = 0;
    fc.assert(
      fc.property(unitText, (text) => {
        let unit: UnitFile;
        try {
          unit = parseUnitText(text, "a.container", "/u/a.container");
        } catch {
          return;
        }
        try {
          checkRenderable(unit);
        } catch {
          // Refused before writing (a value ending in a backslash, a key starting "["): fine.
          return;
        }
        checked++;
        const again = parseUnitText(renderUnit(unit), "a.container", "/u/a.container");
        expect(meaning(again)).toEqual(meaning(unit));
      }),
      { numRuns: 10000 },
    );
    // Most generated files are printable: the property is not vacuous.
    expect(checked).toBeGreaterThan(1000);
  });
});
