/**
 * No value can add a line, a key or a section to a generated unit, and every name that
 * becomes a file or a link is one systemd can load, inside the output directory.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkRenderable, renderChecked, serviceFileText } from "../../src/emit/output.js";
import { renderUnit } from "../../src/emit/render.js";
import { isValidUnitName, unitNameProblem } from "../../src/text/names.js";
import { compileAll } from "../../src/generator/index.js";
import { parseUnitText } from "../../src/parser/parse.js";
import { UnitFile } from "../../src/parser/unitfile.js";
import { splitArgs } from "../../src/parser/words.js";
import { compileFiles, execWords } from "../helpers.js";
import { runOn, snapshot, tempDir, writeTree } from "./support.js";

const FIXTURES = join(__dirname, "../../fixtures/robustness");

/** The keys of every group, in order, as systemd would read the text (after our parser). */
function shape(text: string): [string, string[]][] {
  const unit = parseUnitText(text, "x.service", "/x.service");
  return unit.groups.map((g) => [g.name, g.lines.filter((l) => !l.isComment).map((l) => l.key)]);
}

describe("values are escaped, never injected", () => {
  const source = readFileSync(join(FIXTURES, "injection.container"), "utf8");
  const { services, errors } = compileFiles({ "injection.container": source });
  const service = services.get("injection.service")!;

  it("compiles the unit", () => {
    expect(errors.size).toBe(0);
  });

  it("keeps every escaped newline, specifier, semicolon and quote inside its Exec word", () => {
    const words = execWords(service);
    const tail = words.slice(words.indexOf("registry.example.com/app:1") + 1);
    expect(tail).toEqual(["/bin/echo", "a\nExecStartPre=/bin/evil", "b\n[Install]", "\nWantedBy=x.target", ";", "%n", "\\", '"']);
    expect(words).toContain("GREETING=hi\nthere");
  });

  it("prints a unit with exactly the sections and keys it holds", () => {
    const text = serviceFileText(service);
    expect(shape(text)).toEqual(service.groups.map((g) => [g.name, g.lines.filter((l) => !l.isComment).map((l) => l.key)]));
    expect(text).not.toMatch(/^ExecStartPre=/m);
    expect(text).not.toMatch(/^WantedBy=/m);
    expect(shape(text).map(([g]) => g)).toEqual(["Unit", "X-Container", "Service"]);
  });

  it("joins a continued [Unit] value into one line, whatever the pieces look like", () => {
    expect(service.lookup("Unit", "Description")).toBe("one line [Service] ExecStartPre=/bin/evil");
  });

  it("writes a lone ';' word so that systemd does not read it as a command separator", () => {
    const line = service.lookup("Service", "ExecStart")!;
    expect(line).toMatch(/ ";" /);
    expect(line).not.toMatch(/ ; /);
  });
});

describe("the last check before writing", () => {
  const unit = (): UnitFile => parseUnitText("[Unit]\nDescription=ok\n", "a.service", "/u/a.container");

  it("accepts an ordinary unit", () => {
    expect(() => checkRenderable(unit())).not.toThrow();
  });

  it.each([
    ["a newline in a value", (u: UnitFile) => u.add("Unit", "Description", "a\nExecStart=/bin/evil")],
    ["a carriage return in a value", (u: UnitFile) => u.add("Unit", "Description", "a\rExecStart=/bin/evil")],
    ["a NUL in a value", (u: UnitFile) => u.add("Unit", "Description", "a\0b")],
    ["a trailing backslash", (u: UnitFile) => u.add("Unit", "Description", "a\\")],
    ["a key that starts a section", (u: UnitFile) => u.add("Unit", "[Service]x", "y]")],
    ["a key with a newline", (u: UnitFile) => u.add("Unit", "A\nB", "c")],
    ["a comment that is not one", (u: UnitFile) => u.prependComment("Unit", "ExecStart=/bin/evil")],
    ["a section name with a newline", (u: UnitFile) => u.ensureGroup("Service]\n[Install")],
    ["a path with a newline", (u: UnitFile) => (u.path = "/u/x\nExecStart=/bin/evil/a.container")],
  ])("refuses %s", (_what, spoil) => {
    const u = unit();
    spoil(u);
    expect(() => checkRenderable(u)).toThrow(/the generated unit would not say what the file says/);
    expect(() => renderChecked(u)).toThrow(/the generated unit would not say what the file says/);
  });

  it("renders and checks the whole text exactly as checkRenderable checks it line by line", () => {
    const piece = fc.constantFrom("a", "=", " ", "#", ";", "[", "]", "\\", "\n", "\r", "\0", "x=y", "\u2028");
    const text = fc.array(piece, { maxLength: 4 }).map((p) => p.join(""));
    const edit = fc.oneof(
      fc.tuple(fc.constant("key" as const), text, text),
      fc.tuple(fc.constant("comment" as const), text, fc.constant("")),
      fc.tuple(fc.constant("group" as const), text, text),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 4 }), (edits) => {
        const u = unit();
        for (const [what, a, b] of edits) {
          if (what === "key") u.add("Service", a.length ? a : "K", b);
          else if (what === "comment") u.prependComment("Unit", a);
          else u.add(a.length ? a : "G", "K", b);
        }
        let lineByLine: string | undefined;
        try {
          checkRenderable(u);
        } catch (err) {
          lineByLine = (err as Error).message;
        }
        if (lineByLine === undefined) expect(renderChecked(u)).toBe(renderUnit(u));
        else expect(() => renderChecked(u)).toThrow(lineByLine);
      }),
      { numRuns: 3000 },
    );
  });

  it("accepts a key exactly when systemd reads it back as that key", () => {
    // The rule in words: not empty, no blank at either end, not starting with "=", "[", "#"
    // or ";", and no "=" or line break anywhere.
    const readsBack = (key: string): boolean =>
      key.length > 0 && key.trim() === key && !"=[#;".includes(key[0]!) && !key.includes("=") && !/[\n\r\0]/.test(key);
    const keyChar = fc.constantFrom("a", "Z", "-", " ", "\t", "=", "[", "]", "#", ";", "\n", "\r", "\0", "\u00a0", "\u2028", "\ufeff", "\u00e9", "%");
    fc.assert(
      fc.property(fc.array(keyChar, { maxLength: 6 }).map((c) => c.join("")), (key) => {
        const u = unit();
        u.add("Unit", key, "v");
        let accepted = true;
        try {
          checkRenderable(u);
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(readsBack(key));
      }),
      { numRuns: 5000 },
    );
  });

  it("refuses a value ending in a backslash at the end of a file, naming file, line and key", () => {
    const u = parseUnitText("[Unit]\nDescription=x \\\\\n", "a.service", "/u/a.container");
    expect(() => checkRenderable(u)).toThrow(/^\/u\/a\.container:2: the value of Description= ends in a backslash/);
  });

  it("the parser refuses a carriage return inside a line, comments included", () => {
    expect(() => parseUnitText("[Unit]\nDescription=a\rExecStart=/bin/evil\n", "a.container", "/u/a.container")).toThrow(/a\.container:2: .*carriage return/);
    expect(() => parseUnitText("[Unit]\n# a\rExecStart=/bin/evil\n", "a.container", "/u/a.container")).toThrow(/a\.container:2: .*carriage return/);
    // A CRLF file is fine.
    expect(parseUnitText("[Unit]\r\nDescription=a\r\n", "a.container", "/u/a.container").lookup("Unit", "Description")).toBe("a");
  });
});

describe("paths that reach the unit", () => {
  it("refuses a unit whose path holds a line break (it would become SourcePath=)", () => {
    const u = parseUnitText("[Container]\nImage=registry.example.com/a:1\n", "a.container", "/etc/containers/systemd/x\nExecStartPre=/bin/evil/a.container");
    const { errors } = compileUnitFiles([u]);
    expect(errors[0]).toMatch(/converting "a\.container": the path .* holds a control character/);
  });

  it("writes a volume path with spaces and escapes as one RequiresMountsFor= word", () => {
    const { services } = compileFiles({ "a.container": "[Container]\nImage=registry.example.com/a:1\nVolume=/srv/my data\\x0a[Install]:/data\n" });
    const text = serviceFileText(services.get("a.service")!);
    const mounts = text.split("\n").filter((l) => l.startsWith("RequiresMountsFor=/srv") || l.startsWith('RequiresMountsFor="'));
    expect(mounts).toEqual(['RequiresMountsFor="/srv/my\\x20data\\\\x0a[Install]"']);
    expect(shape(text).map(([g]) => g)).not.toContain("Install");
    // Volume= takes the path as written: the backslash stays a backslash.
    expect(splitArgs(mounts[0]!.slice("RequiresMountsFor=".length))).toEqual(["/srv/my data\\x0a[Install]"]);
  });
});

describe("unit names", () => {
  it.each(["web.service", "web@.service", "web@1.service", "a:b_c-d.e\\x2d.target", "x".repeat(247) + ".service"])("accepts %s", (name) => {
    expect(unitNameProblem(name)).toBeUndefined();
  });

  it.each([
    ["", /empty/],
    ["web", /type suffix/],
    [".service", /no name before/],
    ["web.serv", /not a unit type/],
    ["my web.service", /character/],
    ["caf\u00e9.service", /character/],
    ["a/b.service", /character/],
    ["a\nb.service", /character/],
    ["@x.service", /nothing before its "@"/],
    ["x".repeat(248) + ".service", /at most 255/],
  ])("refuses %j", (name, why) => {
    expect(isValidUnitName(name)).toBe(false);
    expect(unitNameProblem(name)).toMatch(why);
  });

  it("refuses bad [Install] names, naming file, line and key, and writes nothing outside the output directory", () => {
    const root = tempDir("names");
    const units = join(root, "units");
    const out = join(root, "out");
    const install = (line: string): string => `[Container]\nImage=registry.example.com/a:1\n[Install]\n${line}\n`;
    writeTree(units, {
      "abs.container": install("Alias=/etc/systemd/system/evil.service"),
      "dots.container": install("Alias=in/../../evil.service"),
      "space.container": install('Alias="my alias.service"'),
      "wanted.container": install("WantedBy=caf\u00e9.target"),
      "required.container": install("RequiredBy=x.notatype"),
      "upheld.container": install("UpheldBy=@x.target"),
      "defaultinstance@.container": install("WantedBy=default.target\nDefaultInstance=a b"),
      "nested.container": install("Alias=in/a/dir/alias.service"),
    });
    const { status, log } = runOn([units], out);
    expect(status).toBe(1);
    const errors = log.errors.join("\n");
    expect(errors).toMatch(/abs\.container:4: Alias=\/etc\/systemd\/system\/evil\.service is an absolute path/);
    expect(errors).toMatch(/dots\.container:4: Alias=in\/\.\.\/\.\.\/evil\.service would leave the generator directory/);
    expect(errors).toMatch(/space\.container:4: Alias=my alias\.service is not a valid unit name/);
    expect(errors).toMatch(/wanted\.container:4: WantedBy=café\.target is not a valid unit name/);
    expect(errors).toMatch(/required\.container:4: RequiredBy=x\.notatype is not a valid unit name/);
    expect(errors).toMatch(/upheld\.container:4: UpheldBy=@x\.target is not a valid unit name/);
    expect(errors).toMatch(/defaultinstance@\.container:5: DefaultInstance=a b makes "defaultinstance@a b\.service", which is not a valid unit name/);
    expect(log.errors).toHaveLength(7);
    // Everything that was written is below `out`, and only the valid unit's files are there.
    expect([...snapshot(root).keys()].filter((p) => !p.startsWith("units")).sort()).toEqual([
      "out", "out/in", "out/in/a", "out/in/a/dir", "out/in/a/dir/alias.service", "out/nested.service",
    ]);
    expect(snapshot(out).get("in/a/dir/alias.service")).toEqual({ kind: "link", target: "../../../nested.service" });
  });
});

/** compileAll over ready-made units, returning the error messages. */
function compileUnitFiles(units: UnitFile[]): { errors: string[] } {
  const results = compileAll(units, { userMode: false, podman: "/usr/bin/podman" });
  return { errors: results.flatMap((r) => (r.ok ? [] : r.errors)) };
}
