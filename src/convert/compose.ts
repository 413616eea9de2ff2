/**
 * Reads a compose project as `docker compose` does: the files given with `-f` (or the
 * default `compose.yaml` and its override), merged in order, variables from the
 * environment and `.env`, `extends`, `include`, profiles, and the project name.
 */
import { errorCode, type FileSystem } from "../fsys.js";
import { parseDotEnv, type Variables } from "./interpolate.js";
import { mergeNodes, normalizeService, resolveServicePaths } from "./merge.js";
import { ConvertFailure, type Report, type Where } from "./report.js";
import { child, mapNode, readYaml, text, type MapNode, type Node } from "./tree.js";

export interface ComposeOptions {
  /** The compose files, in the order given; empty for the default ones in `cwd`. */
  readonly files: readonly string[];
  readonly projectName?: string;
  readonly profiles: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly fs: FileSystem;
}

export interface Project {
  readonly name: string;
  /** The directory relative paths are taken from: the first file's. */
  readonly dir: string;
  readonly files: readonly string[];
  /** The first file as messages name it (relative to the working directory when under it). */
  readonly mainFile: string;
  /** The services that are enabled (profiles applied), by name. */
  readonly services: ReadonlyMap<string, MapNode>;
  readonly volumes: ReadonlyMap<string, Node>;
  readonly networks: ReadonlyMap<string, Node>;
  readonly secrets: ReadonlyMap<string, Node>;
  readonly configs: ReadonlyMap<string, Node>;
  /** The variables substitution used (environment over `.env`). */
  readonly vars: Variables;
  readonly fs: FileSystem;
}

/** Top-level fields read (`version` is obsolete and means nothing, as in compose). */
const TOP_LEVEL = new Set(["name", "version", "services", "volumes", "networks", "secrets", "configs"]);

const DEFAULT_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

export function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

export function absolute(path: string, base: string): string {
  const joined = path.startsWith("/") ? path : `${base}/${path}`;
  const out: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

function readText(fs: FileSystem, path: string): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: false }).decode(fs.readFile(path));
  } catch (err) {
    if (errorCode(err) === "ENOENT") return undefined;
    throw new ConvertFailure(`${path}: cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The files to read: those given, else COMPOSE_FILE's, else compose.yaml (or its older names) and its override. */
function composeFiles(opts: ComposeOptions): string[] {
  if (opts.files.length > 0) return opts.files.map((f) => absolute(f, opts.cwd));
  const fromEnv = opts.env["COMPOSE_FILE"];
  if (fromEnv) return fromEnv.split(opts.env["COMPOSE_PATH_SEPARATOR"] ?? ":").filter((f) => f !== "").map((f) => absolute(f, opts.cwd));
  for (const name of DEFAULT_FILES) {
    const path = absolute(name, opts.cwd);
    if (readText(opts.fs, path) === undefined) continue;
    const base = name.replace(/\.ya?ml$/, "");
    const overrides = [`${base}.override.yaml`, `${base}.override.yml`].map((o) => absolute(o, opts.cwd));
    return [path, ...overrides.filter((o) => readText(opts.fs, o) !== undefined).slice(0, 1)];
  }
  throw new ConvertFailure(`no compose file in ${opts.cwd} (looked for ${DEFAULT_FILES.join(", ")}); name one with -f`);
}

/** The environment, over the `.env` file of the project directory. */
function variables(opts: ComposeOptions, dir: string, report: Report): Map<string, string> {
  const outer = new Map<string, string>();
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) outer.set(k, v);
  const dotEnvPath = `${dir}/.env`;
  const dotEnv = readText(opts.fs, dotEnvPath);
  if (dotEnv === undefined) return outer;
  const { vars, bad } = parseDotEnv(dotEnv, outer);
  for (const line of bad) report.error({ file: dotEnvPath, line }, undefined, "not a NAME=value line");
  return new Map([...vars, ...outer]);
}

/** Compose's rule for project names: lower case letters, digits, `-` and `_`. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, "").replace(/^[-_]+/, "");
}

function projectName(opts: ComposeOptions, vars: Variables, top: MapNode, dir: string): string {
  const given = opts.projectName ?? vars.get("COMPOSE_PROJECT_NAME") ?? text(child(top, "name")) ?? dir.slice(dir.lastIndexOf("/") + 1);
  const name = normalizeProjectName(given);
  if (!name) throw new ConvertFailure(`project name "${given}" has no letter or digit; give one with -p`);
  return name;
}

interface Loader {
  readonly opts: ComposeOptions;
  readonly vars: Variables;
  readonly report: Report;
  /** Files already read for `extends`, by path. */
  readonly cache: Map<string, MapNode>;
}

/** A path as messages show it: relative to the working directory when it is under it. */
function displayName(path: string, cwd: string): string {
  const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** Reads one file and makes its services' shapes and paths regular. */
function loadFile(path: string, baseDir: string, l: Loader): MapNode {
  const cached = l.cache.get(path);
  if (cached) return cached;
  const source = readText(l.opts.fs, path);
  if (source === undefined) throw new ConvertFailure(`${path}: no such file`);
  const tree = readYaml(source, displayName(path, l.opts.cwd), l.vars, l.report);
  if (tree.kind !== "map") throw new ConvertFailure(`${path}: a compose file must be a mapping (services:, volumes:, …)`);
  const services = child(tree, "services");
  if (services?.kind === "map") {
    for (const [name, svc] of services.entries) {
      if (svc.kind !== "map") {
        l.report.error(svc.where, `services.${name}`, "a service must be a mapping");
        services.entries.delete(name);
        continue;
      }
      normalizeService(svc, l.report);
      resolveServicePaths(svc, baseDir, l.opts.env["HOME"]);
    }
  }
  for (const top of ["secrets", "configs"]) {
    const section = child(tree, top);
    if (section?.kind !== "map") continue;
    for (const entry of section.entries.values()) {
      const file = child(entry, "file");
      if (file?.kind === "scalar" && !file.isNull) (entry as MapNode).entries.set("file", { ...file, text: absolute(file.text, baseDir) });
    }
  }
  l.cache.set(path, tree);
  return tree;
}

/** A service with its `extends` chain merged in, base first. */
function resolveExtends(name: string, svc: MapNode, file: string, services: MapNode, l: Loader, seen: Set<string>): MapNode {
  const ext = svc.entries.get("extends");
  if (!ext) return svc;
  const key = `${file}#${name}`;
  if (seen.has(key)) throw new ConvertFailure(`${ext.where.file}:${ext.where.line}: services.${name}.extends: extends itself`);
  seen.add(key);
  const baseName = ext.kind === "scalar" ? ext.text : text(child(ext, "service"));
  const otherFile = text(child(ext, "file"));
  if (!baseName) throw new ConvertFailure(`${ext.where.file}:${ext.where.line}: services.${name}.extends: names no service`);
  let baseServices = services;
  let baseFile = file;
  if (otherFile) {
    baseFile = absolute(otherFile, dirOf(file));
    const other = loadFile(baseFile, dirOf(baseFile), l);
    const s = child(other, "services");
    baseServices = s?.kind === "map" ? s : mapNode(other.where);
  }
  const base = baseServices.entries.get(baseName);
  if (base?.kind !== "map") throw new ConvertFailure(`${ext.where.file}:${ext.where.line}: services.${name}.extends: no service ${baseName} in ${baseFile}`);
  const resolvedBase = resolveExtends(baseName, base, baseFile, baseServices, l, seen);
  const own = mapNode(svc.where, new Map([...svc.entries].filter(([k]) => k !== "extends")));
  return mergeNodes(resolvedBase, own, "") as MapNode;
}

/** A file read, with its services' `extends` resolved. */
function loadResolved(file: string, baseDir: string, l: Loader): MapNode {
  const tree = loadFile(file, baseDir, l);
  const services = child(tree, "services");
  if (services?.kind === "map") {
    for (const [name, svc] of services.entries) services.entries.set(name, resolveExtends(name, svc as MapNode, file, services, l, new Set()));
  }
  return tree;
}

/**
 * The files a file's `include:` names, merged under it: each read with its own directory
 * (or its `project_directory:`) for relative paths, as compose includes a sub-project.
 */
function withIncludes(file: string, tree: MapNode, l: Loader, seen: Set<string>): MapNode {
  const include = tree.entries.get("include");
  if (!include) return tree;
  tree.entries.delete("include");
  let merged: MapNode | undefined;
  for (const item of include.kind === "seq" ? include.items : [include]) {
    const paths = item.kind === "scalar" ? [item.text] : child(item, "path")?.kind === "seq" ? (child(item, "path") as { items: Node[] }).items.map((p) => text(p) ?? "") : [text(child(item, "path")) ?? ""];
    const projectDir = text(child(item, "project_directory"));
    for (const path of paths) {
      const target = absolute(path, dirOf(file));
      if (seen.has(target)) throw new ConvertFailure(`${item.where.file}:${item.where.line}: include: ${path} includes itself`);
      const sub = withIncludes(target, loadResolved(target, projectDir ? absolute(projectDir, dirOf(file)) : dirOf(target), l), l, new Set([...seen, target]));
      merged = merged ? (mergeNodes(merged, sub, "") as MapNode) : sub;
    }
  }
  return merged ? (mergeNodes(merged, tree, "") as MapNode) : tree;
}

function section(top: MapNode, key: string): Map<string, Node> {
  const s = child(top, key);
  return s?.kind === "map" ? s.entries : new Map();
}

/** Reads, merges and resolves the project. Problems in fields go to `report`. */
export function loadProject(opts: ComposeOptions, report: Report): Project {
  const files = composeFiles(opts);
  const dir = dirOf(files[0]!);
  const vars = variables(opts, dir, report);
  const l: Loader = { opts, vars, report, cache: new Map() };
  let merged: MapNode | undefined;
  for (const file of files) {
    const tree = withIncludes(file, loadResolved(file, dir, l), l, new Set([file]));
    merged = merged ? (mergeNodes(merged, tree, "") as MapNode) : tree;
  }
  const top = merged!;
  for (const [key, v] of top.entries) {
    if (!TOP_LEVEL.has(key) && !key.startsWith("x-")) report.dropped(v.where, key, "not a top-level compose field that quadlet convert knows");
  }
  const all = section(top, "services");
  if (all.size === 0) throw new ConvertFailure(`${files.join(", ")}: no services`);
  const services = enabledServices(all, activeProfiles(opts, vars), report);
  return {
    name: projectName(opts, vars, top, dir),
    dir,
    files,
    mainFile: displayName(files[0]!, opts.cwd),
    services,
    volumes: section(top, "volumes"),
    networks: section(top, "networks"),
    secrets: section(top, "secrets"),
    configs: section(top, "configs"),
    vars,
    fs: opts.fs,
  };
}

function activeProfiles(opts: ComposeOptions, vars: Variables): Set<string> {
  const fromEnv = (vars.get("COMPOSE_PROFILES") ?? "").split(",").map((p) => p.trim());
  return new Set([...opts.profiles, ...fromEnv].filter((p) => p !== ""));
}

/** The services whose profiles are active (or that have none), sorted by name. */
function enabledServices(all: Map<string, Node>, active: Set<string>, report: Report): Map<string, MapNode> {
  const enabled = new Map<string, MapNode>();
  for (const name of [...all.keys()].sort()) {
    const svc = all.get(name) as MapNode;
    const profiles = child(svc, "profiles");
    const list = profiles?.kind === "seq" ? profiles.items.map((p) => text(p) ?? "") : [];
    if (list.length === 0 || active.has("*") || list.some((p) => active.has(p))) enabled.set(name, svc);
  }
  for (const [name, svc] of enabled) {
    const deps = child(svc, "depends_on");
    if (deps?.kind !== "map") continue;
    for (const [dep, spec] of deps.entries) {
      if (enabled.has(dep)) continue;
      const where: Where = spec.where.line > 0 ? spec.where : deps.where;
      const hint = all.has(dep) ? `activate its profile with --profile` : `the services are: ${[...all.keys()].sort().join(", ")}`;
      report.error(where, `services.${name}.depends_on`, `service ${dep} is ${all.has(dep) ? "in a profile that is not active" : "not defined"}`, hint);
    }
  }
  return enabled;
}
