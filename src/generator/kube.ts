/**
 * .kube units: [Kube] → NAME.service running `podman kube play`.
 *
 * `kube play` runs with a service container (`--service-container=true`), whose conmon
 * tells systemd when the workload is up (`Type=notify`), and replaces what an earlier run
 * left (`--replace`). `podman kube down` runs in ExecStopPost, so the pods and containers
 * are removed even when the service failed.
 */
import { posix } from "node:path";
import type { UnitFile } from "../parser/unitfile.js";
import type { SectionRecord } from "../analysis/record.js";
import { SERVICE_GROUP, UNIT_GROUP, addPodmanArgs, absolutePath, checkKillMode, defaultSyslogIdentifier, initService, setNotifyType } from "./common.js";
import { row, withRow, SHARED_KEY_ROWS, type KeyRow, rowsByKey } from "./keys.js";
import { ConvertError } from "./model.js";
import { AUTO_UPDATE_LABEL } from "./container.js";
import { addLogging, addNetworks, addPublishPorts, addUserMappings, basePodman, REMAP_KEYS } from "./shared-args.js";
import type { ConvertContext, UnitType } from "./unit-type.js";

const GROUP = "Kube";

/** Every [Kube] key; all are handled in {@link convertKube}. */
export const KUBE_KEYS: readonly KeyRow[] = [
  row("Yaml", "words", "4.4", "A Kubernetes YAML file to play, relative to the unit file; required, repeatable."),
  row("ConfigMap", "words", "4.4", "A ConfigMap YAML file, relative to the unit file: `--configmap` (repeatable)."),
  row("AutoUpdate", "words", "4.7", "Auto-update policy, `registry`, `local`, or `CONTAINER/POLICY` for one container: `--annotation`."),
  withRow(row("ExitCodePropagation", "enum", "4.6", "How failed containers make the service fail: `--service-exit-code-propagation`.", undefined, ["all", "any", "none"]), { onOther: "it is passed on to podman, which refuses it when the service starts" }),
  row("KubeDownForce", "boolean", "4.8", "Also remove volumes when the service stops: `podman kube down --force`."),
  row("LogDriver", "string", "4.5", "Log driver of the containers: `--log-driver`."),
  row("LogOpt", "words", "5.2", "Log driver options: `--log-opt` (repeatable)."),
  row("Network", "strings", "4.4", "A network to join; may name a `.network` unit: `--network`."),
  row("PublishPort", "strings", "4.4", "Publish a port, overriding the YAML file's: `--publish`."),
  withRow(row("SetWorkingDirectory", "enum", "4.7", "Run in the directory of the YAML file (`yaml`) or of the unit file (`unit`).", undefined, ["yaml", "unit"]), { strict: true }),
  row("UserNS", "string", "4.5", "The user namespace mode: `--userns`."),
  ...REMAP_KEYS,
  ...SHARED_KEY_ROWS,
];

/** The rows of [Kube], by key: how this file reads the record. */
const K = rowsByKey(KUBE_KEYS);

/**
 * The `--annotation` for one AutoUpdate= word: `registry` applies to every container,
 * `web/local` to the container `web` only.
 */
function autoUpdateAnnotation(value: string): string {
  const slash = value.indexOf("/");
  if (slash === -1) return `--annotation=${AUTO_UPDATE_LABEL}=${value}`;
  return `--annotation=${AUTO_UPDATE_LABEL}/${value.slice(0, slash)}=${value.slice(slash + 1)}`;
}

/**
 * WorkingDirectory= from SetWorkingDirectory=, so `kube play` resolves the YAML file's
 * relative paths: the directory of the (single) YAML file, or of the unit file. A
 * WorkingDirectory= the user set in [Service] wins.
 */
function setWorkingDirectory(rec: SectionRecord, service: UnitFile, yamls: readonly string[]): void {
  const unit = rec.unit;
  const line = rec.line(K.SetWorkingDirectory);
  const mode = rec.lookup(K.SetWorkingDirectory);
  if (!mode) return;
  let file: string;
  switch (mode.toLowerCase()) {
    case "yaml":
      if (yamls.length !== 1) {
        throw new ConvertError("SetWorkingDirectory=yaml is only supported when a single Yaml key is provided", line?.origin, "SetWorkingDirectory");
      }
      file = yamls[0]!;
      break;
    case "unit":
      file = unit.path;
      break;
    default:
      throw new ConvertError(`unsupported value for SetWorkingDirectory: ${mode}; accepted: yaml, unit`, line?.origin, "SetWorkingDirectory");
  }
  if (unit.lookup(SERVICE_GROUP, "WorkingDirectory")) return;
  const path = absolutePath(unit, file);
  service.add(SERVICE_GROUP, "WorkingDirectory", posix.dirname(path));
}

function convertKube(ctx: ConvertContext): ReturnType<UnitType["convert"]> {
  const unit = ctx.info.unit;
  const rec = ctx.record;
  const warnings = ctx.warnings;
  const service = initService(ctx, warnings);
  service.renameGroup(GROUP, "X-Kube");

  const yamls = rec.strv(K.Yaml);
  if (yamls.length === 0) throw new ConvertError("no Yaml key specified");
  const yamlPaths = yamls.map((y) => absolutePath(unit, y));

  checkKillMode(service);
  // podman auto-update finds the service to restart through this variable.
  service.add(SERVICE_GROUP, "Environment", "PODMAN_SYSTEMD_UNIT=%n");
  service.add(UNIT_GROUP, "RequiresMountsFor", "%t/containers");
  setNotifyType(service);
  defaultSyslogIdentifier(unit, service);

  const play = basePodman(rec, ctx.podman, ["kube", "play"]);
  play.add("--replace", "--service-container=true");
  const propagation = rec.lookup(K.ExitCodePropagation);
  if (propagation) play.add(`--service-exit-code-propagation=${propagation}`);
  addLogging(rec, play);
  addUserMappings(rec, play, { supportManual: false, userMode: ctx.userMode });
  addNetworks(ctx, service, play);
  for (const update of rec.strv(K.AutoUpdate)) play.add(autoUpdateAnnotation(update));
  for (const configMap of rec.strv(K.ConfigMap)) play.add("--configmap", absolutePath(unit, configMap));
  addPublishPorts(rec, play);
  addPodmanArgs(rec, play);
  play.addAll(yamlPaths);
  service.add(SERVICE_GROUP, "ExecStart", play.toExecLine());

  const down = basePodman(rec, ctx.podman, ["kube", "down"]);
  if (rec.bool(K.KubeDownForce)) down.add("--force");
  down.addAll(yamlPaths);
  service.add(SERVICE_GROUP, "ExecStopPost", down.toExecLine());

  setWorkingDirectory(rec, service, yamls);
  return { unit: service, warnings };
}

export const kubeType: UnitType = {
  extension: ".kube",
  group: GROUP,
  serviceSuffix: "",
  keys: KUBE_KEYS,
  // Other units never refer to what a YAML file creates by a name quadlet knows.
  resourceName: () => undefined,
  convert: convertKube,
};
