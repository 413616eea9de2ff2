/**
 * The service fields that refer to other units or to host paths: the image or its build,
 * ports, volumes, networks, dependencies, health checks, secrets and configs.
 */
import { fieldPath, type FieldHandler, type ServiceContext } from "./context.js";
import { isHostPath } from "./merge.js";
import type { Where } from "./report.js";
import { child, text, type MapNode, type Node } from "./tree.js";
import { OutUnit } from "./units.js";
import { booleanOf, scalarText, stringList } from "./values.js";
import { dropped, passArgs } from "./service-fields.js";

const image: FieldHandler = (c, node, field) => {
  // with build:, image: is the tag the build gives; the .build unit says it
  if (child(c.svc, "build")) return;
  const v = scalarText(node, fieldPath(c, field), c.report);
  if (v) c.unit.set("Image", v, node.where, fieldPath(c, field));
};

/** `build:` as a `.build` unit named like the container, which the container runs. */
const build: FieldHandler = (c, node, field) => {
  const base = c.naming.containerFile(c.service).replace(/\.container$/, "");
  // named apart from the container, so that each unit of a .quadlets file has its own FileName=
  const b = new OutUnit(`${base}-image.build`, "build", `Built for service ${c.service} of compose project ${c.project.name}`);
  const tag = text(child(c.svc, "image")) ?? `localhost/${c.project.name}-${c.service}:latest`;
  const f = (name: string): string => fieldPath(c, `${field}.${name}`);
  b.set("ImageTag", tag, child(c.svc, "image")?.where ?? node.where, fieldPath(c, "image"));
  const context = child(node, "context");
  const contextDir = text(context) ?? c.project.dir;
  b.set("SetWorkingDirectory", contextDir, context?.where ?? node.where, f("context"));
  for (const [name, v] of node.kind === "map" ? node.entries : []) {
    if (name === "context") continue;
    if (name === "dockerfile") {
      const file = text(v) ?? "";
      b.set("File", file.startsWith("/") || /^[a-z]+:\/\//.test(contextDir) ? file : `${contextDir}/${file}`, v.where, f(name));
    } else if (name === "args") {
      for (const [k, a] of v.kind === "map" ? v.entries : []) {
        const value = a.kind === "scalar" && a.isNull ? c.project.vars.get(k) : text(a);
        if (value === undefined) c.report.dropped(a.where, f(name), `${k} has no value here and is not set in the environment`);
        else b.set("BuildArg", `${k}=${value}`, a.where, f(name));
      }
    } else if (name === "target") b.set("Target", text(v) ?? "", v.where, f(name));
    else if (name === "labels" && v.kind === "map") for (const [k, l] of v.entries) b.set("Label", `${k}=${text(l) ?? ""}`, l.where, f(name));
    else if (name === "labels" && v.kind === "seq") for (const l of v.items) b.set("Label", text(l) ?? "", l.where, f(name));
    else if (name === "network") b.set("Network", text(v) ?? "", v.where, f(name));
    else if (name === "pull" && booleanOf(v, f(name), c.report)) b.set("Pull", "always", v.where, f(name));
    else if (name === "no_cache" && booleanOf(v, f(name), c.report)) {
      b.podmanArgs(["--no-cache"], v.where, f(name));
      c.report.podmanArgs(v.where, f(name), ["--no-cache"]);
    } else if (name !== "pull" && name !== "no_cache" && !name.startsWith("x-")) c.report.dropped(v.where, f(name), "no quadlet key for this build setting");
  }
  c.extra.push(b);
  c.unit.set("Image", b.fileName, node.where, fieldPath(c, field));
};

/** A long-syntax port as the short form podman takes: `[ip:][published:]target[/protocol]`. */
function portText(c: ServiceContext, node: Node, field: string): string | undefined {
  if (node.kind === "scalar") return node.text;
  const target = text(child(node, "target"));
  if (!target) {
    c.report.error(node.where, fieldPath(c, field), "a port needs target:");
    return undefined;
  }
  const published = text(child(node, "published"));
  const ip = text(child(node, "host_ip"));
  const protocol = text(child(node, "protocol"));
  const mode = text(child(node, "mode"));
  if (mode && mode !== "host" && mode !== "ingress") c.report.error(node.where, fieldPath(c, field), `mode "${mode}" is not a port mode`);
  let out = target;
  if (published) out = `${published}:${out}`;
  if (ip) out = `${ip.includes(":") ? `[${ip}]` : ip}:${published ? "" : ":"}${out}`;
  return protocol ? `${out}/${protocol}` : out;
}

const ports: FieldHandler = (c, node, field) => {
  if (node.kind !== "seq") return c.report.error(node.where, fieldPath(c, field), "expected a list of ports");
  for (const item of node.items) {
    const port = portText(c, item, field);
    if (port) (c.pod ?? c.unit).set("PublishPort", port, item.where, fieldPath(c, field));
  }
};

/** Mount options compose accepts that podman does not need (macOS file sharing hints). */
const IGNORED_MODES = new Set(["cached", "delegated", "consistent"]);

/** The short form `source:target[:mode]` of a volume entry, its source named as quadlet names it. */
function volumeEntry(c: ServiceContext, item: Node, field: string): void {
  const where = item.where;
  const path = fieldPath(c, field);
  if (item.kind === "scalar") {
    const parts = item.text.split(":");
    if (parts.length === 1) return c.unit.set("Volume", parts[0]!, where, path);
    const modes = (parts[2] ?? "").split(",").filter((m) => m !== "");
    const kept = modes.filter((m) => !IGNORED_MODES.has(m));
    if (kept.length < modes.length) c.report.dropped(where, path, `the option ${modes.filter((m) => IGNORED_MODES.has(m)).join(",")} means nothing to podman`);
    const source = sourceRef(c, parts[0]!, where, path);
    if (source !== undefined) c.unit.set("Volume", [source, parts[1]!, ...(kept.length ? [kept.join(",")] : [])].join(":"), where, path);
    return;
  }
  if (item.kind !== "map") return c.report.error(where, path, "expected a volume string or mapping");
  const type = text(child(item, "type")) ?? "volume";
  const target = text(child(item, "target"));
  const source = text(child(item, "source"));
  if (!target) return c.report.error(where, path, "a volume needs target:");
  if (type === "tmpfs") {
    const size = text(child(child(item, "tmpfs"), "size"));
    const mode = text(child(child(item, "tmpfs"), "mode"));
    const opts = [size ? `size=${size}` : "", mode ? `mode=${mode}` : ""].filter((o) => o);
    return c.unit.set("Tmpfs", opts.length ? `${target}:${opts.join(",")}` : target, where, path);
  }
  if (type !== "volume" && type !== "bind") return c.report.dropped(where, path, `volumes of type ${type} have no quadlet equivalent`);
  const opts: string[] = [];
  if (child(item, "read_only") && booleanOf(child(item, "read_only")!, path, c.report)) opts.push("ro");
  const bind = child(item, "bind");
  const selinux = text(child(bind, "selinux"));
  if (selinux) opts.push(selinux);
  const propagation = text(child(bind, "propagation"));
  if (propagation) opts.push(propagation);
  if (child(child(item, "volume"), "nocopy") && booleanOf(child(child(item, "volume"), "nocopy")!, path, c.report)) opts.push("nocopy");
  const subpath = text(child(child(item, "volume"), "subpath"));
  if (!source) return c.unit.set("Volume", target, where, path);
  const ref = type === "bind" ? source : sourceRef(c, source, where, path);
  if (ref === undefined) return;
  if (subpath) {
    const mount = [`type=${type}`, `source=${ref}`, `destination=${target}`, `subpath=${subpath}`, ...(opts.includes("ro") ? ["ro"] : [])];
    return c.unit.set("Mount", mount.join(","), where, path);
  }
  c.unit.set("Volume", [ref, target, ...(opts.length ? [opts.join(",")] : [])].join(":"), where, path);
}

/** A volume source: a host path as it is, a compose volume as its unit (or external name). */
function sourceRef(c: ServiceContext, source: string, where: Where, path: string): string | undefined {
  if (isHostPath(source)) return source;
  const ref = c.naming.volume(source);
  if (ref === undefined) {
    c.report.error(where, path, `volume ${source} is not defined under the top-level volumes:`, `add "${source}:" under volumes:, or write a path (./${source}) for a host directory`);
    return undefined;
  }
  if (ref.endsWith(".volume")) c.needs.volumes.add(source);
  return ref;
}

const volumes: FieldHandler = (c, node, field) => {
  if (node.kind !== "seq") return c.report.error(node.where, fieldPath(c, field), "expected a list of volumes");
  for (const item of node.items) volumeEntry(c, item, field);
};

/** `networks:` of a service; the service name is an alias on each, as compose's DNS gives it. */
const networks: FieldHandler = (c, node, field) => {
  if (child(c.svc, "network_mode")) return c.report.error(node.where, fieldPath(c, field), "cannot be used with network_mode");
  if (node.kind !== "map") return c.report.error(node.where, fieldPath(c, field), "expected a list or mapping of networks");
  const target = c.pod ?? c.unit;
  const aliases = new Set<string>([c.service]);
  for (const [name, spec] of node.entries) {
    const ref = c.naming.network(name);
    if (ref === undefined) {
      c.report.error(spec.where.line > 0 ? spec.where : node.where, fieldPath(c, field), `network ${name} is not defined under the top-level networks:`);
      continue;
    }
    if (ref.endsWith(".network")) c.needs.networks.add(name);
    if (!target.sections.get(target.group)!.some((l) => l.key === "Network" && l.value === ref)) target.set("Network", ref, spec.where.line > 0 ? spec.where : node.where, fieldPath(c, field));
    for (const a of child(spec, "aliases") ? stringList(child(spec, "aliases")!, fieldPath(c, field), c.report) : []) aliases.add(a);
    for (const [key, name2] of [["ipv4_address", "IP"], ["ipv6_address", "IP6"]] as const) {
      const ip = text(child(spec, key));
      if (!ip) continue;
      if (c.pod || node.entries.size > 1) c.report.dropped(child(spec, key)!.where, fieldPath(c, `${field}.${name}.${key}`), "a static address can be set only for a container on one network");
      else c.unit.set(name2, ip, child(spec, key)!.where, fieldPath(c, `${field}.${name}.${key}`));
    }
    for (const [key, v] of spec.kind === "map" ? spec.entries : []) {
      if (!["aliases", "ipv4_address", "ipv6_address"].includes(key)) c.report.dropped(v.where, fieldPath(c, `${field}.${name}.${key}`), "no quadlet key");
    }
  }
  if (!c.pod) for (const a of [...aliases].sort()) c.unit.set("NetworkAlias", a, node.where, fieldPath(c, field));
};

const networkMode: FieldHandler = (c, node, field) => {
  const mode = scalarText(node, fieldPath(c, field), c.report);
  if (!mode) return;
  if (c.pod) return c.report.dropped(node.where, fieldPath(c, field), "in a pod, the containers share the pod's network");
  const service = /^service:(.+)$/.exec(mode)?.[1];
  if (service) {
    if (!c.project.services.has(service)) return c.report.error(node.where, fieldPath(c, field), `service ${service} is not defined or not enabled`);
    c.unit.set("Network", `container:${c.naming.containerName(service)}`, node.where, fieldPath(c, field));
    const dep = c.naming.containerFile(service).replace(/\.container$/, ".service");
    c.unit.setSystemd("Unit", "Requires", dep, node.where, fieldPath(c, field));
    c.unit.setSystemd("Unit", "After", dep, node.where, fieldPath(c, field));
    return;
  }
  c.unit.set("Network", mode, node.where, fieldPath(c, field));
};

const dependsOn: FieldHandler = (c, node, field) => {
  if (node.kind !== "map") return;
  for (const [dep, spec] of node.entries) {
    if (!c.project.services.has(dep)) continue; // reported when the project was loaded
    const where = spec.where.line > 0 ? spec.where : node.where;
    const condition = text(child(spec, "condition")) ?? "service_started";
    const required = child(spec, "required") ? booleanOf(child(spec, "required")!, fieldPath(c, field), c.report) : true;
    const unit = c.naming.containerFile(dep).replace(/\.container$/, ".service");
    if (condition === "service_healthy") c.needs.healthy.set(dep, where);
    else if (condition === "service_completed_successfully") c.needs.oneshot.set(dep, where);
    else if (condition !== "service_started") c.report.error(where, fieldPath(c, field), `"${condition}" is not a condition`, "write service_started, service_healthy or service_completed_successfully");
    c.unit.setSystemd("Unit", required === false ? "Wants" : "Requires", unit, where, fieldPath(c, field));
    c.unit.setSystemd("Unit", "After", unit, where, fieldPath(c, field));
    const restart = child(spec, "restart");
    if (restart && booleanOf(restart, fieldPath(c, field), c.report)) c.report.dropped(restart.where, fieldPath(c, `${field}.${dep}.restart`), "quadlet does not restart a service when its dependency is updated");
  }
};

const HEALTH_DURATIONS: Readonly<Record<string, string>> = { interval: "HealthInterval", timeout: "HealthTimeout", start_period: "HealthStartPeriod", retries: "HealthRetries" };

const healthcheck: FieldHandler = (c, node, field) => {
  if (node.kind !== "map") return c.report.error(node.where, fieldPath(c, field), "expected a mapping");
  const f = (name: string): string => fieldPath(c, `${field}.${name}`);
  const disable = child(node, "disable");
  if (disable && booleanOf(disable, f("disable"), c.report)) return c.unit.set("HealthCmd", "none", disable.where, f("disable"));
  for (const [name, v] of node.entries) {
    if (name === "test") {
      const cmd = healthCommand(c, v, f(name));
      if (cmd !== undefined) c.unit.set("HealthCmd", cmd, v.where, f(name));
    } else if (HEALTH_DURATIONS[name]) c.unit.set(HEALTH_DURATIONS[name]!, text(v) ?? "", v.where, f(name));
    else if (name !== "disable") c.report.dropped(v.where, f(name), "no quadlet key");
  }
};

/** `test:` as `HealthCmd=`: a string or `CMD-SHELL` runs in a shell; `CMD` words as a JSON array. */
function healthCommand(c: ServiceContext, v: Node, field: string): string | undefined {
  if (v.kind === "scalar") return v.text;
  const words = stringList(v, field, c.report);
  if (words[0] === "NONE") return "none";
  if (words[0] === "CMD-SHELL") return words.slice(1).join(" ");
  // podman runs a JSON array of several words as the command itself, and a text that starts
  // with CMD split at blanks (so a JSON array must leave the keyword out)
  if (words[0] === "CMD" && words.length > 2) return JSON.stringify(words.slice(1));
  if (words[0] === "CMD" && words.length === 2) return /\s/.test(words[1]!) ? words[1]! : `CMD ${words[1]}`;
  c.report.error(v.where, field, "a test list must start with CMD, CMD-SHELL or NONE");
  return undefined;
}

/** `secrets:` of a service, as podman secrets of the same name. */
const secrets: FieldHandler = (c, node, field) => {
  if (node.kind !== "seq") return c.report.error(node.where, fieldPath(c, field), "expected a list of secrets");
  for (const item of node.items) {
    const source = item.kind === "scalar" ? item.text : text(child(item, "source"));
    const def = source === undefined ? undefined : c.project.secrets.get(source);
    if (!source || !def) {
      c.report.error(item.where, fieldPath(c, field), `secret ${source ?? "(no source)"} is not defined under the top-level secrets:`);
      continue;
    }
    const name = text(child(def, "name")) ?? source;
    const opts = [name, "type=mount"];
    for (const key of ["target", "uid", "gid", "mode"]) {
      const v = text(child(item, key));
      if (v) opts.push(`${key}=${v}`);
    }
    c.unit.set("Secret", opts.join(","), item.where, fieldPath(c, field));
    c.needs.secrets.set(source, item.where);
  }
};

/** `configs:` of a service: a config read from a file is mounted read-only where compose puts it. */
const configs: FieldHandler = (c, node, field) => {
  if (node.kind !== "seq") return c.report.error(node.where, fieldPath(c, field), "expected a list of configs");
  for (const item of node.items) {
    const source = item.kind === "scalar" ? item.text : text(child(item, "source"));
    const def = source === undefined ? undefined : (c.project.configs.get(source) as MapNode | undefined);
    const file = text(child(def, "file"));
    if (!source || !file) {
      c.report.dropped(item.where, fieldPath(c, field), `config ${source ?? ""} is not read from a file; only file configs can be mounted`);
      continue;
    }
    const target = text(child(item, "target")) ?? `/${source}`;
    c.unit.set("Volume", `${file}:${target}:ro`, item.where, fieldPath(c, field));
  }
};

/** Fields used elsewhere: for naming, for profiles, or by `extends`. */
const consumed: FieldHandler = () => {};

export const LINK_FIELDS: Readonly<Record<string, FieldHandler>> = {
  image,
  build,
  ports,
  volumes,
  networks,
  network_mode: networkMode,
  depends_on: dependsOn,
  healthcheck,
  secrets,
  configs,
  container_name: consumed,
  profiles: consumed,
  extends: consumed,
  gpus: (c, node, field) => (node.kind === "scalar" ? passArgs(c, node, field, [`--gpus=${node.text}`]) : dropped("only gpus: all (or a count) is understood")(c, node, field)),
  credential_spec: dropped("Windows only"),
};
