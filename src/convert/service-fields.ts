/**
 * The service fields that map onto one quadlet key each (or onto `PodmanArgs=` where
 * quadlet has no key), as a table: field name to handler.
 */
import { fieldPath, type FieldHandler, type ServiceContext } from "./context.js";
import { child, text, type MapNode, type Node } from "./tree.js";
import { booleanOf, durationSeconds, scalarText, securityOptionKey, shellSplit, stringList } from "./values.js";

/** A field whose value (or each of whose values) becomes `key=value`. */
function toKey(key: string): FieldHandler {
  return (c, node, field) => {
    for (const v of stringList(node, fieldPath(c, field), c.report)) c.unit.set(key, v, node.where, fieldPath(c, field));
  };
}

/** A mapping field whose entries become `key=NAME=value`. */
function keyValues(key: string, sep = "="): FieldHandler {
  return (c, node, field) => {
    if (node.kind !== "map") return c.report.error(node.where, fieldPath(c, field), "expected a mapping or a list of NAME=value");
    for (const [k, v] of node.entries) c.unit.set(key, `${k}${sep}${text(v) ?? ""}`, v.where.line > 0 ? v.where : node.where, fieldPath(c, field));
  };
}

/** A boolean field that becomes `key=true` when true. */
function flagKey(key: string): FieldHandler {
  return (c, node, field) => {
    if (booleanOf(node, fieldPath(c, field), c.report)) c.unit.set(key, "true", node.where, fieldPath(c, field));
  };
}

/** A field quadlet has no key for, passed as `flag value` in `PodmanArgs=`, with a warning. */
function viaPodmanArgs(flag: string): FieldHandler {
  return (c, node, field) => {
    for (const v of stringList(node, fieldPath(c, field), c.report)) passArgs(c, node, field, [`${flag}=${v}`]);
  };
}

/** A boolean field passed as `flag` in `PodmanArgs=` when true. */
function boolViaPodmanArgs(flag: string): FieldHandler {
  return (c, node, field) => {
    if (booleanOf(node, fieldPath(c, field), c.report)) passArgs(c, node, field, [flag]);
  };
}

export function passArgs(c: ServiceContext, node: Node, field: string, args: string[]): void {
  c.unit.podmanArgs(args, node.where, fieldPath(c, field));
  c.report.podmanArgs(node.where, fieldPath(c, field), args);
}

/** A field quadlet cannot express at all: a warning, and nothing in the output. */
export function dropped(why: string): FieldHandler {
  return (c, node, field) => c.report.dropped(node.where, fieldPath(c, field), why);
}

/** A command as words: a list is taken as it is, a string is split as a shell would. */
function commandWords(c: ServiceContext, node: Node, field: string): string[] | undefined {
  if (node.kind === "scalar") {
    const words = shellSplit(node.text);
    if (!words) c.report.error(node.where, fieldPath(c, field), "a quote is not closed");
    return words;
  }
  return stringList(node, fieldPath(c, field), c.report);
}

const command: FieldHandler = (c, node, field) => {
  const words = commandWords(c, node, field);
  if (words && words.length > 0) c.unit.setWords("Exec", words, node.where, fieldPath(c, field));
};

const entrypoint: FieldHandler = (c, node, field) => {
  const words = commandWords(c, node, field);
  if (!words) return;
  // one word is a program; several are given to podman as a JSON array, which it takes whole
  const value = words.length === 1 ? words[0]! : JSON.stringify(words);
  c.unit.set("Entrypoint", value, node.where, fieldPath(c, field));
};

const environment: FieldHandler = (c, node, field) => {
  if (node.kind !== "map") return c.report.error(node.where, fieldPath(c, field), "expected a mapping or a list of NAME=value");
  for (const [name, v] of node.entries) {
    const where = v.where.line > 0 ? v.where : node.where;
    let value = text(v);
    if (v.kind === "scalar" && v.isNull) {
      // `- NAME` alone: compose takes the value from its own environment when it runs
      value = c.project.vars.get(name);
      if (value === undefined) {
        c.report.dropped(where, fieldPath(c, field), `${name} has no value here and is not set in the environment`);
        continue;
      }
    }
    c.unit.set("Environment", `${name}=${value ?? ""}`, where, fieldPath(c, field));
  }
};

const envFile: FieldHandler = (c, node, field) => {
  if (node.kind !== "seq") return c.report.error(node.where, fieldPath(c, field), "expected a path or a list of paths");
  for (const item of node.items) {
    const path = item.kind === "scalar" ? item.text : text(child(item, "path"));
    if (!path) continue;
    const required = item.kind === "map" && child(item, "required") ? booleanOf(child(item, "required")!, fieldPath(c, field), c.report) : true;
    if (required === false && !fileExists(c, path)) {
      c.report.dropped(item.where, fieldPath(c, field), `${path} does not exist and is not required`);
      continue;
    }
    c.unit.set("EnvironmentFile", path, item.where, fieldPath(c, field));
  }
};

function fileExists(c: ServiceContext, path: string): boolean {
  try {
    c.project.fs.readFile(path);
    return true;
  } catch {
    return false;
  }
}

const RESTART: Record<string, string> = { no: "no", always: "always", "unless-stopped": "always", "on-failure": "on-failure" };

const restart: FieldHandler = (c, node, field) => {
  const v = scalarText(node, fieldPath(c, field), c.report);
  if (v === undefined) return;
  const [policy, count] = v.split(":");
  const mapped = RESTART[policy!];
  if (!mapped) return c.report.error(node.where, fieldPath(c, field), `"${v}" is not a restart policy`, "write no, always, on-failure[:N] or unless-stopped");
  c.unit.setSystemd("Service", "Restart", mapped, node.where, fieldPath(c, field));
  if (count !== undefined) c.report.dropped(node.where, fieldPath(c, field), `the retry count ${count} has no quadlet key (systemd limits restarts with StartLimitBurst=)`);
};

const stopGracePeriod: FieldHandler = (c, node, field) => {
  const v = scalarText(node, fieldPath(c, field), c.report);
  const seconds = v === undefined ? undefined : durationSeconds(v);
  if (seconds === undefined) return c.report.error(node.where, fieldPath(c, field), `"${v}" is not a duration`, "write e.g. 10s or 1m30s");
  c.unit.set("StopTimeout", String(Math.ceil(seconds)), node.where, fieldPath(c, field));
};

const ulimits: FieldHandler = (c, node, field) => {
  if (node.kind !== "map") return c.report.error(node.where, fieldPath(c, field), "expected a mapping of limits");
  for (const [name, v] of node.entries) {
    const soft = v.kind === "map" ? text(child(v, "soft")) : text(v);
    const hard = v.kind === "map" ? text(child(v, "hard")) : text(v);
    if (soft === undefined || hard === undefined) {
      c.report.error(v.where, fieldPath(c, field), `${name}: expected a number, or soft: and hard:`);
      continue;
    }
    c.unit.set("Ulimit", `${name}=${soft}:${hard}`, v.where, fieldPath(c, field));
  }
};

const logging: FieldHandler = (c, node, field) => {
  const driver = text(child(node, "driver"));
  if (driver) c.unit.set("LogDriver", driver, child(node, "driver")!.where, fieldPath(c, `${field}.driver`));
  const options = child(node, "options");
  if (options) keyValues("LogOpt")(c, options, `${field}.options`);
};

const devices: FieldHandler = (c, node, field) => {
  if (node.kind !== "seq") return c.report.error(node.where, fieldPath(c, field), "expected a list of devices");
  for (const item of node.items) {
    const v = item.kind === "scalar" ? item.text : [text(child(item, "source")), text(child(item, "target")), text(child(item, "permissions"))].filter((p) => p).join(":");
    if (v) c.unit.set("AddDevice", v, item.where, fieldPath(c, field));
  }
};

const extraHosts: FieldHandler = (c, node, field) => {
  if (node.kind !== "map") return c.report.error(node.where, fieldPath(c, field), "expected a list of host:address or a mapping");
  const target = c.pod ?? c.unit;
  for (const [host, v] of node.entries) {
    for (const address of v.kind === "seq" ? v.items.map((i) => text(i) ?? "") : [text(v) ?? ""]) {
      target.set("AddHost", `${host}:${address.replace(/^\[(.*)\]$/, "$1")}`, v.where, fieldPath(c, field));
    }
  }
};

/** `security_opt` entries, each to its key where quadlet has one. */
const securityOpt: FieldHandler = (c, node, field) => {
  for (const opt of stringList(node, fieldPath(c, field), c.report)) {
    const keyed = securityOptionKey(opt);
    if (keyed) c.unit.set(keyed[0], keyed[1], node.where, fieldPath(c, field));
    else passArgs(c, node, field, [`--security-opt=${opt}`]);
  }
};

const PULL: Record<string, string> = { always: "always", missing: "missing", if_not_present: "missing", never: "never", newer: "newer" };

const pullPolicy: FieldHandler = (c, node, field) => {
  const v = scalarText(node, fieldPath(c, field), c.report);
  if (v === undefined) return;
  if (v === "build") return c.report.dropped(node.where, fieldPath(c, field), "the image is built by the service's .build unit");
  const mapped = PULL[v];
  if (!mapped) return c.report.error(node.where, fieldPath(c, field), `"${v}" is not a pull policy`, "write always, missing, never or newer");
  c.unit.set("Pull", mapped, node.where, fieldPath(c, field));
};

/** In a pod, the host name is the pod's, and only one service can set it. */
const hostname: FieldHandler = (c, node, field) => {
  if (!c.pod) return toKey("HostName")(c, node, field);
  if (c.pod.has("HostName")) return c.report.dropped(node.where, fieldPath(c, field), "the pod's host name is set by another service already");
  c.pod.set("HostName", text(node) ?? "", node.where, fieldPath(c, field));
};

/** Ports and host-network settings go on the pod when the containers share one. */
function onPodOrContainer(key: string): FieldHandler {
  return (c, node, field) => {
    for (const v of stringList(node, fieldPath(c, field), c.report)) (c.pod ?? c.unit).set(key, v, node.where, fieldPath(c, field));
  };
}

const deploy: FieldHandler = (c, node, field) => {
  if (node.kind !== "map") return c.report.error(node.where, fieldPath(c, field), "expected a mapping");
  const limits = child(child(node, "resources"), "limits");
  for (const [name, v] of node.entries) {
    if (name !== "resources") c.report.dropped(v.where, fieldPath(c, `${field}.${name}`), "swarm deployment settings have no quadlet key");
  }
  for (const [name, v] of limits?.kind === "map" ? limits.entries : []) {
    const f = `${field}.resources.limits.${name}`;
    if (name === "memory") toKey("Memory")(c, v, f);
    else if (name === "pids") toKey("PidsLimit")(c, v, f);
    else if (name === "cpus") viaPodmanArgs("--cpus")(c, v, f);
    else c.report.dropped(v.where, fieldPath(c, f), "no quadlet key");
  }
  const resources = child(node, "resources") as MapNode | undefined;
  for (const [name, v] of resources?.entries ?? []) {
    if (name !== "limits") c.report.dropped(v.where, fieldPath(c, `${field}.resources.${name}`), "no quadlet key");
  }
};

/** Every service field convert knows, but those that refer to other units (in service-links.ts). */
export const SIMPLE_FIELDS: Readonly<Record<string, FieldHandler>> = {
  command,
  entrypoint,
  environment,
  env_file: envFile,
  expose: (c, node, field) => (c.pod ? dropped("in a pod, ports are published by the pod")(c, node, field) : toKey("ExposeHostPort")(c, node, field)),
  tmpfs: toKey("Tmpfs"),
  restart,
  user: toKey("User"),
  working_dir: toKey("WorkingDir"),
  hostname,
  labels: keyValues("Label"),
  annotations: keyValues("Annotation"),
  cap_add: toKey("AddCapability"),
  cap_drop: toKey("DropCapability"),
  devices,
  dns: onPodOrContainer("DNS"),
  dns_search: onPodOrContainer("DNSSearch"),
  dns_opt: onPodOrContainer("DNSOption"),
  extra_hosts: extraHosts,
  read_only: flagKey("ReadOnly"),
  security_opt: securityOpt,
  shm_size: toKey("ShmSize"),
  sysctls: keyValues("Sysctl"),
  ulimits,
  mem_limit: toKey("Memory"),
  pids_limit: toKey("PidsLimit"),
  stop_signal: toKey("StopSignal"),
  stop_grace_period: stopGracePeriod,
  init: flagKey("RunInit"),
  logging,
  tty: boolViaPodmanArgs("--tty"),
  stdin_open: boolViaPodmanArgs("--interactive"),
  privileged: boolViaPodmanArgs("--privileged"),
  group_add: toKey("GroupAdd"),
  userns_mode: toKey("UserNS"),
  pull_policy: pullPolicy,
  deploy,
  platform: viaPodmanArgs("--platform"),
  cpus: viaPodmanArgs("--cpus"),
  cpu_shares: viaPodmanArgs("--cpu-shares"),
  cpu_quota: viaPodmanArgs("--cpu-quota"),
  cpu_period: viaPodmanArgs("--cpu-period"),
  cpuset: viaPodmanArgs("--cpuset-cpus"),
  mem_reservation: viaPodmanArgs("--memory-reservation"),
  memswap_limit: viaPodmanArgs("--memory-swap"),
  mem_swappiness: viaPodmanArgs("--memory-swappiness"),
  oom_score_adj: viaPodmanArgs("--oom-score-adj"),
  ipc: viaPodmanArgs("--ipc"),
  pid: viaPodmanArgs("--pid"),
  uts: viaPodmanArgs("--uts"),
  cgroup: viaPodmanArgs("--cgroupns"),
  cgroup_parent: viaPodmanArgs("--cgroup-parent"),
  mac_address: viaPodmanArgs("--mac-address"),
  device_cgroup_rules: viaPodmanArgs("--device-cgroup-rule"),
  volumes_from: viaPodmanArgs("--volumes-from"),
  domainname: dropped("podman cannot set a container's domain name"),
  links: dropped("services reach each other by name on their networks; links are not needed"),
  external_links: dropped("no quadlet key"),
  runtime: dropped("the OCI runtime is chosen in containers.conf"),
  storage_opt: dropped("no quadlet key"),
  blkio_config: dropped("no quadlet key"),
  isolation: dropped("Windows only"),
  scale: dropped("a quadlet unit runs one container"),
  develop: dropped("compose watch has no quadlet equivalent"),
  attach: dropped("no quadlet key"),
};
