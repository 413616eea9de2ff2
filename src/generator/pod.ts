/**
 * .pod units: [Pod] → NAME-pod.service, which creates the pod (ExecStartPre, `podman pod
 * create`), starts it, and stops and removes it again.
 *
 * The infra container's conmon writes a PID file that systemd follows (`Type=forking`,
 * `PIDFile=`). Containers with `Pod=NAME.pod` bind themselves to this service; the pod
 * service in turn pulls in and orders itself before those that start with it.
 */
import type { UnitFile } from "../parser/unitfile.js";
import type { SectionRecord } from "../analysis/record.js";
import { SERVICE_GROUP, UNIT_GROUP, addPodmanArgs, resourceNameOf, defaultSyslogIdentifier, initService } from "./common.js";
import { eachAs, emitKeys, lastAs, row, withRow, SHARED_KEY_ROWS, type KeyRow, rowsByKey } from "./keys.js";
import type { PodmanCommand } from "./model.js";
import {
  addNetworks,
  addPublishPorts,
  addUserMappings,
  addVolumes,
  basePodman,
  REMAP_KEYS,
  USER_MAPPING_KEYS,
} from "./shared-args.js";
import type { ConvertContext, UnitType } from "./unit-type.js";

const GROUP = "Pod";

/** How long `podman pod stop` waits before it kills, unless StopTimeout= says otherwise. */
const DEFAULT_STOP_TIMEOUT = "10";

/** The exit policy quadlet pods get: the pod stops once its last container has exited. */
const DEFAULT_EXIT_POLICY = "stop";

/** Keys that map straight to one `podman pod create` flag, in the order they are emitted. */
const SIMPLE_KEYS: readonly KeyRow[] = [
  row("IP", "string", "5.3", "A static IPv4 address for the pod: `--ip`.", lastAs("--ip")),
  row("IP6", "string", "5.3", "A static IPv6 address for the pod: `--ip6`.", lastAs("--ip6")),
  row("HostName", "string", "5.5", "The host name every container of the pod sees: `--hostname`.", lastAs("--hostname")),
  row("ShmSize", "string", "5.4", "Size of the pod's /dev/shm: `--shm-size`.", lastAs("--shm-size")),
  row("NetworkAlias", "strings", "5.2", "A network-scoped alias for the pod: `--network-alias` (repeatable).", eachAs("--network-alias")),
  row("DNS", "strings", "5.3", "A DNS server for the pod's containers: `--dns` (repeatable).", eachAs("--dns")),
  row("DNSOption", "strings", "5.3", "A DNS option: `--dns-option` (repeatable).", eachAs("--dns-option")),
  row("DNSSearch", "strings", "5.3", "A DNS search domain: `--dns-search` (repeatable).", eachAs("--dns-search")),
  row("AddHost", "strings", "5.3", "A host-to-IP mapping added to /etc/hosts: `--add-host` (repeatable).", eachAs("--add-host")),
];

/** Every [Pod] key. Rows without an emitter are handled in {@link convertPod}. */
export const POD_KEYS: readonly KeyRow[] = [
  row("PodName", "string", "5.0", "The podman pod's name (default `systemd-NAME`): `--name`; its infra container is `NAME-infra`."),
  withRow(row("ExitPolicy", "enum", "5.6", "What the pod does once its last container exits (default `stop`): `--exit-policy`.", undefined, ["stop", "continue"]), { onOther: "it is passed on to podman, which refuses it when the service starts" }),
  row("StopTimeout", "integer", "5.7", "Seconds `podman pod stop` waits before killing the containers (default 10): `--time`."),
  row("Label", "key-values", "5.6", "Pod labels: `--label` (sorted by name)."),
  row("Network", "strings", "5.0", "A network for the pod; may name a `.network` unit: `--network`."),
  row("PublishPort", "strings", "5.0", "Publish a port of the pod: `--publish`."),
  row("Volume", "strings", "5.0", "Mount a volume in the pod; may name a `.volume` unit; relative host paths are relative to the unit file: `-v`."),
  ...SIMPLE_KEYS,
  ...USER_MAPPING_KEYS,
  ...REMAP_KEYS,
  ...SHARED_KEY_ROWS,
];

/** The rows of [Pod], by key: how this file reads the record. */
const K = rowsByKey(POD_KEYS);

/** The podman pod's name: PodName=, else `systemd-NAME`. Containers join it by this name. */
function podName(rec: SectionRecord): string {
  return resourceNameOf(rec, K.PodName!);
}

/** `podman pod create …`, the ExecStartPre that makes the pod and its infra container. */
function createCommand(ctx: ConvertContext, service: UnitFile, name: string): PodmanCommand {
  const rec = ctx.record;
  const create = basePodman(rec, ctx.podman, ["pod", "create"]);
  // conmon of the infra container writes the PID that systemd follows (PIDFile= below).
  create.add("--infra-conmon-pidfile=%t/%N.pid", "--replace");
  create.add("--exit-policy", rec.lookup(K.ExitPolicy) || DEFAULT_EXIT_POLICY);
  addUserMappings(rec, create, { supportManual: true, userMode: ctx.userMode });
  addPublishPorts(rec, create);
  addNetworks(ctx, service, create);
  emitKeys(rec, SIMPLE_KEYS, create);
  create.addLabels(rec.keyVals(K.Label));
  addVolumes(ctx, service, create);
  create.add("--infra-name", `${name}-infra`, "--name", name);
  addPodmanArgs(rec, create);
  return create;
}

function convertPod(ctx: ConvertContext): ReturnType<UnitType["convert"]> {
  const unit = ctx.info.unit;
  const rec = ctx.record;
  const warnings = ctx.warnings;
  const service = initService(ctx, warnings);
  service.renameGroup(GROUP, "X-Pod");
  const name = podName(rec);

  service.add(UNIT_GROUP, "RequiresMountsFor", "%t/containers");
  // The pod brings up the containers that start with it, once it exists.
  for (const container of ctx.info.containersToStart) {
    service.add(UNIT_GROUP, "Wants", container);
    service.add(UNIT_GROUP, "Before", container);
  }
  defaultSyslogIdentifier(unit, service);

  const start = basePodman(rec, ctx.podman, ["pod", "start"]).add(name);
  service.add(SERVICE_GROUP, "ExecStart", start.toExecLine());
  const timeout = rec.lookup(K.StopTimeout) || DEFAULT_STOP_TIMEOUT;
  const stop = basePodman(rec, ctx.podman, ["pod", "stop"]).add("--ignore", `--time=${timeout}`, name);
  service.add(SERVICE_GROUP, "ExecStop", stop.toExecLine());
  const remove = basePodman(rec, ctx.podman, ["pod", "rm"]).add("--ignore", "--force", name);
  service.add(SERVICE_GROUP, "ExecStopPost", remove.toExecLine());
  service.add(SERVICE_GROUP, "ExecStartPre", createCommand(ctx, service, name).toExecLine());

  // podman auto-update finds the service to restart through this variable.
  service.add(SERVICE_GROUP, "Environment", "PODMAN_SYSTEMD_UNIT=%n");
  service.set(SERVICE_GROUP, "Type", "forking");
  if (!unit.hasKey(SERVICE_GROUP, "Restart")) service.set(SERVICE_GROUP, "Restart", "on-failure");
  service.set(SERVICE_GROUP, "PIDFile", "%t/%N.pid");
  return { unit: service, warnings };
}

export const podType: UnitType = {
  extension: ".pod",
  group: GROUP,
  serviceSuffix: "-pod",
  keys: POD_KEYS,
  resourceName: podName,
  convert: convertPod,
};
