// Renders every man/NAME.SECTION.md into a roff man page, dist/man/NAME.SECTION.
//
//   node scripts/man.mjs [--outdir DIR] [--srcdir DIR]     (defaults: dist/man, man)
//
// The markdown understood is the small subset the pages use:
//   % NAME SECTION [| MANUAL]  first line: the page's title, section and manual name
//   # / ## heading             .SH (upper-cased);  ### heading: .SS
//   paragraphs, **bold**, *italic* or _italic_, `code` (shown bold), [text](url), \* escapes
//   - bullets, 1. numbered lists (nested by indentation)
//   term                       a definition list entry (.TP); further paragraphs of the
//   : definition               definition are indented by four spaces
//   | a | b | tables           rendered with tbl
//   ``` code blocks            shown verbatim, indented
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// ---------------------------------------------------------------------------------------------
// Inline text

/** Escapes characters roff would otherwise interpret, or render as typographic glyphs. */
function escapeText(text) {
  return text
    .replace(/\\/g, "\\e")
    .replace(/-/g, "\\-") // a real minus, so flags copied from the page work
    .replace(/'/g, "\\(aq")
    .replace(/`/g, "\\(ga")
    .replace(/~/g, "\\(ti")
    .replace(/\^/g, "\\(ha");
}

const FONT_ESCAPE = { R: "\\fR", B: "\\fB", I: "\\fI", BI: "\\f(BI" };

function withFont(current, add) {
  const bold = current.includes("B") || add === "B";
  const italic = current.includes("I") || add === "I";
  return bold && italic ? "BI" : bold ? "B" : italic ? "I" : "R";
}

/** Finds the closing `marker` of an emphasis that opened just before `from`. */
function closing(text, marker, from) {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") {
      i++;
      continue;
    }
    if (text.startsWith(marker, i) && i > from && text[i - 1] !== " ") {
      // `_` only closes at a word's end, so snake_case names stay as they are.
      if (marker === "_" && /\w/.test(text[i + 1] ?? "")) continue;
      return i;
    }
  }
  return -1;
}

/** Renders markdown inline markup to roff, starting in `font`. */
export function inline(text, font = "R") {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && /[\\`*_{}[\]()#+\-.!|<>]/.test(text[i + 1])) {
      out += escapeText(text[i + 1]);
      i += 2;
      continue;
    }
    if (c === "`") {
      const ticks = /^`+/.exec(text.slice(i))[0];
      const end = text.indexOf(ticks, i + ticks.length);
      if (end !== -1) {
        const code = text.slice(i + ticks.length, end).replace(/^ (.*) $/, "$1");
        out += FONT_ESCAPE[withFont(font, "B")] + escapeText(code) + FONT_ESCAPE[font];
        i = end + ticks.length;
        continue;
      }
    }
    const marker = text.startsWith("**", i) ? "**" : text.startsWith("__", i) ? "__" : c === "*" || c === "_" ? c : "";
    const wordStart = i === 0 || !/\w/.test(text[i - 1]);
    if (marker && (marker[0] === "*" || wordStart) && text[i + marker.length] !== " ") {
      const end = closing(text, marker, i + marker.length);
      if (end !== -1) {
        const inner = withFont(font, marker.length === 2 ? "B" : "I");
        out += FONT_ESCAPE[inner] + inline(text.slice(i + marker.length, end), inner) + FONT_ESCAPE[font];
        i = end + marker.length;
        continue;
      }
    }
    if (c === "[") {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(text.slice(i));
      if (link) {
        out += inline(link[1], font);
        if (link[2] !== link[1] && /^[a-z]+:/.test(link[2])) out += ` <${escapeText(link[2])}>`;
        i += link[0].length;
        continue;
      }
    }
    out += escapeText(c);
    i++;
  }
  return out;
}

/** Joins text lines into roff input lines, guarding lines that would read as requests. */
function textLines(lines) {
  return lines.map((l) => {
    const line = inline(l.trim());
    return line.startsWith(".") ? `\\&${line}` : line;
  });
}

// ---------------------------------------------------------------------------------------------
// Blocks

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```+|~~~+)/;
const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])(\s+)(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

const indentOf = (line) => /^\s*/.exec(line)[0].length;
const isBlank = (line) => line.trim() === "";

function startsBlock(lines, i) {
  const line = lines[i];
  return (
    HEADING.test(line) ||
    FENCE.test(line) ||
    LIST_ITEM.test(line) ||
    (line.trimStart().startsWith("|") && TABLE_SEPARATOR.test(lines[i + 1] ?? "")) ||
    (lines[i + 1] ?? "").startsWith(": ")
  );
}

/** Removes `n` leading columns from each line (blank lines become empty). */
function dedent(lines, n) {
  return lines.map((l) => (isBlank(l) ? "" : l.slice(Math.min(n, indentOf(l)))));
}

/**
 * Renders a sequence of blocks. A page is rendered with `first` unset; the body of a list item
 * or definition is rendered with `first` set: its first paragraph continues the item's own
 * line, and the rest is wrapped in .RS/.RE so it keeps the item's indentation.
 */
function renderBlocks(lines, ctx, nested = false) {
  const out = [];
  let i = 0;
  let first = nested;
  let indented = false;
  const beginBlock = () => {
    if (first) {
      first = false;
      return true;
    }
    if (nested && !indented) {
      out.push(".RS");
      indented = true;
    }
    return false;
  };
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    let m;
    if ((m = HEADING.exec(line))) {
      // headings are macro arguments: quote them, with any `"` written as \(dq
      const text = m[1].length <= 2 ? m[2].toUpperCase() : m[2];
      const title = inline(text).replace(/"/g, "\\(dq");
      out.push(`${m[1].length <= 2 ? ".SH" : ".SS"} "${title}"`);
      i++;
      continue;
    }
    if ((m = FENCE.exec(line))) {
      const fenceIndent = indentOf(line);
      const body = [];
      i++;
      while (i < lines.length && !(FENCE.test(lines[i]) && lines[i].trim().startsWith(m[1]))) body.push(lines[i++]);
      i++;
      const atItemLine = beginBlock();
      if (!atItemLine) out.push(".PP");
      out.push(".RS 4", ".nf", ...dedent(body, fenceIndent).map((l) => `\\&${escapeText(l)}`), ".fi", ".RE");
      continue;
    }
    if (line.trimStart().startsWith("|") && TABLE_SEPARATOR.test(lines[i + 1] ?? "")) {
      const rows = [];
      rows.push(line);
      i += 2;
      while (i < lines.length && lines[i].trimStart().startsWith("|")) rows.push(lines[i++]);
      if (!beginBlock()) out.push(".PP");
      out.push(...renderTable(rows));
      ctx.usesTbl = true;
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const end = listEnd(lines, i);
      beginBlock();
      out.push(...renderList(lines.slice(i, end), ctx));
      i = end;
      continue;
    }
    if ((lines[i + 1] ?? "").startsWith(": ")) {
      const end = definitionEnd(lines, i + 1);
      beginBlock();
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(": ") ? `    ${l.slice(2)}` : l));
      out.push(".TP", ...textLines([line]), ...renderBlocks(dedent(body, 4), ctx, true));
      i = end;
      continue;
    }
    const para = [];
    while (i < lines.length && !isBlank(lines[i]) && (para.length === 0 || !startsBlock(lines, i))) para.push(lines[i++]);
    if (!beginBlock()) out.push(".PP");
    out.push(...textLines(para));
  }
  if (indented) out.push(".RE");
  return out;
}

/** Index just past a definition's body, which starts at `start` (a `: ` line). */
function definitionEnd(lines, start) {
  let i = start + 1;
  for (;;) {
    while (i < lines.length && !isBlank(lines[i]) && !lines[i + 1]?.startsWith(": ")) i++;
    // after a blank line, a definition goes on with `: ` lines or text indented by 4
    let j = i;
    while (j < lines.length && isBlank(lines[j])) j++;
    if (j > i && j < lines.length && (lines[j].startsWith(": ") || indentOf(lines[j]) >= 4)) {
      i = j + 1;
      continue;
    }
    return i;
  }
}

/** Index just past the list that starts at `start`. */
function listEnd(lines, start) {
  const base = indentOf(lines[start]);
  // a bullet right after a numbered list (or the reverse) starts a list of its own
  const kind = (m) => /\d/.test(m[2]);
  const sameKind = (m) => kind(m) === kind(LIST_ITEM.exec(lines[start]));
  let i = start + 1;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      let j = i;
      while (j < lines.length && isBlank(lines[j])) j++;
      const next = lines[j];
      if (next === undefined) return i;
      const m = LIST_ITEM.exec(next);
      if (indentOf(next) > base || (m && indentOf(next) === base && sameKind(m))) {
        i = j;
        continue;
      }
      return i;
    }
    const m = LIST_ITEM.exec(line);
    if (indentOf(line) < base || (m && indentOf(line) === base && !sameKind(m))) return i;
    if (!m && indentOf(line) <= base && (HEADING.test(line) || FENCE.test(line) || line.trimStart().startsWith("|"))) return i;
    i++;
  }
  return i;
}

function renderList(lines, ctx) {
  const base = indentOf(lines[0]);
  const items = [];
  for (const line of lines) {
    const m = LIST_ITEM.exec(line);
    if (m && m[1].length === base) {
      items.push({ marker: m[2], column: m[1].length + m[2].length + m[3].length, lines: [" ".repeat(m[1].length + m[2].length + m[3].length) + m[4]] });
    } else {
      items.at(-1).lines.push(line);
    }
  }
  const numbered = /\d/.test(items[0].marker);
  const width = numbered ? 4 : 2;
  const out = [];
  items.forEach((item, n) => {
    out.push(numbered ? `.IP ${n + 1}. ${width}` : `.IP \\(bu ${width}`);
    out.push(...renderBlocks(dedent(item.lines, item.column), ctx, true));
  });
  return out;
}

function splitRow(row) {
  let s = row.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  const cells = [];
  let cell = "";
  let inCode = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && s[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (c === "`") {
      inCode = !inCode;
      cell += c;
    } else if (c === "|" && !inCode) {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

/** The width a cell's text takes on a terminal: its roff with the escapes counted as glyphs. */
function visibleLength(text) {
  return inline(text)
    .replace(/\\f(\(..|\[[^\]]*\]|.)/g, "")
    .replace(/\\(\(..|.)/g, "x").length;
}

// Tables are laid out for an 80-column terminal with the page's 7-column indentation: a table
// whose short columns leave its text column fewer than 30 columns is shown as a list instead.
const TABLE_WIDTH = 73;
const MIN_TEXT_WIDTH = 30;

/**
 * A table for tbl with a bold header. Columns whose cells are all short are sized to their
 * content; the others hold text blocks that wrap and share what is left of the line. A table
 * that would not fit that way becomes a list of .TP entries, one per row.
 */
function renderTable(rows) {
  const [header, ...body] = rows.map(splitRow);
  const columns = header.length;
  const natural = header.map((h, k) => Math.max(...[h, ...body.map((r) => r[k] ?? "")].map(visibleLength)));
  const wide = natural.map((w) => w > 24);
  if (!wide.includes(true)) wide[columns - 1] = true;
  const narrow = natural.reduce((sum, w, k) => sum + (wide[k] ? 0 : w), 0) + 3 * (columns - 1);
  if (columns > 1 && (TABLE_WIDTH - narrow) / wide.filter(Boolean).length < MIN_TEXT_WIDTH) {
    return tableAsList(header, body);
  }
  const cell = (text, k) => {
    const lines = textLines([text ?? ""]);
    return wide[k] ? ["T{", ...lines, "T}"].join("\n") : lines.join(" ") || "\\&";
  };
  const row = (cells) => Array.from({ length: columns }, (_, k) => cell(cells[k], k)).join("\t");
  // Text blocks need an explicit width: an equal share of what the narrow columns leave of the
  // line (\n[.l] less the indentation \n[.i]), with tbl's 3-en gap between columns. tbl reads a
  // width only up to the first ")", so it is computed into a register beforehand.
  const share = `.nr qW (\\n[.l]u-\\n[.i]u-${narrow}n)/${wide.filter(Boolean).length}`;
  const format = (font) => Array.from({ length: columns }, (_, k) => `l${font}${wide[k] ? "w(\\n[qW]u)" : ""}`).join(" ");
  return [share, ".TS", "tab(\t);", format("B"), `${format("")}.`, row(header), "_", ...body.map(row), ".TE"];
}

/**
 * One .TP entry per row: the first cell is the tag; the middle cells follow as
 * "header: value" pairs, and the last cell, usually the prose, as the entry's text.
 */
function tableAsList(header, body) {
  const out = [];
  for (const cells of body) {
    out.push(".TP", ...textLines([cells[0] ?? ""]));
    const pairs = header
      .slice(1, -1)
      .map((h, k) => [h, cells[k + 1] ?? ""])
      .filter(([, v]) => v)
      .map(([h, v]) => `${h}: ${v}`);
    if (pairs.length) out.push(...textLines([pairs.join("; ")]), ".br");
    out.push(...textLines([cells[header.length - 1] ?? ""]));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pages

/** Converts one page's markdown to roff. `name` and `section` come from the file name. */
export function toRoff(markdown, { name, section, version }) {
  const lines = markdown.replace(/\r\n/g, "\n").replace(/<!--[\s\S]*?-->/g, "").split("\n");
  let title = name;
  let sect = section;
  let manual = "";
  const header = lines[0]?.startsWith("% ") ? /^%\s+(\S+)(?:\s+(\w+))?\s*(?:\|\s*(.*?))?\s*$/.exec(lines.shift()) : null;
  if (header) [, title, sect = section, manual = ""] = header;
  manual ||= sect === "8" ? "System Manager's Manual" : sect === "5" ? "File Formats Manual" : "";
  const ctx = { usesTbl: false };
  const body = renderBlocks(lines, ctx);
  const head = [
    ...(ctx.usesTbl ? ["'\\\" t"] : []),
    `.TH "${escapeText(title.toUpperCase())}" "${sect}" "" "quadlet ${version}" "${inline(manual)}"`,
    ".nh", // no hyphenation: names like quadlet-user-generator must not be split
    ".ad l",
  ];
  return [...head, ...body].join("\n") + "\n";
}

/** Renders every man/*.md into `outdir`; returns the page file names written. */
export function renderManPages({ outdir = join(root, "dist/man"), srcdir = join(root, "man") } = {}) {
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  mkdirSync(outdir, { recursive: true });
  const written = [];
  for (const file of readdirSync(srcdir).filter((f) => f.endsWith(".md")).sort()) {
    const m = /^(.+)\.(\d\w*)\.md$/.exec(file);
    if (!m) throw new Error(`man/${file}: expected a name like NAME.SECTION.md`);
    const page = `${m[1]}.${m[2]}`;
    const roff = toRoff(readFileSync(join(srcdir, file), "utf8"), { name: m[1], section: m[2], version });
    writeFileSync(join(outdir, page), roff);
    written.push(page);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : resolve(process.argv[i + 1] ?? "");
  };
  const outdir = arg("--outdir") ?? join(root, "dist/man");
  for (const page of renderManPages({ outdir, srcdir: arg("--srcdir") })) process.stdout.write(`${join(outdir, page)}\n`);
}
