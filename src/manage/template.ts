/**
 * A small, safe reading of Go templates, for `--format` in podman's style: `{{.Name}}`,
 * `{{ .Status }}`, `{{range .}}…{{end}}`, `{{json .}}`, `{{json .Path}}`, and the `{{-`/`-}}`
 * markers that trim the blanks next to them. The text is parsed into a tree and walked;
 * nothing in it is ever run as code, and only the fields named when it is compiled exist.
 */

export class TemplateError extends Error {
  override name = "TemplateError";
}

type Node =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "json"; readonly name: string | undefined }
  | { readonly kind: "range"; readonly body: readonly Node[] };

export type Row = Readonly<Record<string, string>>;

export interface Template {
  /** Whether the template walks the rows itself with `{{range .}}`. */
  readonly ranges: boolean;
  /** Renders the template once for the whole list (`{{range .}}` walks it). */
  render(rows: readonly Row[]): string;
}

const ACTION = /\{\{(-\s)?\s*([^]*?)\s*(\s-)?\}\}/g;

/** Compiles `text`; `fields` are the names `{{.Name}}` may use. */
export function compileTemplate(text: string, fields: readonly string[]): Template {
  const known = new Set(fields);
  const tokens: ({ kind: "text"; text: string } | { kind: "action"; body: string; trimLeft: boolean; trimRight: boolean })[] = [];
  let last = 0;
  for (const m of text.matchAll(ACTION)) {
    tokens.push({ kind: "text", text: text.slice(last, m.index) });
    tokens.push({ kind: "action", body: m[2]!, trimLeft: m[1] !== undefined, trimRight: m[3] !== undefined });
    last = m.index + m[0].length;
  }
  tokens.push({ kind: "text", text: text.slice(last) });
  if (/\{\{|\}\}/.test(tokens.filter((t) => t.kind === "text").map((t) => (t as { text: string }).text).join("\n"))) {
    throw new TemplateError(`unbalanced "{{" or "}}" in ${JSON.stringify(text)}`);
  }
  // Apply the trim markers to the neighbouring text.
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "action") continue;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if (t.trimLeft && before?.kind === "text") before.text = before.text.trimEnd();
    if (t.trimRight && after?.kind === "text") after.text = after.text.trimStart();
  }
  const stack: Node[][] = [[]];
  let ranges = false;
  for (const t of tokens) {
    const into = stack[stack.length - 1]!;
    if (t.kind === "text") {
      if (t.text) into.push({ kind: "text", text: t.text });
      continue;
    }
    const words = t.body.split(/\s+/).filter(Boolean);
    if (words[0] === "range") {
      if (words.length !== 2 || words[1] !== ".") throw new TemplateError(`only "{{range .}}" is supported, not "{{${t.body}}}"`);
      if (stack.length > 1) throw new TemplateError(`"{{range .}}" cannot be nested`);
      const body: Node[] = [];
      into.push({ kind: "range", body });
      stack.push(body);
      ranges = true;
    } else if (words[0] === "end" && words.length === 1) {
      if (stack.length === 1) throw new TemplateError(`"{{end}}" without "{{range .}}"`);
      stack.pop();
    } else if (words[0] === "json" && words.length === 2) {
      into.push({ kind: "json", name: words[1] === "." ? undefined : fieldName(words[1]!, known) });
    } else if (words.length === 1) {
      into.push({ kind: "field", name: fieldName(words[0]!, known) });
    } else {
      throw new TemplateError(`"{{${t.body}}}" is not understood; use {{.Field}}, {{json .}}, {{json .Field}} or {{range .}}…{{end}}`);
    }
  }
  if (stack.length > 1) throw new TemplateError(`"{{range .}}" without "{{end}}"`);
  const root = stack[0]!;
  return { ranges, render: (rows) => renderNodes(root, rows, undefined) };
}

function fieldName(word: string, known: ReadonlySet<string>): string {
  const name = word.startsWith(".") ? word.slice(1) : "";
  if (!known.has(name)) {
    throw new TemplateError(`unknown field "${word}"; the fields are ${[...known].map((f) => "." + f).join(", ")}`);
  }
  return name;
}

function renderNodes(nodes: readonly Node[], rows: readonly Row[], row: Row | undefined): string {
  let out = "";
  for (const n of nodes) {
    switch (n.kind) {
      case "text":
        out += n.text;
        break;
      case "range":
        if (row !== undefined) throw new TemplateError(`"{{range .}}" inside a row`);
        for (const r of rows) out += renderNodes(n.body, rows, r);
        break;
      case "field":
        if (row === undefined) throw new TemplateError(`{{.${n.name}}} outside "{{range .}}"`);
        out += row[n.name] ?? "";
        break;
      case "json":
        if (n.name === undefined) out += JSON.stringify(row ?? rows);
        else if (row === undefined) throw new TemplateError(`{{json .${n.name}}} outside "{{range .}}"`);
        else out += JSON.stringify(row[n.name] ?? "");
        break;
    }
  }
  return out;
}

/**
 * Lines of tab-separated cells lined up in columns, as podman's tables are: each column as
 * wide as its widest cell plus two, and at least twelve; the last cell of a line is not padded.
 */
export function alignColumns(text: string): string {
  const lines = text.split("\n");
  const rows = lines.map((l) => l.split("\t"));
  const widths: number[] = [];
  for (const cells of rows) {
    for (let i = 0; i < cells.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, Math.max(cells[i]!.length + 2, 12));
  }
  return rows.map((cells) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join("").trimEnd()).join("\n");
}
