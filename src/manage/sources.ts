/**
 * What `quadlet install` is asked to install, turned into files to write: a quadlet file, a
 * directory (an application, or a `NAME.d` drop-in directory), a `.quadlets` file of several
 * units, or an http(s) URL of any of the files. Nothing is written here.
 */
import type { CommandContext } from "../commands/context.js";
import { errorCode, type FileSystem } from "../fsys.js";
import { normalizePath } from "../parser/names.js";
import { unitExtensionOf } from "../parser/discover.js";
import { fileNameProblem, QuadletsError, splitQuadlets } from "./quadlets.js";

/** One file to write, by its path below the install directory. */
export interface PlannedFile {
  /** `web.container`, `myapp/web.container`, `myapp/web.container.d/10-env.conf`. */
  readonly rel: string;
  readonly data: Uint8Array;
  /** A quadlet unit (not a drop-in, not another file of an application). */
  readonly isUnit: boolean;
  /** Where it came from, for messages: a path, a URL, or `FILE.quadlets`. */
  readonly source: string;
  /** Added to a line of this file, gives the line in `source` (a `.quadlets` part starts further down). */
  readonly lineOffset: number;
}

/** The files of one SOURCE argument (or of all of them, for an application): written together or not at all. */
export interface SourceGroup {
  readonly label: string;
  readonly files: PlannedFile[];
  /** Why the group cannot be installed (a missing file, a bad `# FileName=`, …). */
  readonly errors: string[];
  /** What was left out on purpose (hidden files of a directory), said so that nothing goes silently. */
  readonly notes: string[];
}

export interface GatherOptions {
  /** Install everything under this subdirectory, as one application. */
  readonly application?: string;
  /** Largest file accepted from a URL, in bytes. */
  readonly maxDownload?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const DEFAULT_MAX_DOWNLOAD = 16 * 1024 * 1024;

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Turns the SOURCE arguments into groups of files to write. */
export async function gatherSources(sources: readonly string[], ctx: CommandContext, opts: GatherOptions): Promise<SourceGroup[]> {
  const prefix = opts.application ? `${opts.application}/` : "";
  const groups: SourceGroup[] = [];
  const shared: SourceGroup | undefined = opts.application ? { label: `application ${opts.application}`, files: [], errors: [], notes: [] } : undefined;
  if (shared) groups.push(shared);
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i]!;
    const group = shared ?? { label: source, files: [], errors: [], notes: [] };
    if (!shared) groups.push(group);
    try {
      const files = isUrl(source) ? await fromUrl(source, prefix, opts) : fromPath(ctx, source, prefix, opts, group.notes);
      if (i === 0 && !files.some((f) => f.isUnit || f.rel.includes(".d/"))) {
        throw new SourceError(`${source} is not a quadlet file (${unitList()}), a .quadlets file or a directory; other files may follow the first SOURCE`);
      }
      group.files.push(...files);
    } catch (err) {
      if (!(err instanceof SourceError || err instanceof QuadletsError)) throw err;
      group.errors.push(err.message);
    }
  }
  return groups;
}

/** A SOURCE that cannot be installed; the message says which and why. */
export class SourceError extends Error {
  override name = "SourceError";
}

function unitList(): string {
  return ".container, .volume, .network, .pod, .kube, .image, .build, .artifact";
}

/** The files a named file or downloaded text makes: the parts of a `.quadlets` file, or itself. */
function filesOfNamed(name: string, data: Uint8Array, source: string, prefix: string): PlannedFile[] {
  const problem = fileNameProblem(name);
  if (problem) throw new SourceError(`${source}: the file name "${name}" is refused: ${problem}`);
  if (name.endsWith(".quadlets")) {
    return splitQuadlets(decoder.decode(data), source).map((p) => ({
      rel: prefix + p.name,
      data: encoder.encode(p.text),
      isUnit: true,
      source,
      lineOffset: p.firstLine - 1,
    }));
  }
  return [{ rel: prefix + name, data, isUnit: unitExtensionOf(name) !== undefined, source, lineOffset: 0 }];
}

function fromPath(ctx: CommandContext, source: string, prefix: string, opts: GatherOptions, notes: string[]): PlannedFile[] {
  const path = normalizePath(source.startsWith("/") ? source : `${ctx.cwd}/${source}`);
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (ctx.fs.isDirectory(path)) {
    if (name.endsWith(".d")) return treeFiles(ctx.fs, path, `${prefix}${name}/`, source, true, notes);
    if (!opts.application) {
      throw new SourceError(`${source} is a directory: install it as an application with --application NAME (its files go to the subdirectory NAME)`);
    }
    return treeFiles(ctx.fs, path, prefix, source, false, notes);
  }
  return filesOfNamed(name, readSource(ctx.fs, path, source), source, prefix);
}

function readSource(fs: FileSystem, path: string, shown: string): Uint8Array {
  try {
    return fs.readFile(path);
  } catch (err) {
    const code = errorCode(err);
    if (code === "ENOENT") throw new SourceError(`${shown}: no such file or directory`);
    throw new SourceError(`${shown}: cannot be read (${code ?? String(err)})`);
  }
}

/**
 * Every regular file below `dir`, as files to write under `prefix`. Symbolic links are not
 * followed (they could point anywhere); they are refused so that nothing is silently left out.
 * Hidden files and directories (`.git`, an editor's `.web.container.swp`) are left out, with a note.
 */
function treeFiles(fs: FileSystem, dir: string, prefix: string, source: string, inDropins: boolean, notes: string[]): PlannedFile[] {
  const out: PlannedFile[] = [];
  const names = fs.readdir(dir).sort();
  for (const name of names) {
    const path = `${dir}/${name}`;
    const shown = `${source.replace(/\/+$/, "")}/${name}`;
    if (name.startsWith(".")) {
      notes.push(`${shown} is hidden and was left out`);
      continue;
    }
    const problem = fileNameProblem(name);
    if (problem) throw new SourceError(`${shown}: the name is refused: ${problem}`);
    const kind = fs.lstat ? fs.lstat(path) : fs.isDirectory(path) ? "dir" : "file";
    if (kind === "dir") {
      out.push(...treeFiles(fs, path, `${prefix}${name}/`, shown, inDropins || name.endsWith(".d"), notes));
    } else if (kind === "file") {
      const isUnit = !inDropins && unitExtensionOf(name) !== undefined;
      out.push({ rel: prefix + name, data: readSource(fs, path, shown), isUnit, source: shown, lineOffset: 0 });
    } else {
      throw new SourceError(`${shown} is ${kind === "symlink" ? "a symbolic link" : "not a regular file"}; copy the file itself into the directory`);
    }
  }
  return out;
}

/** The file name a download is saved under: the server's `Content-Disposition` name, or the URL's last part. */
export function downloadName(url: string, disposition: string | null): string {
  const m = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  if (m) return decodeName(m[1]!.trim());
  const path = new URL(url).pathname;
  return decodeName(path.slice(path.lastIndexOf("/") + 1));
}

function decodeName(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function fromUrl(url: string, prefix: string, opts: GatherOptions): Promise<PlannedFile[]> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
    throw new SourceError(`${url}: cannot be downloaded (${err instanceof Error ? err.message : String(err)}${cause})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SourceError(`${url}: the server answered ${response.status} ${response.statusText}`);
  }
  const data = new Uint8Array(await response.arrayBuffer());
  const max = opts.maxDownload ?? DEFAULT_MAX_DOWNLOAD;
  if (data.length > max) throw new SourceError(`${url}: the file is ${data.length} bytes; at most ${max} are accepted`);
  const name = downloadName(response.url || url, response.headers.get("content-disposition"));
  return filesOfNamed(name, data, url, prefix);
}
