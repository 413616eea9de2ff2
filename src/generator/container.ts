/**
 * .container units: [Container] → NAME.service running `podman run`.
 *
 * The service follows podman's conventions: podman detaches (`-d`) and conmon tells
 * systemd when the container is up (`--sdnotify=conmon`, `Type=notify`), the container
 * runs in the service's cgroup split with conmon (`--cgroups=split`, `Delegate=yes`), and
 * it is replaced on start and removed on stop (`--replace --rm`, `podman rm` on stop).
 */
import type { UnitFile } from "../parser/unitfile.js";
import type { SectionRecord } from "../analysis/record.js";
import {
  SERVICE_GROUP,
  UNIT_GROUP,
  absolutePath,
  addEdge,
  addPodmanArgs,
  checkKillMode,
  defaultSyslogIdentifier,
  initService,
  setNotifyType,
  resolveImage,
  shortNameWarning,
} from "./common.js";
import { boolAs, eachAs, emitKeys, lastAs, row, SHARED_KEY_ROWS, withRow, type KeyRow, type ValueKind, rowsByKey } from "./keys.js";
import { ConvertError, PodmanCommand } from "./model.js";
import { PORT } from "../analysis/values.js";
import {
  addLogging,
  addNetworks,
  addPublishPorts,
  addUser,
  addUserMappings,
  addVolumes,
  basePodman,
  mountArgument,
  REMAP_KEYS,
  USER_MAPPING_KEYS,
} from "./shared-args.js";
import type { ConvertContext, UnitInfo, UnitIndex, UnitType } from "./unit-type.js";

const GROUP = "Container";

/** The label `podman auto-update` reads. */
export const AUTO_UPDATE_LABEL = "io.containers.autoupdate";

/** Health-check keys and the `--health-*` option each becomes, in podman's order. */
const HEALTH_KEYS: readonly (readonly [string, string, string])[] = [
  ["HealthCmd", "cmd", "4.5"],
  ["HealthInterval", "interval", "4.5"],
  ["HealthOnFailure", "on-failure", "4.5"],
  ["HealthLogDestination", "log-destination", "5.3"],
  ["HealthMaxLogCount", "max-log-count", "5.3"],
  ["HealthMaxLogSize", "max-log-size", "5.3"],
  ["HealthRetries", "retries", "4.5"],
  ["HealthStartPeriod", "start-period", "4.5"],
  ["HealthTimeout", "timeout", "4.5"],
  ["HealthStartupCmd", "startup-cmd", "4.5"],
  ["HealthStartupInterval", "startup-interval", "4.5"],
  ["HealthStartupRetries", "startup-retries", "4.5"],
  ["HealthStartupSuccess", "startup-success", "4.5"],
  ["HealthStartupTimeout", "startup-timeout", "4.5"],
];

/** The `--health-*` flag of each {@link HEALTH_KEYS} entry, built once. */
const HEALTH_FLAGS: readonly string[] = HEALTH_KEYS.map(([, opt]) => `--health-${opt}`);

/** The value kind of a Health*= key: durations and counts are checked, the rest is text. */
function healthKind(key: string): ValueKind {
  if (/(Interval|Period|Timeout)$/.test(key)) return "duration";
  if (/(Retries|Success|Count)$/.test(key)) return "integer";
  return "string";
}

/** Keys that map straight to one podman flag, in the order they are emitted. */
const SIMPLE_KEYS: readonly KeyRow[] = [
  row("Timezone", "string", "4.4", "The container's time zone: `--tz`.", lastAs("--tz")),
  row("PidsLimit", "integer", "4.7", "Tune the container's pids limit: `--pids-limit`.", lastAs("--pids-limit")),
  row("ShmSize", "size", "4.7", "Size of /dev/shm: `--shm-size`.", lastAs("--shm-size")),
  row("WorkingDir", "string", "4.6", "Working directory inside the container: `--workdir`.", lastAs("--workdir")),
  row("IP", "string", "4.5", "A static IPv4 address: `--ip`.", lastAs("--ip")),
  row("IP6", "string", "4.5", "A static IPv6 address: `--ip6`.", lastAs("--ip6")),
  row("HostName", "string", "4.6", "The container's host name: `--hostname`.", lastAs("--hostname")),
  row("StopSignal", "string", "5.2", "Signal that stops the container: `--stop-signal`.", lastAs("--stop-signal")),
  row("StopTimeout", "integer", "5.0", "Seconds before the container is killed: `--stop-timeout`.", lastAs("--stop-timeout")),
  row("Pull", "string", "4.6", "Image pull policy: `--pull`.", lastAs("--pull")),
  row("Memory", "size", "5.5", "Memory limit: `--memory`.", lastAs("--memory")),
  row("Retry", "integer", "5.5", "Pull retries: `--retry`.", lastAs("--retry")),
  row("RetryDelay", "duration", "5.5", "Delay between pull retries: `--retry-delay`.", lastAs("--retry-delay")),
  row("NetworkAlias", "strings", "5.2", "A network-scoped alias: `--network-alias` (repeatable).", eachAs("--network-alias")),
  row("Ulimit", "strings", "4.7", "A resource limit: `--ulimit` (repeatable).", eachAs("--ulimit")),
  row("DNS", "strings", "4.7", "A DNS server: `--dns` (repeatable).", eachAs("--dns")),
  row("DNSOption", "strings", "4.7", "A DNS option: `--dns-option` (repeatable).", eachAs("--dns-option")),
  row("DNSSearch", "strings", "4.7", "A DNS search domain: `--dns-search` (repeatable).", eachAs("--dns-search")),
  row("GroupAdd", "strings", "5.1", "A supplementary group: `--group-add` (repeatable).", eachAs("--group-add")),
  row("AddHost", "strings", "5.3", "A host-to-IP mapping: `--add-host` (repeatable).", eachAs("--add-host")),
  row("EnvironmentHost", "boolean", "4.4", "Pass the host's environment in: `--env-host`.", boolAs("--env-host")),
  row("HttpProxy", "boolean", "5.7", "Pass the proxy environment in: `--http-proxy`.", boolAs("--http-proxy")),
  row("RunInit", "boolean", "4.4", "Run an init process as PID 1 that reaps zombies: `--init`.", boolAs("--init")),
];

/** Every [Container] key. Rows without an emitter are handled in {@link convertContainer}. */
export const CONTAINER_KEYS: readonly KeyRow[] = [
  row("Image", "string", "4.4", "The image to run; may name a `.image` or `.build` unit. Required unless Rootfs= is set."),
  row("Rootfs", "string", "4.5", "Run from an exploded root file system instead of an image: `--rootfs`."),
  row("ContainerName", "string", "4.4", "The podman container's name (default `systemd-%N`): `--name`."),
  row("Exec", "args", "4.4", "The command and arguments given after the image."),
  row("Entrypoint", "string", "5.0", "Override the image's entrypoint: `--entrypoint=`."),
  row("Environment", "key-values", "4.4", "Environment variables: `--env` (sorted by name)."),
  row("EnvironmentFile", "words", "4.4", "A file of environment variables: `--env-file`; relative to the unit file."),
  row("Label", "key-values", "4.4", "Container labels: `--label`."),
  row("Annotation", "key-values", "4.4", "Container annotations: `--annotation`."),
  withRow(row("AutoUpdate", "enum", "4.6", "Auto-update policy: the `io.containers.autoupdate` label.", undefined, ["registry", "local"]), { onOther: "it is passed on as the io.containers.autoupdate label, which podman auto-update ignores" }),
  withRow(row("Notify", "enum", "4.4", "`true`: the container itself sends sd_notify (`--sdnotify=container`); `healthy`: ready once healthy; default: conmon reports readiness.", undefined, ["true", "false", "healthy"]), { onOther: "it is read as false: conmon reports readiness" }),
  row("CgroupsMode", "string", "5.3", "Cgroup mode (default `split`): `--cgroups=`."),
  row("LogDriver", "string", "4.5", "Log driver: `--log-driver`."),
  row("LogOpt", "words", "5.2", "Log driver options: `--log-opt` (repeatable)."),
  row("Network", "strings", "4.4", "A network to join; may name a `.network` or `.container` unit: `--network`."),
  row("PublishPort", "strings", "4.4", "Publish a port: `--publish`."),
  row("ExposeHostPort", "strings", "4.4", "Expose a port or range: `--expose`."),
  row("Volume", "strings", "4.4", "Mount a volume; may name a `.volume` unit; relative host paths are relative to the unit file: `-v`."),
  row("Mount", "args", "4.5", "Attach a file system mount; sources may name `.volume`, `.image` or `.artifact` units: `--mount`."),
  row("Tmpfs", "strings", "4.5", "Mount a tmpfs: `--tmpfs`."),
  row("AddDevice", "strings", "4.4", "Add a host device: `--device`; a leading `-` skips a device that does not exist."),
  row("AddCapability", "words", "4.4", "Add Linux capabilities: `--cap-add` (lower-cased)."),
  row("DropCapability", "words", "4.4", "Drop Linux capabilities: `--cap-drop` (lower-cased)."),
  row("NoNewPrivileges", "boolean", "4.4", "Disallow privilege escalation: `--security-opt=no-new-privileges`."),
  row("ReadOnly", "boolean", "4.4", "Read-only root file system: `--read-only`."),
  row("ReadOnlyTmpfs", "boolean", "4.8", "With ReadOnly=, mount tmpfs on /tmp, /var/tmp and /run: `--read-only-tmpfs`."),
  row("VolatileTmp", "boolean", "4.4", "Deprecated: a tmpfs on /tmp unless ReadOnly= is set."),
  row("SeccompProfile", "string", "4.4", "A seccomp profile: `--security-opt seccomp=`."),
  row("AppArmor", "string", "5.8", "An AppArmor profile: `--security-opt apparmor=`."),
  row("SecurityLabelDisable", "boolean", "4.5", "Turn SELinux separation off: `--security-opt label=disable`."),
  row("SecurityLabelNested", "boolean", "4.6", "Allow SELinux labels to be changed inside: `--security-opt label=nested`."),
  row("SecurityLabelType", "string", "4.5", "SELinux process type: `--security-opt label=type:`."),
  row("SecurityLabelFileType", "string", "4.5", "SELinux file type: `--security-opt label=filetype:`."),
  row("SecurityLabelLevel", "string", "4.5", "SELinux level: `--security-opt label=level:`."),
  row("Mask", "words", "4.6", "Paths to mask: `--security-opt mask=`."),
  row("Unmask", "words", "4.6", "Paths to unmask: `--security-opt unmask=`."),
  row("Sysctl", "words", "4.6", "Namespaced kernel parameters: `--sysctl`."),
  row("Secret", "args", "4.5", "A podman secret: `--secret`."),
  row("User", "string", "4.4", "The user inside the container: `--user`."),
  row("Group", "string", "4.4", "The group inside the container (needs User=): `--user USER:GROUP`."),
  ...USER_MAPPING_KEYS,
  ...REMAP_KEYS,
  row("Pod", "string", "5.0", "A `.pod` unit to join: `--pod`; the container starts with the pod."),
  row("StartWithPod", "boolean", "5.3", "Start with the pod given by Pod= (default yes)."),
  row("ReloadCmd", "args", "5.5", "`systemctl reload` runs this command in the container (`podman exec`)."),
  row("ReloadSignal", "string", "5.5", "`systemctl reload` sends this signal to the container (`podman kill`)."),
  ...HEALTH_KEYS.map(([key, opt, since]) => row(key, healthKind(key), since, `Health check setting: \`--health-${opt}\`.`)),
  ...SIMPLE_KEYS,
  ...SHARED_KEY_ROWS,
];

/** The rows of [Container], by key: how this file reads the record. */
const K = rowsByKey(CONTAINER_KEYS);

/** The Health*= rows, in {@link HEALTH_KEYS} order. */
const HEALTH_ROWS: readonly KeyRow[] = HEALTH_KEYS.map(([key]) => K[key]!);

/**
 * The container's name: ContainerName=, else `systemd-%N` (the service name); for a
 * template, `systemd-%p_%i`, so that every instance gets its own container.
 */
function containerName(rec: SectionRecord): string {
  const unit = rec.unit;
  const explicit = rec.lookup(K.ContainerName);
  if (explicit !== undefined) return explicit;
  return unit.templateParts().isTemplate ? "systemd-%p_%i" : "systemd-%N";
}

/** The name other units use for this container (with `%N` expanded, since they are other services). */
function containerResourceName(rec: SectionRecord): string {
  const unit = rec.unit;
  return rec.lookup(K.ContainerName) ?? `systemd-${unit.baseName}`;
}

/** ExecStop, ExecStopPost: remove the container; -i makes a missing one fine. */
function addStopCommands(rec: SectionRecord, service: UnitFile, ctx: ConvertContext, name: string): void {
  const stop = basePodman(rec, ctx.podman, ["rm"]).add("-v", "-f", "-i", name);
  const line = stop.toExecLine();
  service.add(SERVICE_GROUP, "ExecStop", line);
  // ExecStopPost runs when conmon died and ExecStop did not; "-" ignores its failure.
  service.add(SERVICE_GROUP, "ExecStopPost", "-" + line);
}

/** ExecReload from ReloadCmd= (`podman exec`) or ReloadSignal= (`podman kill`). */
function addReload(rec: SectionRecord, service: UnitFile, ctx: ConvertContext, name: string): void {
  const signal = rec.lookup(K.ReloadSignal);
  const cmd = rec.lastArgs(K.ReloadCmd);
  const hasSignal = !!signal;
  const hasCmd = !!cmd && cmd.length > 0;
  if (!hasSignal && !hasCmd) return;
  if (hasSignal && hasCmd) {
    throw new ConvertError("ReloadCmd and ReloadSignal are mutually exclusive but both are set", rec.line(K.ReloadSignal)?.origin, "ReloadSignal");
  }
  const reload = hasCmd
    ? basePodman(rec, ctx.podman, ["exec"]).add(name).addAll(cmd!)
    : basePodman(rec, ctx.podman, ["kill"]).add("--signal", signal!, name);
  service.add(SERVICE_GROUP, "ExecReload", reload.toExecLine());
}

/** `--sdnotify=…` and `-d`, unless the service is a oneshot. */
function addNotify(rec: SectionRecord, service: UnitFile, cmd: PodmanCommand): void {
  if (!setNotifyType(service)) return;
  const notify = rec.lookup(K.Notify);
  if (notify === "healthy") cmd.add("--sdnotify=healthy");
  else if (notify !== undefined && rec.bool(K.Notify)) cmd.add("--sdnotify=container");
  else cmd.add("--sdnotify=conmon");
  cmd.add("-d");
}

/** SELinux label keys and the `label=` option each becomes. */
const LABEL_OPTION_KEYS: readonly { key: string; option: string }[] = [
  { key: "SecurityLabelType", option: "type" },
  { key: "SecurityLabelFileType", option: "filetype" },
  { key: "SecurityLabelLevel", option: "level" },
];

function addSecurityOptions(rec: SectionRecord, cmd: PodmanCommand): void {
  if (rec.bool(K.NoNewPrivileges)) cmd.add("--security-opt=no-new-privileges");
  if (rec.bool(K.SecurityLabelDisable)) cmd.add("--security-opt", "label=disable");
  if (rec.bool(K.SecurityLabelNested)) cmd.add("--security-opt", "label=nested");
  for (let i = 0; i < LABEL_OPTION_KEYS.length; i++) {
    const { key, option } = LABEL_OPTION_KEYS[i]!;
    const v = rec.lookup(K[key]!);
    if (v) cmd.add("--security-opt", `label=${option}:${v}`);
  }
  const apparmor = rec.lookup(K.AppArmor);
  if (apparmor) cmd.add("--security-opt", `apparmor=${apparmor}`);
  const seccomp = rec.lookup(K.SeccompProfile);
  if (seccomp !== undefined) cmd.add("--security-opt", `seccomp=${seccomp}`);
  for (const cap of rec.strv(K.DropCapability)) cmd.add("--cap-drop", cap.toLowerCase());
  for (const cap of rec.strv(K.AddCapability)) cmd.add("--cap-add", cap.toLowerCase());
}

/** `--device` for each AddDevice=; `-/dev/x` is only added when the device exists. */
function addDevices(rec: SectionRecord, cmd: PodmanCommand, deviceExists: (path: string) => boolean): void {
  for (let device of rec.all(K.AddDevice)) {
    if (device.startsWith("-")) {
      device = device.slice(1);
      const hostPath = device.split(":")[0]!;
      if (!deviceExists(hostPath)) continue;
    }
    cmd.add("--device", device);
  }
}

/** `--health-*` options from the Health*= keys. */
function addHealth(rec: SectionRecord, cmd: PodmanCommand): void {
  for (let i = 0; i < HEALTH_ROWS.length; i++) {
    const v = rec.lookup(HEALTH_ROWS[i]!);
    if (v) cmd.add(HEALTH_FLAGS[i]!, v);
  }
}

/** `--pod` for Pod=, and the dependency on the pod's service. */
function addPod(ctx: ConvertContext, service: UnitFile, cmd: PodmanCommand): void {
  const rec = ctx.record;
  const index = ctx.index;
  const pod = rec.lookup(K.Pod);
  if (!pod) return;
  const origin = rec.line(K.Pod)?.origin;
  if (!pod.endsWith(".pod")) throw new ConvertError(`pod ${pod} is not Quadlet based`, origin, "Pod");
  const info = index.get(pod);
  if (!info) throw new ConvertError(`quadlet pod unit ${pod} does not exist`, origin, "Pod");
  cmd.add("--pod", info.resourceName ?? "");
  // The pod's service is bound to, not merely required: stopping the pod stops the container.
  addEdge(ctx, info, "pod", "Pod", origin);
  service.add(UNIT_GROUP, "BindsTo", `${info.serviceName}.service`);
  service.add(UNIT_GROUP, "After", `${info.serviceName}.service`);
}

function convertContainer(ctx: ConvertContext): ReturnType<UnitType["convert"]> {
  const unit = ctx.info.unit;
  const rec = ctx.record;
  const warnings = ctx.warnings;
  const service = initService(ctx, warnings);
  service.renameGroup(GROUP, "X-Container");

  let image = rec.lookup(K.Image) ?? "";
  const rootfs = rec.lookup(K.Rootfs) ?? "";
  if (!image && !rootfs) throw new ConvertError("no Image or Rootfs key specified");
  if (image && rootfs) throw new ConvertError("the Image And Rootfs keys conflict can not be specified together", rec.line(K.Rootfs)?.origin, "Rootfs");
  if (image) {
    const warning = shortNameWarning(unit, image);
    if (warning) warnings.push(warning);
    image = resolveImage(image, ctx, service, rec.line(K.Image)?.origin);
  }

  const name = containerName(rec);
  service.add(SERVICE_GROUP, "Environment", "PODMAN_SYSTEMD_UNIT=%n");
  checkKillMode(service);
  service.add(UNIT_GROUP, "RequiresMountsFor", "%t/containers");
  addStopCommands(rec, service, ctx, name);
  addReload(rec, service, ctx, name);

  const cmd = basePodman(rec, ctx.podman, ["run"]);
  cmd.add("--name", name, "--replace", "--rm");
  addLogging(rec, cmd);

  service.add(SERVICE_GROUP, "Delegate", "yes");
  const cgroups = rec.lookup(K.CgroupsMode);
  if (cgroups) cmd.add("--cgroups", cgroups);
  else cmd.add("--cgroups=split");

  emitKeys(rec, SIMPLE_KEYS, cmd);
  const entrypoint = rec.lookup(K.Entrypoint);
  if (entrypoint !== undefined) cmd.add(`--entrypoint=${entrypoint}`);
  addNetworks(ctx, service, cmd);
  addNotify(rec, service, cmd);
  defaultSyslogIdentifier(unit, service);

  addSecurityOptions(rec, cmd);
  addDevices(rec, cmd, (path) => ctx.fs.exists(path));
  for (const s of rec.strv(K.Sysctl)) cmd.add("--sysctl", s);

  const readOnly = rec.bool(K.ReadOnly);
  if (readOnly !== undefined) cmd.addBool("--read-only", readOnly);
  const readOnlyTmpfs = rec.bool(K.ReadOnlyTmpfs);
  if (readOnlyTmpfs !== undefined) cmd.addBool("--read-only-tmpfs", readOnlyTmpfs);
  if (rec.bool(K.VolatileTmp) && !readOnly) cmd.add("--tmpfs", "/tmp:rw,size=512M,mode=1777");

  addUser(rec, cmd);
  addUserMappings(rec, cmd, { supportManual: true, userMode: ctx.userMode });

  for (const line of rec.lines(K.Tmpfs)) {
    const tmpfs = line.value;
    if (tmpfs.split(":").length > 2) throw new ConvertError(`invalid tmpfs format '${tmpfs}'`, line.origin, "Tmpfs");
    cmd.add("--tmpfs", tmpfs);
  }
  addVolumes(ctx, service, cmd);

  const autoUpdate = rec.lookup(K.AutoUpdate);
  if (autoUpdate) cmd.addLabels(new Map([[AUTO_UPDATE_LABEL, autoUpdate]]));
  for (const line of rec.lines(K.ExposeHostPort)) {
    const p = line.value.trim();
    if (!PORT.test(p)) throw new ConvertError(`invalid port format '${p}'`, line.origin, "ExposeHostPort");
    cmd.add("--expose", p);
  }
  addPublishPorts(rec, cmd);
  cmd.addEnv(rec.keyVals(K.Environment));
  cmd.addLabels(rec.keyVals(K.Label));
  cmd.addAnnotations(rec.keyVals(K.Annotation));
  for (const m of rec.args(K.Mask)) cmd.add("--security-opt", `mask=${m}`);
  for (const m of rec.args(K.Unmask)) cmd.add("--security-opt", `unmask=${m}`);
  for (const f of rec.args(K.EnvironmentFile)) cmd.add("--env-file", absolutePath(unit, f));
  for (const s of rec.args(K.Secret)) cmd.add("--secret", s);
  for (const line of rec.lines(K.Mount)) {
    for (const m of unit.splitArgsOf(line) ?? []) cmd.add("--mount", mountArgument(ctx, service, m, line.origin));
  }
  addHealth(rec, cmd);
  addPod(ctx, service, cmd);

  addPodmanArgs(rec, cmd);
  if (image) cmd.add(image);
  else cmd.add("--rootfs", rootfs);
  cmd.addAll(rec.lastArgs(K.Exec) ?? []);
  service.add(SERVICE_GROUP, "ExecStart", cmd.toExecLine());
  return { unit: service, warnings };
}

/**
 * Containers with Pod= join that pod's list of containers to start, unless StartWithPod=no.
 * A template without an instance (`web@.container`) is no service of its own to start.
 */
function registerWithPod(info: UnitInfo, index: UnitIndex): void {
  const rec = info.record;
  const pod = rec.lookup(K.Pod);
  if (!pod) return;
  const podInfo = index.get(pod);
  if (!podInfo || rec.bool(K.StartWithPod) === false) return;
  const { isTemplate, instance } = info.unit.templateParts();
  if (isTemplate && instance === "") return;
  podInfo.containersToStart.push(`${info.serviceName}.service`);
}

export const containerType: UnitType = {
  extension: ".container",
  group: GROUP,
  serviceSuffix: "",
  keys: CONTAINER_KEYS,
  resourceName: containerResourceName,
  register: registerWithPod,
  convert: convertContainer,
};
