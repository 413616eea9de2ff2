/**
 * The regular shape of a service (list forms turned into mappings) and compose's rules
 * for merging one file, or one `extends` base, into another.
 */
import type { Report } from "./report.js";
import { child, mapNode, scalar, seqNode, text, type MapNode, type Node, type Scalar } from "./tree.js";

/** Fields written either as `KEY=value` lists or as mappings; made mappings. */
const KEY_VALUE_FIELDS = ["environment", "labels", "annotations", "sysctls"];

/** Fields whose later value replaces the earlier one whole, rather than adding to it. */
const REPLACED = new Set(["command", "entrypoint", "test", "profiles"]);

/** `["A=1", "B"]` as the mapping `{A: "1", B: null}`; each entry keeps its item's line. */
function keyValueMap(node: Node, separators: RegExp): MapNode {
  if (node.kind !== "seq") return node as MapNode;
  const out = mapNode(node.where);
  for (const item of node.items) {
    const t = text(item) ?? "";
    const m = separators.exec(t);
    if (m) out.entries.set(t.slice(0, m.index), scalar(t.slice(m.index + 1), item.where));
    else out.entries.set(t, scalar("", item.where, true));
  }
  return out;
}

/** `depends_on: [db]` as `{db: {condition: service_started}}`; `networks: [a]` as `{a: null}`. */
function listAsMap(node: Node, value: (item: Scalar) => Node): Node {
  if (node.kind !== "seq") return node;
  const out = mapNode(node.where);
  for (const item of node.items) if (item.kind === "scalar") out.entries.set(item.text, value(item));
  return out;
}

export function normalizeService(svc: MapNode, report: Report): void {
  const e = svc.entries;
  for (const field of KEY_VALUE_FIELDS) {
    const v = e.get(field);
    if (v) e.set(field, keyValueMap(v, /=/));
  }
  const hosts = e.get("extra_hosts");
  // `host:ip` or `host=ip`; an IPv6 address holds colons, so the first separator counts
  if (hosts) e.set("extra_hosts", keyValueMap(hosts, /[=:]/));
  const build = e.get("build");
  if (build?.kind === "scalar") e.set("build", mapNode(build.where, new Map([["context", build]])));
  const args = child(e.get("build"), "args");
  if (args) (e.get("build") as MapNode).entries.set("args", keyValueMap(args, /=/));
  const deps = e.get("depends_on");
  if (deps) {
    e.set("depends_on", listAsMap(deps, (item) => mapNode(item.where, new Map([["condition", scalar("service_started", item.where)]]))));
  }
  const networks = e.get("networks");
  if (networks) e.set("networks", listAsMap(networks, (item) => scalar("", item.where, true)));
  for (const field of ["env_file", "dns", "dns_search", "tmpfs"]) {
    const v = e.get(field);
    if (v?.kind === "scalar") e.set(field, seqNode(v.where, [v]));
  }
  if (e.get("services")) report.error(svc.where, "services", "a service holds a services: key; is the indentation right?");
}

/** Whether a short volume source is a host path rather than a volume name. */
export function isHostPath(source: string): boolean {
  return source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
}

function hostPath(path: string, base: string, home: string | undefined): string {
  if (path === "~" || path.startsWith("~/")) return (home ?? "~") + path.slice(1);
  if (path.startsWith("/")) return path;
  const parts = `${base}/${path}`.split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return "/" + out.join("/");
}

/** Makes the relative paths of a service absolute, from `base` (the file's project directory). */
export function resolveServicePaths(svc: MapNode, base: string, home: string | undefined): void {
  const e = svc.entries;
  const build = e.get("build");
  const context = child(build, "context");
  if (context?.kind === "scalar" && !/^[a-z]+:\/\/|^git@/.test(context.text)) {
    (build as MapNode).entries.set("context", { ...context, text: hostPath(context.text, base, home) });
  }
  const envFiles = e.get("env_file");
  if (envFiles?.kind === "seq") {
    envFiles.items = envFiles.items.map((f) => {
      if (f.kind === "scalar") return { ...f, text: hostPath(f.text, base, home) };
      const path = child(f, "path");
      if (path?.kind === "scalar") (f as MapNode).entries.set("path", { ...path, text: hostPath(path.text, base, home) });
      return f;
    });
  }
  const volumes = e.get("volumes");
  if (volumes?.kind !== "seq") return;
  volumes.items = volumes.items.map((v) => {
    if (v.kind === "scalar") {
      const colon = v.text.indexOf(":");
      const source = colon === -1 ? "" : v.text.slice(0, colon);
      return source && isHostPath(source) ? { ...v, text: hostPath(source, base, home) + v.text.slice(colon) } : v;
    }
    const source = child(v, "source");
    if (v.kind === "map" && text(child(v, "type")) === "bind" && source?.kind === "scalar") {
      v.entries.set("source", { ...source, text: hostPath(source.text, base, home) });
    }
    return v;
  });
}

/** The identity of a list item for merging: a volume's target, a secret's source, or its text. */
function itemKey(field: string, item: Node): string {
  if (item.kind === "scalar") {
    if (field === "volumes") {
      const parts = item.text.split(":");
      return parts.length > 1 ? parts[1]! : parts[0]!;
    }
    return item.text;
  }
  if (field === "volumes") return text(child(item, "target")) ?? "";
  if (field === "secrets" || field === "configs") return text(child(item, "source")) ?? "";
  return JSON.stringify(item, (k, v: unknown) => (k === "where" ? undefined : v instanceof Map ? [...v] : v));
}

function mergeSeqs(base: Node & { kind: "seq" }, over: Node & { kind: "seq" }, field: string): Node {
  const byKey = new Map<string, Node>();
  for (const item of base.items) byKey.set(itemKey(field, item), item);
  for (const item of over.items) byKey.set(itemKey(field, item), item);
  return seqNode(over.where, [...byKey.values()]);
}

/** `over` merged into `base`: mappings key by key, lists as compose merges them, else `over`. */
export function mergeNodes(base: Node, over: Node, field: string): Node {
  if (REPLACED.has(field)) return over;
  if (base.kind === "map" && over.kind === "map") {
    const out = mapNode(base.where, new Map(base.entries));
    for (const [k, v] of over.entries) {
      const b = out.entries.get(k);
      out.entries.set(k, b ? mergeNodes(b, v, k) : v);
    }
    return out;
  }
  if (base.kind === "seq" && over.kind === "seq") return mergeSeqs(base, over, field);
  return over;
}
