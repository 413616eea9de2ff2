/**
 * The pieces under the managing subcommands: the .quadlets splitter, the template renderer,
 * the flag parser, systemctl's output and the path checks.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hostFs } from "../../src/fsys.js";
import { parseFlags, UsageError } from "../../src/manage/args.js";
import { diagnosticLines } from "../../src/manage/inventory.js";
import { escapeProblem } from "../../src/manage/dirs.js";
import { QuadletsError, splitQuadlets } from "../../src/manage/quadlets.js";
import { downloadName } from "../../src/manage/sources.js";
import { isRunning, parseShow } from "../../src/manage/systemctl.js";
import { alignColumns, compileTemplate, TemplateError } from "../../src/manage/template.js";

describe(".quadlets files", () => {
  it("splits on --- lines, types each part by its section and names it by # FileName=", () => {
    const parts = splitQuadlets("# FileName=a\n[Container]\nImage=x\n  ---  \n\n\n# FileName=b.volume\n[Volume]\n---\n", "f.quadlets");
    expect(parts).toEqual([
      { name: "a.container", text: "# FileName=a\n[Container]\nImage=x\n", firstLine: 1 },
      { name: "b.volume", text: "# FileName=b.volume\n[Volume]\n", firstLine: 7 },
    ]);
  });

  it.each([
    ["# FileName=a\n[Container]\n---\n# FileName=a\n[Container]\n", "f.quadlets:4: a.container is already named at line 1"],
    ["# FileName=a.volume\n[Container]\n", "ends in .volume, but the part's section makes it a .container file"],
    ["# FileName=/etc/passwd\n[Volume]\n", "holds a path separator"],
    ["# FileName=.hidden\n[Volume]\n", "hidden names"],
    ["# FileName=\n[Volume]\n", "the name is empty"],
    ["# FileName=x\n[Service]\nExecStart=/bin/true\n", "this part has no quadlet section"],
    ["\n---\n\n", "holds no quadlet"],
  ])("refuses %j", (text, message) => {
    expect(() => splitQuadlets(text, "f.quadlets")).toThrow(QuadletsError);
    expect(() => splitQuadlets(text, "f.quadlets")).toThrow(message);
  });
});

describe("templates", () => {
  const rows = [
    { Name: "a.container", Status: "active/running" },
    { Name: "b.volume", Status: "inactive/dead" },
  ];
  it("renders fields, ranges, json and trim markers", () => {
    expect(compileTemplate("{{range .}}{{.Name}}={{ .Status }};{{end}}", ["Name", "Status"]).render(rows)).toBe("a.container=active/running;b.volume=inactive/dead;");
    expect(compileTemplate("{{range .}}{{json .}}\n{{- end}}", ["Name", "Status"]).render(rows)).toBe('{"Name":"a.container","Status":"active/running"}{"Name":"b.volume","Status":"inactive/dead"}');
    expect(compileTemplate("{{json .}}", ["Name"]).render(rows.slice(0, 1))).toBe('[{"Name":"a.container","Status":"active/running"}]');
  });

  it.each([
    ["{{.Nope}}", 'unknown field ".Nope"'],
    ["{{range .}}{{.Name}}", "without"],
    ["{{end}}", "without"],
    ["{{printf \"%s\" .Name}}", "is not understood"],
    ["{{.Name", "unbalanced"],
    ["{{range .}}{{range .}}{{end}}{{end}}", "cannot be nested"],
  ])("refuses %j", (text, message) => {
    expect(() => compileTemplate(text, ["Name"])).toThrow(TemplateError);
    expect(() => compileTemplate(text, ["Name"])).toThrow(message);
  });

  it("never evaluates what it is given", () => {
    const t = compileTemplate("{{range .}}{{.Name}}{{end}}", ["Name"]);
    expect(t.render([{ Name: "${process.exit(1)}{{.Name}}" }])).toBe("${process.exit(1)}{{.Name}}");
  });

  it("lines columns up as podman does: at least 12 wide, two spaces apart, the last cell unpadded", () => {
    expect(alignColumns("NAME\tSTATUS\tX\na-very-long-name.container\tok\t\n")).toBe("NAME                        STATUS      X\na-very-long-name.container  ok\n");
  });
});

describe("flags", () => {
  const specs = [
    { name: "user", kind: "bool", help: "" },
    { name: "reload-systemd", kind: "bool", default: true, help: "" },
    { name: "filter", short: "f", kind: "list", help: "" },
    { name: "format", kind: "string", help: "" },
  ] as const;
  it("reads GNU and Go styles, joined and separate values, and booleans with =", () => {
    const p = parseFlags("list", ["-user", "--reload-systemd=false", "-f", "name=a", "--filter=status=b", "--format", "json", "x", "--", "-y"], specs);
    expect(p.bools.get("user")).toBe(true);
    expect(p.bools.get("reload-systemd")).toBe(false);
    expect(p.lists.get("filter")).toEqual(["name=a", "status=b"]);
    expect(p.strings.get("format")).toBe("json");
    expect(p.positional).toEqual(["x", "-y"]);
  });
  it("keeps defaults and never lets a boolean swallow the next argument", () => {
    const p = parseFlags("rm", ["--reload-systemd", "false"], specs);
    expect(p.bools.get("reload-systemd")).toBe(true);
    expect(p.positional).toEqual(["false"]);
  });
  it("refuses unknown flags, bad booleans and missing values", () => {
    expect(() => parseFlags("x", ["--nope"], specs)).toThrow(UsageError);
    expect(() => parseFlags("x", ["--user=perhaps"], specs)).toThrow("invalid value");
    expect(() => parseFlags("x", ["--format"], specs)).toThrow("needs a value");
  });
});

describe("diagnostics", () => {
  it("are printed compiler-style, with a hint line when there is one", () => {
    const d = { code: "QL0102", severity: "error" as const, file: "web.container", line: 3, key: "Imgae", message: "unsupported key 'Imgae'" };
    expect(diagnosticLines(d)).toBe("web.container:3: error[QL0102]: unsupported key 'Imgae'\n");
    expect(diagnosticLines({ ...d, hint: "did you mean Image?" })).toBe("web.container:3: error[QL0102]: unsupported key 'Imgae'\n  hint: did you mean Image?\n");
  });
});

describe("systemctl show", () => {
  it("reads one block per unit, whatever the order of the properties", () => {
    const states = parseShow("Id=a.service\nLoadState=loaded\nActiveState=active\nSubState=running\n\nActiveState=inactive\nSubState=dead\nLoadState=not-found\nId=b.service\n");
    expect(states.get("a.service")).toEqual({ loadState: "loaded", activeState: "active", subState: "running" });
    expect(states.get("b.service")).toEqual({ loadState: "not-found", activeState: "inactive", subState: "dead" });
    expect(isRunning(states.get("a.service"))).toBe(true);
    expect(isRunning(states.get("b.service"))).toBe(false);
  });
});

describe("paths", () => {
  it("takes a download's name from Content-Disposition, else from the URL", () => {
    expect(downloadName("http://h/x/web.container?y=1", null)).toBe("web.container");
    expect(downloadName("http://h/get", 'attachment; filename="db.volume"')).toBe("db.volume");
    expect(downloadName("http://h/my%20app.container", null)).toBe("my app.container");
  });

  it("refuses absolute paths, .. and symlinks that lead out of the install directory", () => {
    const root = mkdtempSync(join(tmpdir(), "quadlet-paths-"));
    try {
      const dir = join(root, "install");
      mkdirSync(dir);
      mkdirSync(join(root, "elsewhere"));
      symlinkSync(join(root, "elsewhere"), join(dir, "out"));
      mkdirSync(join(dir, "app"));
      symlinkSync(join(dir, "app"), join(dir, "alias"));
      expect(escapeProblem(hostFs, dir, "/etc/passwd")).toContain("absolute");
      expect(escapeProblem(hostFs, dir, "a/../../x")).toContain("would leave");
      expect(escapeProblem(hostFs, dir, "out/x.container")).toContain("symbolic link");
      expect(escapeProblem(hostFs, dir, "alias/x.container")).toBeUndefined();
      expect(escapeProblem(hostFs, dir, "new/dir/x.container")).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
