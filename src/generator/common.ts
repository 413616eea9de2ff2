/**
 * What every converter shares: naming, the start of every service (default dependencies,
 * SourcePath, translated [Unit] dependencies), key validation, relative paths and
 * references to other quadlet units.
 */
import { normalizePath } from "../text/names.js";
import { UNIT_EXTENSIONS } from "../parser/discover.js";
import type { Origin, UnitFile } from "../parser/unitfile.js";
import { rowsByKey, SHARED_KEYS, type KeyRow } from "./keys.js";
import type { SectionRecord } from "../analysis/record.js";
import { ConvertError, type PodmanCommand } from "./model.js";
import type { ConvertContext, UnitInfo, UnitType } from "./unit-type.js";
import type { Edge, EdgeKind } from "../analysis/analysis.js";

export const UNIT_GROUP = "Unit";
export const SERVICE_GROUP = "Service";
export const INSTALL_GROUP = "Install";
export const QUADLET_GROUP = "Quadlet";

/** Keys of the [Quadlet] section. */
export const QUADLET_KEYS: readonly KeyRow[] = [
  { key: "DefaultDependencies", value: "boolean", since: "5.3", doc: "Add the network-online dependencies (default yes)." },
];

const QUADLET_ROWS = rowsByKey(QUADLET_KEYS);

/** [Service] keys that would run podman as another user: podman cannot work that way. */
const UNSUPPORTED_SERVICE_KEYS = ["User", "Group", "DynamicUser"];

/** [Unit] keys whose values name other units; quadlet names in them become service names. */
export const DEPENDENCY_KEYS: readonly string[] = [
  "After", "Before", "Requires", "Requisite", "Wants", "BindsTo", "PartOf", "Upholds", "Conflicts",
  "OnFailure", "OnSuccess", "PropagatesReloadTo", "ReloadPropagatedFrom", "PropagatesStopTo",
  "StopPropagatedFrom", "JoinsNamespaceOf",
];

/** `web` for a container, `db-volume` for a volume, `tpl-volume@` for `tpl@.volume`. */
export function serviceNameOf(rec: SectionRecord, type: UnitType): string {
  const unit = rec.unit;
  const explicit = rec.lookup(SHARED_KEYS.serviceName);
  if (explicit) return explicit;
  const { base, instance, isTemplate } = unit.templateParts();
  return isTemplate ? `${base}${type.serviceSuffix}@${instance}` : `${base}${type.serviceSuffix}`;
}

/**
 * The podman object name a unit gets when its file does not name one: `systemd-NAME`,
 * where a template's `NAME` ends in `-%i` so each instance gets its own.
 */
export function defaultResourceName(unit: UnitFile): string {
  const { base, instance, isTemplate } = unit.templateParts();
  if (!isTemplate) return `systemd-${base}`;
  return `systemd-${base}-${instance === "" ? "%i" : instance}`;
}

/** The podman object name a unit sets with `key` (VolumeName=, …), else {@link defaultResourceName}. */
export function resourceNameOf(rec: SectionRecord, row: KeyRow): string {
  return rec.lookup(row) || defaultResourceName(rec.unit);
}

/** The unit extensions as a regular expression alternative: `container|volume|…`. */
const EXTENSIONS = UNIT_EXTENSIONS.map((e) => e.slice(1)).join("|");

const QUADLET_NAME = new RegExp(`\\.(${EXTENSIONS})$`);

/** Whether a space- or tab-separated list has a word that {@link isQuadletName} accepts. */
const NAMES_A_QUADLET = new RegExp(`\\.(${EXTENSIONS})(?=[ \\t]|$)`);

/** Whether a word names a quadlet unit file (`db.container`) rather than a systemd unit. */
export function isQuadletName(word: string): boolean {
  return QUADLET_NAME.test(word);
}

/** Rewrites quadlet names in [Unit] dependency keys (`Requires=db.container` → `db.service`). */
function translateDependencies(service: UnitFile, ctx: ConvertContext): void {
  const index = ctx.index;
  const group = service.group(UNIT_GROUP);
  if (!group) return;
  const lines = group.lines;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Most values name no quadlet unit: those are not split into words at all.
    if (line.isComment || !DEPENDENCY_KEYS.includes(line.key) || !NAMES_A_QUADLET.test(line.value)) continue;
    const words = line.value.split(/[ \t]+/).filter((w) => w.length);
    const value = words
      .map((w) => {
        if (!isQuadletName(w)) return w;
        const info = index.get(w);
        if (!info) throw new ConvertError(`unable to translate dependency for ${w}`, line.origin, line.key);
        addEdge(ctx, info, "unit", line.key, line.origin);
        return `${info.serviceName}.service`;
      })
      .join(" ");
    // A new line, not a changed one: the quadlet file's own unit shares its lines.
    lines[i] = { key: line.key, value, isComment: line.isComment, origin: line.origin };
  }
}

/** The network-online unit services wait for: system-wide, or the user manager's own. */
export function networkOnlineUnit(userMode: boolean): string {
  return userMode ? "podman-user-wait-network-online.service" : "network-online.target";
}

/**
 * Starts the service for `ctx.info.unit`: a copy of the quadlet file under the service's
 * name, with the network-online dependencies (unless `[Quadlet] DefaultDependencies=no`),
 * `SourcePath=`, and quadlet names in [Unit] translated. Returns it with warnings.
 */
export function initService(ctx: ConvertContext, warnings: string[]): UnitFile {
  const source = ctx.info.unit;
  for (let i = 0; i < UNSUPPORTED_SERVICE_KEYS.length; i++) {
    const key = UNSUPPORTED_SERVICE_KEYS[i]!;
    if (source.hasKey(SERVICE_GROUP, key)) warnings.push(`using key ${key} in the Service group is not supported`);
  }
  const service = source.clone(`${ctx.info.serviceName}.service`);
  if (ctx.info.quadlet.bool(QUADLET_ROWS.DefaultDependencies!) !== false) {
    const online = networkOnlineUnit(ctx.userMode);
    service.prepend(UNIT_GROUP, "After", online);
    service.prepend(UNIT_GROUP, "Wants", online);
  }
  // systemd warns about unknown sections that lack the X- prefix.
  service.renameGroup(QUADLET_GROUP, "X-Quadlet");
  if (source.path) service.add(UNIT_GROUP, "SourcePath", source.path);
  translateDependencies(service, ctx);
  return service;
}

/** Appends the PodmanArgs= words. */
export function addPodmanArgs(rec: SectionRecord, cmd: PodmanCommand): void {
  cmd.addAll(rec.args(SHARED_KEYS.podmanArgs));
}

/**
 * A path relative to the quadlet file's directory, made absolute. Paths starting with a
 * systemd specifier (`%h/…`) are left for systemd to expand.
 */
export function absolutePath(unit: UnitFile, path: string): string {
  if (path.startsWith("/") || path.startsWith("%")) return path;
  const dir = unit.path ? unit.path.slice(0, unit.path.lastIndexOf("/")) : process.cwd();
  return normalizePath(`${dir}/${path}`);
}


/**
 * Records a reference the converter resolved as an edge, and returns it: every dependency
 * line a service gets on another unit's service comes from one.
 */
export function addEdge(ctx: ConvertContext, target: UnitInfo, kind: EdgeKind, key: string, origin?: Origin): Edge {
  const from = ctx.info.unit;
  const edge: Edge = { from: from.filename, to: target.unit.filename, kind, key, file: origin?.file ?? (from.path || from.filename), line: origin?.line ?? 0, resolved: true };
  ctx.edges.push(edge);
  return edge;
}

/** The edge to `target`, made a `Requires=` and an `After=` on its service. */
export function dependOn(ctx: ConvertContext, service: UnitFile, target: UnitInfo, kind: EdgeKind, key: string, origin?: Origin): void {
  addEdge(ctx, target, kind, key, origin);
  service.add(UNIT_GROUP, "Requires", `${target.serviceName}.service`);
  service.add(UNIT_GROUP, "After", `${target.serviceName}.service`);
}

/**
 * Resolves an image reference: `foo.image` and `foo.build` become the image they produce
 * (and the service depends on theirs); anything else is returned as it is.
 */
export function resolveImage(image: string, ctx: ConvertContext, service: UnitFile, origin?: Origin): string {
  if (!image.endsWith(".image") && !image.endsWith(".build")) return image;
  const info = ctx.index.get(image);
  if (!info || info.resourceName === undefined) throw new ConvertError(`requested Quadlet image ${image} was not found`, origin, "Image");
  dependOn(ctx, service, info, "image", "Image", origin);
  return info.resourceName;
}

const IMAGE_ID = /^(sha256:)?[0-9a-f]{64}$/;

/** Whether an image name is fully qualified (a registry host first) or an image ID. */
export function isUnambiguousImageName(image: string): boolean {
  if (IMAGE_ID.test(image)) return true;
  const slash = image.indexOf("/");
  if (slash === -1) return false;
  const domain = image.slice(0, slash);
  return domain.includes(".") || domain.includes(":") || domain === "localhost";
}

/** The warning podman prints for a short image name. */
export function shortNameWarning(unit: UnitFile, image: string): string | undefined {
  if (image.endsWith(".image") || image.endsWith(".build") || isUnambiguousImageName(image)) return undefined;
  return `${unit.filename} specifies the image "${image}" which not a fully qualified image name. This is not ideal for performance and security reasons. See the podman-pull manpage discussion of short-name-aliases.conf for details.`;
}

/**
 * The [Service] defaults of a service that runs one podman command to make something exist
 * (a volume, network, image or artifact): `Type=oneshot`, `RemainAfterExit=yes` (when
 * `remainAfterExit`) and `SyslogIdentifier=%N` (the default, "podman", says nothing).
 * Each is only set when the unit's own [Service] section does not set it.
 */
export function setOneshotDefaults(service: UnitFile, remainAfterExit: boolean): void {
  const defaults: [string, string][] = [["Type", "oneshot"], ["SyslogIdentifier", "%N"]];
  if (remainAfterExit) defaults.push(["RemainAfterExit", "yes"]);
  for (const [key, value] of defaults) {
    if (!service.hasKey(SERVICE_GROUP, key)) service.set(SERVICE_GROUP, key, value);
  }
}

/** Only `mixed` (the default) and `control-group` let podman and conmon shut down cleanly. */
export function checkKillMode(service: UnitFile): void {
  const line = service.lookupLine(SERVICE_GROUP, "KillMode");
  if (!line) service.set(SERVICE_GROUP, "KillMode", "mixed");
  else if (line.value !== "mixed" && line.value !== "control-group") {
    throw new ConvertError(`invalid KillMode '${line.value}'; quadlet accepts mixed or control-group`, line.origin, "KillMode");
  }
}

/** `SyslogIdentifier=%N` unless the unit chose one: podman's own name says nothing in the journal. */
export function defaultSyslogIdentifier(unit: UnitFile, service: UnitFile): void {
  if (!unit.hasKey(SERVICE_GROUP, "SyslogIdentifier")) service.set(SERVICE_GROUP, "SyslogIdentifier", "%N");
}

/**
 * Services whose podman process reports readiness get `Type=notify` and
 * `NotifyAccess=all` (conmon notifies, not the main process). `Type=oneshot` is accepted
 * for work that runs to completion; returns false then. Any other type is an error.
 */
export function setNotifyType(service: UnitFile): boolean {
  const line = service.lookupLine(SERVICE_GROUP, "Type");
  const type = line?.value;
  if (type !== undefined && type !== "notify" && type !== "oneshot") {
    throw new ConvertError(`invalid service Type '${type}'; quadlet accepts notify or oneshot`, line?.origin, "Type");
  }
  if (type === "oneshot") return false;
  service.set(SERVICE_GROUP, "Type", "notify");
  service.set(SERVICE_GROUP, "NotifyAccess", "all");
  return true;
}
