/**
 * Podman arguments several unit types build the same way: the base command with
 * ContainersConfModule=/GlobalArgs=, networks, volumes and mounts (with references to
 * other quadlet units), published ports, users and user-namespace mappings.
 */
import { quotePathValue } from "../text/quote.js";
import type { Origin, UnitFile } from "../parser/unitfile.js";
import type { SectionRecord } from "../analysis/record.js";
import { absolutePath, dependOn, UNIT_GROUP } from "./common.js";
import { row, SHARED_KEYS, withRow, type KeyRow, keyHandles, rowsByKey } from "./keys.js";
import { ConvertError, PodmanCommand } from "./model.js";
import type { ConvertContext } from "./unit-type.js";

/** `podman [--module=M…] [GlobalArgs…] SUBCOMMAND`. */
export function basePodman(rec: SectionRecord, podman: string, subcommand: readonly string[]): PodmanCommand {
  const cmd = new PodmanCommand(podman, subcommand);
  for (const mod of rec.all(SHARED_KEYS.containersConfModule)) cmd.addGlobal(`--module=${mod}`);
  cmd.addGlobalAll(rec.args(SHARED_KEYS.globalArgs));
  return cmd;
}

/** The user-namespace keys shared by containers, pods and kube units. */
export const USER_MAPPING_KEYS: readonly KeyRow[] = [
  row("UserNS", "string", { Container: "4.5", Pod: "5.3" }, "The user namespace mode: `--userns`."),
  row("UIDMap", "words", { Container: "4.8", Pod: "5.3" }, "A UID mapping: `--uidmap`."),
  row("GIDMap", "words", { Container: "4.8", Pod: "5.3" }, "A GID mapping: `--gidmap`."),
  row("SubUIDMap", "string", { Container: "4.8", Pod: "5.3" }, "Map UIDs from this /etc/subuid name: `--subuidname`."),
  row("SubGIDMap", "string", { Container: "4.8", Pod: "5.3" }, "Map GIDs from this /etc/subgid name: `--subgidname`."),
];

/** The deprecated user-remapping keys. */
export const REMAP_KEYS: readonly KeyRow[] = [
  withRow(row("RemapUsers", "enum", { Container: "4.4", Kube: "4.4", Pod: "5.3" }, "Deprecated (use UserNS=): `auto`, `keep-id` or `manual` remapping.", undefined, ["auto", "keep-id", "manual"]), { strict: true }),
  row("RemapUid", "words", { Container: "4.4", Kube: "4.4", Pod: "5.3" }, "Deprecated: UID mapping for RemapUsers=."),
  row("RemapGid", "words", { Container: "4.4", Kube: "4.4", Pod: "5.3" }, "Deprecated: GID mapping for RemapUsers=."),
  row("RemapUidSize", "integer", { Container: "4.4", Kube: "4.4", Pod: "5.3" }, "Deprecated: the namespace size for RemapUsers=auto."),
];

/**
 * Keys several types' tables list, each with a row of its own; read here through handles,
 * which a test checks against every table that lists them.
 */
const K = rowsByKey([...USER_MAPPING_KEYS, ...REMAP_KEYS, ...keyHandles(["Network", "Volume", "LogDriver", "LogOpt", "PublishPort", "User", "Group"])]);

/** `--network` for each Network=; `.network` and `.container` names are resolved. */
export function addNetworks(ctx: ConvertContext, service: UnitFile, cmd: PodmanCommand): void {
  const rec = ctx.record;
  const index = ctx.index;
  for (const line of rec.lines(K.Network)) {
    let network = line.value;
    const colon = network.indexOf(":");
    const name = colon === -1 ? network : network.slice(0, colon);
    const isNetwork = name.endsWith(".network");
    const isContainer = name.endsWith(".container");
    if (isNetwork || isContainer) {
      const info = index.get(name);
      if (!info) throw new ConvertError(`requested Quadlet unit ${name} was not found`, line.origin, "Network");
      if (!info.resourceName) throw new ConvertError(`could not find resource name for ${name}`, line.origin, "Network");
      network = colon === -1 ? info.resourceName : `${info.resourceName}${network.slice(colon)}`;
      if (isContainer) network = `container:${network}`;
      dependOn(ctx, service, info, "network", "Network", line.origin);
    }
    cmd.add("--network", network);
  }
}

/**
 * Resolves a volume or mount source: a relative path becomes absolute (and the service
 * waits for it to be mounted); `.volume`, `.image`/`.build` (when `images`) and
 * `.artifact` names become the object their unit creates.
 */
export function resolveSource(ctx: ConvertContext, service: UnitFile, source: string, key: "Volume" | "Mount", images: boolean, origin?: Origin): string {
  const unit = ctx.info.unit;
  if (source.startsWith(".")) source = absolutePath(unit, source);
  if (source.startsWith("/")) {
    service.add(UNIT_GROUP, "RequiresMountsFor", quotePathValue(source));
    return source;
  }
  const quadlet = source.endsWith(".volume") || source.endsWith(".artifact") || (images && (source.endsWith(".image") || source.endsWith(".build")));
  if (!quadlet) return source;
  const info = ctx.index.get(source);
  if (!info) throw new ConvertError(`requested Quadlet source ${source} was not found`, origin);
  if (!info.resourceName) throw new ConvertError(`could not find resource name for ${source}`, origin);
  dependOn(ctx, service, info, key === "Volume" ? "volume" : "mount", key, origin);
  return info.resourceName;
}

/** `-v` for each Volume=. */
export function addVolumes(ctx: ConvertContext, service: UnitFile, cmd: PodmanCommand): void {
  const rec = ctx.record;
  for (const line of rec.lines(K.Volume)) {
    const parts = line.value.split(":");
    let source = "";
    let dest: string;
    let options = "";
    if (parts.length >= 2) {
      source = parts[0]!;
      dest = parts[1]!;
      if (parts.length > 2) options = ":" + parts.slice(2).join(":");
    } else {
      dest = parts[0]!;
    }
    if (source) source = resolveSource(ctx, service, source, "Volume", false, line.origin);
    cmd.add("-v", source ? `${source}:${dest}${options}` : dest);
  }
}

/** `--log-driver` from LogDriver= and `--log-opt` for each LogOpt= word. */
export function addLogging(rec: SectionRecord, cmd: PodmanCommand): void {
  const driver = rec.lookup(K.LogDriver);
  if (driver) cmd.add("--log-driver", driver);
  for (const opt of rec.strv(K.LogOpt)) cmd.add("--log-opt", opt);
}

/** `--publish` for each PublishPort=. */
export function addPublishPorts(rec: SectionRecord, cmd: PodmanCommand): void {
  for (const port of rec.all(K.PublishPort)) cmd.add("--publish", port.trim());
}

/** `--user USER[:GROUP]`. */
export function addUser(rec: SectionRecord, cmd: PodmanCommand): void {
  const user = rec.lookup(K.User);
  const grp = rec.lookup(K.Group);
  if (!user) {
    if (grp) throw new ConvertError("invalid Group set without User", rec.line(K.Group)?.origin, "Group");
    return;
  }
  cmd.add("--user", grp ? `${user}:${grp}` : user);
}

export interface UserMappingOptions {
  /** Whether RemapUsers=manual is accepted (not for kube units). */
  supportManual: boolean;
  userMode: boolean;
}

/** `--userns`, `--uidmap`, `--gidmap`, `--subuidname`, `--subgidname`, or the deprecated Remap keys. */
export function addUserMappings(rec: SectionRecord, cmd: PodmanCommand, opts: UserMappingOptions): void {
  let defined = false;
  const userns = rec.lookup(K.UserNS);
  if (userns) {
    cmd.add("--userns", userns);
    defined = true;
  }
  for (const m of rec.strv(K.UIDMap)) {
    cmd.add("--uidmap", m);
    defined = true;
  }
  for (const m of rec.strv(K.GIDMap)) {
    cmd.add("--gidmap", m);
    defined = true;
  }
  const subuid = rec.lookup(K.SubUIDMap);
  if (subuid) {
    cmd.add("--subuidname", subuid);
    defined = true;
  }
  const subgid = rec.lookup(K.SubGIDMap);
  if (subgid) {
    cmd.add("--subgidname", subgid);
    defined = true;
  }
  if (defined) {
    if (rec.has(K.RemapUid) || rec.has(K.RemapGid) || rec.last(K.RemapUsers) !== undefined) {
      throw new ConvertError("deprecated Remap keys are set along with explicit mapping keys");
    }
    return;
  }
  addUserRemap(rec, cmd, opts);
}

function addUserRemap(rec: SectionRecord, cmd: PodmanCommand, opts: UserMappingOptions): void {
  const uidMaps = rec.strv(K.RemapUid);
  const gidMaps = rec.strv(K.RemapGid);
  const mode = rec.last(K.RemapUsers) ?? "";
  const origin = rec.line(K.RemapUsers)?.origin;
  switch (mode) {
    case "":
      if (uidMaps.length) throw new ConvertError("UidMap set without RemapUsers", rec.line(K.RemapUid)?.origin, "RemapUid");
      if (gidMaps.length) throw new ConvertError("GidMap set without RemapUsers", rec.line(K.RemapGid)?.origin, "RemapGid");
      return;
    case "manual":
      if (!opts.supportManual) throw new ConvertError("RemapUsers=manual is not supported", origin, "RemapUsers");
      for (const m of uidMaps) cmd.add("--uidmap", m);
      for (const m of gidMaps) cmd.add("--gidmap", m);
      return;
    case "auto": {
      const auto = [...uidMaps.map((m) => `uidmapping=${m}`), ...gidMaps.map((m) => `gidmapping=${m}`)];
      const size = parseInt(rec.lookup(K.RemapUidSize) ?? "0", 10);
      if (size > 0) auto.push(`size=${size}`);
      cmd.add("--userns", usernsOption("auto", auto));
      return;
    }
    case "keep-id": {
      const keep: string[] = [];
      if (uidMaps.length > 1) throw new ConvertError("RemapUsers=keep-id supports only a single value for UID mapping", origin, "RemapUid");
      if (gidMaps.length > 1) throw new ConvertError("RemapUsers=keep-id supports only a single value for GID mapping", origin, "RemapGid");
      if (uidMaps.length) keep.push(`uid=${uidMaps[0]}`);
      if (gidMaps.length) keep.push(`gid=${gidMaps[0]}`);
      cmd.add("--userns", usernsOption("keep-id", keep));
      return;
    }
    default:
      throw new ConvertError(`unsupported RemapUsers option '${mode}'; accepted: auto, keep-id, manual`, origin, "RemapUsers");
  }
}

function usernsOption(kind: string, opts: string[]): string {
  return opts.length ? `${kind}:${opts.join(",")}` : kind;
}

// ---- Mount= ---------------------------------------------------------------------------

/** Reads one CSV record as Go's encoding/csv does (podman parses --mount that way). */
export function parseCsvRecord(input: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (input[i] === '"') {
      i++;
      for (;;) {
        if (i >= input.length) throw new ConvertError(`unterminated quote in "${input}"`);
        if (input[i] === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += input[i++];
      }
      if (i < input.length && input[i] !== ",") throw new ConvertError(`extraneous text after a quoted field in "${input}"`);
    } else {
      const comma = input.indexOf(",", i);
      const end = comma === -1 ? input.length : comma;
      field = input.slice(i, end);
      i = end;
    }
    fields.push(field);
    if (i >= input.length) return fields;
    i++; // the comma
  }
}

/** Writes fields as one CSV record, quoting as Go's encoding/csv does. */
export function formatCsvRecord(fields: readonly string[]): string {
  return fields
    .map((f) => (f !== "" && (/[,"\r\n]/.test(f) || /^\s/.test(f)) ? `"${f.replace(/"/g, '""')}"` : f))
    .join(",");
}

/** Mount types whose source may name a path or another quadlet unit. */
const MOUNT_TYPES_WITH_SOURCE = new Set(["volume", "bind", "glob", "image", "artifact"]);

/** The `--mount` argument for one Mount= value, with its source resolved. */
export function mountArgument(ctx: ConvertContext, service: UnitFile, mount: string, origin?: Origin): string {
  let type = "volume";
  let typeFound = false;
  const tokens: string[] = [];
  let fields: string[];
  try {
    fields = parseCsvRecord(mount);
  } catch (err) {
    throw err instanceof ConvertError && !err.origin ? new ConvertError(err.message, origin, "Mount") : err;
  }
  for (const field of fields) {
    const kv = field.split("=");
    if (!typeFound && kv.length === 2 && kv[0] === "type") {
      type = kv[1]!;
      typeFound = true;
    } else {
      tokens.push(field);
    }
  }
  if (!MOUNT_TYPES_WITH_SOURCE.has(type)) return mount;
  const sourceAt = tokens.findIndex((t) => t.split("=")[0] === "source" || t.split("=")[0] === "src");
  if (sourceAt === -1) {
    if (type === "volume") return mount;
    throw new ConvertError(`source parameter is required for mount type ${type}`, origin, "Mount");
  }
  const token = tokens[sourceAt]!;
  const eq = token.indexOf("=");
  if (eq === -1) throw new ConvertError("source parameter does not include a value", origin, "Mount");
  const source = resolveSource(ctx, service, token.slice(eq + 1), "Mount", type === "image", origin);
  tokens[sourceAt] = `source=${source}`;
  return formatCsvRecord([`type=${type}`, ...tokens]);
}
