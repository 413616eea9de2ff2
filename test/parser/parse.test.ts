import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderUnit } from "../../src/emit/render.js";
import { decodeUnitBytes, ParseError, parseUnitText } from "../../src/parser/parse.js";

// Tests run from the repository root.
const fixture = (name: string) => readFileSync(`fixtures/parser/${name}`, "utf8");

describe("parseUnitText", () => {
  const unit = parseUnitText(fixture("continuation.container"), "continuation.container", "/q/continuation.container");

  it("trims keys and values", () => {
    expect(unit.lookup("Container", "Image")).toBe("quay.io/example/app:1");
  });

  it("joins continuation lines with nothing in between and drops comments inside them", () => {
    expect(unit.lookup("Container", "Exec")).toBe("/bin/app --flag value");
  });

  it("keeps repeated keys in order and merges repeated sections", () => {
    expect(unit.lookupAll("Container", "Label")).toEqual(["a=1", "b=2", "c=3"]);
    expect(unit.groups.map((g) => g.name)).toEqual(["Unit", "Container"]);
  });

  it("remembers the file and line of every value", () => {
    expect(unit.lookupLine("Container", "Image")!.origin).toEqual({ file: "/q/continuation.container", line: 8 });
    // A continued value is located at its first line.
    expect(unit.lookupLine("Container", "Exec")!.origin!.line).toBe(9);
  });

  it("keeps comments before the first section and prints them again", () => {
    const text = renderUnit(unit);
    expect(text.startsWith("# A comment before any section\n; and another\n\n[Unit]\n")).toBe(true);
  });

  it("treats # and ; lines as comments, not keys", () => {
    const u = parseUnitText("[A]\n#K=1\n;K=2\nK=3\n", "a.container", "/a");
    expect(u.lookupAll("A", "K")).toEqual(["3"]);
  });

  it("does not continue a comment that ends in a backslash", () => {
    const u = parseUnitText("[A]\n# note \\\nK=1\n", "a.container", "/a");
    expect(u.lookup("A", "K")).toBe("1");
  });

  it("handles CRLF line ends", () => {
    const u = parseUnitText("[A]\r\nK=1\r\nL=2 \\\r\n 3\r\n", "a.container", "/a");
    expect(u.lookup("A", "K")).toBe("1");
    expect(u.lookup("A", "L")).toBe("2 3");
  });

  it("keeps specifiers untouched", () => {
    const u = parseUnitText("[A]\nK=%h/%n/%i %%\n", "a.container", "/a");
    expect(u.lookup("A", "K")).toBe("%h/%n/%i %%");
  });

  it("an empty assignment clears the values before it", () => {
    const u = parseUnitText("[A]\nK=1\nK=\nK=2\n", "a.container", "/a");
    expect(u.lookupAll("A", "K")).toEqual(["2"]);
    expect(u.lookup("A", "K")).toBe("2");
  });

  it("strips one pair of surrounding double quotes from single values", () => {
    const u = parseUnitText('[A]\nK="value"\n', "a.container", "/a");
    expect(u.lookup("A", "K")).toBe("value");
  });

  it("names file and line of a line that is neither key, section nor comment", () => {
    expect(() => parseUnitText("[A]\nK=1\nnot a key\n", "a.container", "/q/a.container")).toThrow(ParseError);
    try {
      parseUnitText("[A]\nK=1\nnot a key\n", "a.container", "/q/a.container");
    } catch (err) {
      expect((err as ParseError).message).toMatch(/^\/q\/a\.container:3: /);
    }
  });

  it("refuses a key before any section", () => {
    expect(() => parseUnitText("K=1\n[A]\n", "a.container", "/q/a")).toThrow(/comes before any \[Section\]/);
  });

  it("refuses an invalid section name", () => {
    expect(() => parseUnitText("[]\n", "a.container", "/q/a")).toThrow(/invalid section name/);
  });
});

describe("decodeUnitBytes", () => {
  it("refuses a NUL byte and names its line", () => {
    expect(() => decodeUnitBytes(new Uint8Array([0x5b, 0x41, 0x5d, 0x0a, 0x4b, 0x00]), "/q/x")).toThrow(/^\/q\/x:2: .*NUL/);
  });

  it("refuses invalid UTF-8 and names its line", () => {
    expect(() => decodeUnitBytes(new Uint8Array([0x5b, 0x41, 0x5d, 0x0a, 0x0a, 0xff]), "/q/x")).toThrow(/^\/q\/x:3: .*UTF-8/);
  });

  it("drops a byte-order mark", () => {
    expect(decodeUnitBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x41, 0x5d]), "/q/x")).toBe("[A]");
  });
});
