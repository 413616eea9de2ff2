/**
 * The units a conversion makes, and their text: one file each, or all in one `.quadlets`
 * file (units separated by `---`, each opening with `# FileName=NAME`, the form
 * `podman quadlet install` reads). With `explain`, each key is preceded by a comment naming
 * the compose line it came from.
 */
import { BUILD_KEYS } from "../generator/build.js";
import { CONTAINER_KEYS } from "../generator/container.js";
import type { KeyRow, ValueKind } from "../generator/keys.js";
import { NETWORK_KEYS } from "../generator/network.js";
import { POD_KEYS } from "../generator/pod.js";
import { VOLUME_KEYS } from "../generator/volume.js";
import { quoteWord } from "../parser/quote.js";
import type { Where } from "./report.js";

export type UnitKind = "container" | "volume" | "network" | "pod" | "build";

/** The quadlet section of each kind of unit, and its key table. */
const QUADLET_SECTION: Record<UnitKind, { group: string; keys: readonly KeyRow[] }> = {
  container: { group: "Container", keys: CONTAINER_KEYS },
  volume: { group: "Volume", keys: VOLUME_KEYS },
  network: { group: "Network", keys: NETWORK_KEYS },
  pod: { group: "Pod", keys: POD_KEYS },
  build: { group: "Build", keys: BUILD_KEYS },
};

const valueKinds = new Map<string, ValueKind>();
function valueKindOf(group: string, key: string): ValueKind | undefined {
  if (valueKinds.size === 0) {
    for (const { group: g, keys } of Object.values(QUADLET_SECTION)) for (const row of keys) valueKinds.set(`${g}.${row.key}`, row.value);
  }
  return valueKinds.get(`${group}.${key}`);
}

export interface KeyLine {
  readonly key: string;
  /** The value as written in the unit file (already escaped). */
  readonly value: string;
  /** The compose line it came from, and the field (`services.web.ports`). */
  readonly from?: Where;
  readonly field?: string;
}

export class OutUnit {
  /** Sections in the order they are written. */
  readonly sections = new Map<string, KeyLine[]>();

  constructor(
    /** The file name: `myapp-web.container`. */
    readonly fileName: string,
    readonly kind: UnitKind,
    /** The first comment line: what it was made from. */
    readonly origin: string,
  ) {
    for (const s of ["Unit", QUADLET_SECTION[kind].group, "Service", "Install"]) this.sections.set(s, []);
  }

  get group(): string {
    return QUADLET_SECTION[this.kind].group;
  }

  /** Adds `key=value` to the quadlet section, written as its key's kind needs. */
  set(key: string, value: string, from?: Where, field?: string): void {
    this.sections.get(this.group)!.push({ key, value: encodeValue(this.group, key, value), ...(from ? { from } : {}), ...(field ? { field } : {}) });
  }

  /** Adds a line to a systemd section ([Unit], [Service], [Install]), as written. */
  setSystemd(section: "Unit" | "Service" | "Install", key: string, value: string, from?: Where, field?: string): void {
    this.sections.get(section)!.push({ key, value: value.replace(/%/g, "%%"), ...(from ? { from } : {}), ...(field ? { field } : {}) });
  }

  /** Adds a key that takes a command line (`Exec=`), each word quoted for systemd. */
  setWords(key: string, words: readonly string[], from?: Where, field?: string): void {
    const value = words.map((w) => quoteWord(escapeSpecials(w))).join(" ");
    this.sections.get(this.group)!.push({ key, value, ...(from ? { from } : {}), ...(field ? { field } : {}) });
  }

  /** Adds `PodmanArgs=` for arguments no key says. */
  podmanArgs(args: readonly string[], from?: Where, field?: string): void {
    this.setWords("PodmanArgs", args, from, field);
  }

  has(key: string): boolean {
    return this.sections.get(this.group)!.some((l) => l.key === key);
  }
}

/**
 * `%` (a systemd specifier) as `%%`, and `$` (which systemd expands in the podman command
 * line that every quadlet key ends up in) as `$$`, so the value reaches podman as written.
 */
function escapeSpecials(value: string): string {
  return value.replace(/%/g, "%%").replace(/\$/g, "$$$$");
}

/** A value as its key reads it: one quoted word for keys split into words, else as it is. */
export function encodeValue(group: string, key: string, value: string): string {
  const kind = valueKindOf(group, key);
  // a quoted word keeps a line break as an escape that systemd reads back
  if (kind === "words" || kind === "args" || kind === "key-values") return quoteWord(escapeSpecials(value));
  // a key read whole cannot hold one: a folded YAML value's breaks are blanks
  return escapeSpecials(value.replace(/\s*[\r\n]+\s*$/, "").replace(/\r?\n/g, " "));
}

function explainComment(line: KeyLine): string {
  if (!line.from) return "";
  const where = line.from.line > 0 ? `${line.from.file}:${line.from.line}` : line.from.file;
  return `# ${where}${line.field ? ` (${line.field})` : ""}\n`;
}

/** The unit's text. */
export function renderUnit(unit: OutUnit, explain: boolean): string {
  const parts: string[] = [`# ${unit.origin}\n`];
  for (const [name, lines] of unit.sections) {
    if (lines.length === 0) continue;
    let text = `\n[${name}]\n`;
    for (const line of lines) text += (explain ? explainComment(line) : "") + `${line.key}=${line.value}\n`;
    parts.push(text);
  }
  return parts.join("");
}

/** The unit's name without its extension, as `# FileName=` gives it. */
export function baseName(fileName: string): string {
  return fileName.slice(0, fileName.lastIndexOf("."));
}

/** All units in one `.quadlets` text. */
export function renderQuadlets(units: readonly OutUnit[], explain: boolean): string {
  return units.map((u) => `# FileName=${baseName(u.fileName)}\n${renderUnit(u, explain)}`).join("---\n");
}
