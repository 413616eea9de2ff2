/**
 * The man pages: every man/*.md renders to a page that man(1) shows without a warning, and the
 * markdown-to-roff converter gets the details right that man pages depend on.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helpText } from "../../src/help.js";
import { hasCommand, manPageNames, removeDir, run, runScript, tempDir, writeTree } from "./helpers.js";

const HAS_MAN = hasCommand("man");
const pages = manPageNames();

/** Renders `file` with man at 80 columns, the way a reader would see it. */
function showPage(file: string) {
  return run("man", ["-l", file], { env: { ...process.env, MANWIDTH: "80", MAN_KEEP_FORMATTING: "", LANG: "C.UTF-8" } });
}

let out: string;
beforeAll(() => {
  out = tempDir("man");
  const r = runScript("man", ["--outdir", out]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});
afterAll(() => removeDir(out));

describe("man pages", () => {
  it("includes quadlet(8)", () => {
    expect(pages).toContain("quadlet.8");
  });

  describe.skipIf(!HAS_MAN)(`rendered with man -l${HAS_MAN ? "" : " (skipped: man is not installed)"}`, () => {
    it.each(pages)("%s has a NAME and a SYNOPSIS and no warnings", (page) => {
      const shown = showPage(join(out, page));
      expect(shown.stderr).toBe("");
      expect(shown.status).toBe(0);
      const name = page.slice(0, page.lastIndexOf("."));
      expect(shown.stdout).toMatch(/^NAME\n\s+\S/m);
      expect(shown.stdout).toMatch(new RegExp(`^NAME\\n\\s+${name.replace(/\./g, "\\.")} - `, "m"));
      expect(shown.stdout).toMatch(/^SYNOPSIS\n\s+\S/m);
      // no markdown left over
      expect(shown.stdout).not.toMatch(/\*\*|^#+ |^```/m);
    });

    it("quadlet(8) documents every flag and the differences from podman's quadlet", () => {
      const text = showPage(join(out, "quadlet.8")).stdout;
      for (const flag of ["-dryrun", "-user", "-v", "-no-kmsg-log", "-version", "-h, --help", "-podman-version"]) {
        expect(text).toMatch(new RegExp(`^ {7}${flag}\\b`, "m"));
      }
      for (const section of ["SEARCH PATHS", "DROP-INS", "TEMPLATES", "LOGGING", "EXIT STATUS", "ENVIRONMENT", "EXAMPLES", "DIFFERENCES FROM PODMAN'S QUADLET", "PODMAN VERSIONS"]) {
        expect(text).toMatch(new RegExp(`^${section}$`, "m"));
      }
      expect(text).toContain("/usr/share/containers/systemd/users/");
    });
  });
});

describe("the subcommands' pages", () => {
  const subcommandPages = pages.filter((p) => /^quadlet-[a-z]+\.1$/.test(p));
  it("exist for the subcommands quadlet --help lists", () => {
    expect(subcommandPages.length).toBeGreaterThanOrEqual(8);
  });

  it.each(subcommandPages)("%s is named in quadlet(8)'s SEE ALSO and in quadlet --help", (page) => {
    const source = readFileSync(join(__dirname, "../../man/quadlet.8.md"), "utf8");
    const seeAlso = source.slice(source.indexOf("# SEE ALSO"));
    const name = page.slice(0, -".1".length);
    expect(seeAlso).toContain(`**${name}**(1)`);
    const subcommand = name.slice("quadlet-".length);
    expect(helpText("0")).toMatch(new RegExp(`^  ${subcommand} `, "m"));
  });
});

describe("markdown to roff", () => {
  let src: string;
  let dst: string;
  beforeAll(() => {
    src = tempDir("man-src");
    dst = tempDir("man-dst");
    writeTree(src, {
      "demo.1.md": [
        "% demo 1 | Demo Manual",
        "",
        "# NAME",
        "",
        "demo - a page with every construct",
        "",
        "## Synopsis",
        "",
        "**demo** [*--flag*] `x-y`",
        ".starts with a dot",
        "",
        "- first item",
        "  continued",
        "- second item",
        "",
        "1. one",
        "2. two",
        "",
        "**-a**",
        ": what a does",
        "",
        "    a second paragraph",
        "",
        "| key | meaning |",
        "| --- | --- |",
        "| `A=` | a short one |",
        "",
        "```",
        ".not a request",
        "back\\slash",
        "```",
        "",
      ].join("\n"),
    });
    const r = runScript("man", ["--srcdir", src, "--outdir", dst]);
    expect(r.status).toBe(0);
  });
  afterAll(() => {
    removeDir(src);
    removeDir(dst);
  });
  const roff = () => readFileSync(join(dst, "demo.1"), "utf8");

  it("writes the title line with the section and manual name, and tbl's marker for tables", () => {
    const lines = roff().split("\n");
    expect(lines[0]).toBe(`'\\" t`);
    expect(lines[1]).toMatch(/^\.TH "DEMO" "1" "" "quadlet [^"]+" "Demo Manual"$/);
  });

  it("upper-cases section headings and maps inline markup to fonts", () => {
    const text = roff();
    expect(text).toContain('.SH "SYNOPSIS"');
    expect(text).toContain("\\fBdemo\\fR [\\fI\\-\\-flag\\fR] \\fBx\\-y\\fR");
  });

  it("guards lines that roff would read as requests and escapes backslashes", () => {
    const text = roff();
    expect(text).toContain("\\&.starts with a dot");
    expect(text).toContain("\\&.not a request");
    expect(text).toContain("back\\eslash");
    expect(text).not.toMatch(/^\.(starts|not)/m);
  });

  it("renders lists, definitions and tables", () => {
    const text = roff();
    expect(text).toContain(".IP \\(bu 2\nfirst item\ncontinued");
    expect(text).toContain(".IP 2. 4\ntwo");
    expect(text).toContain(".TP\n\\fB\\-a\\fR\nwhat a does\n.RS\n.PP\na second paragraph\n.RE");
    expect(text).toMatch(/\.TS\n[^]*\\fBA=\\fR\tT\{\na short one\nT\}\n\.TE/);
  });

  it.skipIf(!HAS_MAN)("produces a page man shows without warnings", () => {
    const shown = showPage(join(dst, "demo.1"));
    expect(shown.stderr).toBe("");
    expect(shown.stdout).toContain("back\\slash");
    expect(shown.stdout).toMatch(/^ +• first item continued$/m);
  });
});
