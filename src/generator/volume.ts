/**
 * .volume units: [Volume] → NAME-volume.service, a oneshot that runs
 * `podman volume create --ignore NAME`, so the volume exists before the containers that
 * mount it start (they depend on this service). `--ignore` keeps an existing volume as it
 * is: changed options only take effect once the volume has been removed by hand.
 */
import { quotePathValue } from "../text/quote.js";
import type { UnitFile } from "../parser/unitfile.js";
import type { SectionRecord } from "../analysis/record.js";
import { UNIT_GROUP, resourceNameOf, resolveImage } from "./common.js";
import { emitKeys, keyValuesAs, nonEmptyAs, row, SHARED_KEY_ROWS, type KeyRow, rowsByKey } from "./keys.js";
import { ConvertError, type GeneratedService, type PodmanCommand } from "./model.js";
import { oneshotService } from "./oneshot.js";
import type { AccountLookup, ConvertContext, UnitType } from "./unit-type.js";

const GROUP = "Volume";

/** Keys that map straight to podman flags, emitted after the `--opt` ones. */
const DIRECT_KEYS: readonly KeyRow[] = [
  row("UID", "string", "6.0", "The UID owning the volume's directory, not passed to mount: `--uid`.", nonEmptyAs("--uid")),
  row("GID", "string", "6.0", "The GID owning the volume's directory, not passed to mount: `--gid`.", nonEmptyAs("--gid")),
  row("Label", "key-values", "4.4", "Labels on the volume: `--label` (sorted by name).", keyValuesAs("--label")),
];

/** Every [Volume] key. Rows without an emitter are handled in {@link convertVolume}. */
export const VOLUME_KEYS: readonly KeyRow[] = [
  row("VolumeName", "string", "4.7", "The podman volume's name (default `systemd-NAME`)."),
  row("Driver", "string", "4.8", "The volume driver: `--driver`; `image` needs Image=."),
  row("Image", "string", "4.8", "With Driver=image, the image the volume is made from; may name a `.image` or `.build` unit: `--opt image=`."),
  row("Device", "string", "4.4", "The device (or directory, for Type=bind) to mount: `--opt device=`."),
  row("Type", "string", "4.4", "The file system type of Device=, as mount -t takes it: `--opt type=`."),
  row("Options", "string", "4.4", "Mount options, as mount -o takes them: added to `--opt o=`."),
  row("Copy", "boolean", "4.4", "Copy the image's content at the mount point into the new volume: `--opt copy` or `--opt nocopy`."),
  row("User", "string", "4.4", "The host user (number or name) owning the mounted volume: `uid=` in `--opt o=`."),
  row("Group", "string", "4.4", "The host group (number or name) of the mounted volume: `gid=` in `--opt o=`."),
  ...DIRECT_KEYS,
  ...SHARED_KEY_ROWS,
];

/** The rows of [Volume], by key: how this file reads the record. */
const K = rowsByKey(VOLUME_KEYS);

/** The volume's name: VolumeName=, else `systemd-NAME` (`systemd-NAME-%i` for a template). */
function volumeName(rec: SectionRecord): string {
  return resourceNameOf(rec, K.VolumeName!);
}

type IdKind = "User" | "Group";

/**
 * The numeric id of User= or Group=: a number as it is, a name looked up on the host.
 * Podman reads any name as 0 (root) because it only parses numbers; we look the name up
 * instead, and refuse one the host does not know, since silently giving the volume to root
 * is never what the unit's author meant.
 */
function resolveId(rec: SectionRecord, key: IdKind, accounts: AccountLookup): number | undefined {
  const value = rec.lookup(K[key]!);
  if (value === undefined || value === "") return undefined;
  const origin = rec.line(K[key]!)?.origin;
  if (/^\d+$/.test(value)) {
    const id = Number(value);
    if (id > 0xffffffff) throw new ConvertError(`invalid ${key} '${value}': ids are at most ${0xffffffff}`, origin, key);
    return id;
  }
  const id = key === "User" ? accounts.uid(value) : accounts.gid(value);
  if (id === undefined) {
    const what = key === "User" ? "user" : "group";
    throw new ConvertError(`unknown ${what} '${value}' in ${key}=; give a number or a ${what} name that exists on this host`, origin, key);
  }
  return id;
}

/** The words of `--opt o=…`: the owner from User=/Group=, then Options=. */
function mountOptions(rec: SectionRecord, accounts: AccountLookup): string[] {
  const opts: string[] = [];
  const uid = resolveId(rec, "User", accounts);
  if (uid !== undefined) opts.push(`uid=${uid}`);
  const gid = resolveId(rec, "Group", accounts);
  if (gid !== undefined) opts.push(`gid=${gid}`);
  const options = rec.lookup(K.Options);
  if (options) opts.push(options);
  return opts;
}

/**
 * `--opt device=` and `--opt type=`. A bind mount's source directory must be mounted
 * before the volume is created, so the service requires it.
 */
function addDevice(rec: SectionRecord, service: UnitFile, cmd: PodmanCommand): void {
  const device = rec.lookup(K.Device);
  if (device) cmd.add("--opt", `device=${device}`);
  const type = rec.lookup(K.Type);
  if (!type) return;
  if (!device) throw new ConvertError("key Type can't be used without Device", rec.line(K.Type)?.origin, "Type");
  cmd.add("--opt", `type=${type}`);
  if (type === "bind") service.add(UNIT_GROUP, "RequiresMountsFor", quotePathValue(device));
}

/** `--opt image=` for Driver=image; a `.image` or `.build` name becomes its image. */
function addImage(rec: SectionRecord, ctx: ConvertContext, service: UnitFile, cmd: PodmanCommand): void {
  const image = rec.lookup(K.Image);
  if (image === undefined) throw new ConvertError("the key Image is mandatory when using the image driver", rec.line(K.Driver)?.origin, "Driver");
  const origin = rec.line(K.Image)?.origin;
  try {
    cmd.add("--opt", `image=${resolveImage(image, ctx, service)}`);
  } catch (err) {
    // Point the error at the Image= line when resolveImage could not.
    if (err instanceof ConvertError && !err.origin) throw new ConvertError(err.message, origin, "Image");
    throw err;
  }
}

function convertVolume(ctx: ConvertContext): GeneratedService {
  const rec = ctx.record;
  return oneshotService(ctx, {
    subcommand: ["volume", "create"],
    remainAfterExit: true,
    flags(cmd, service) {
      cmd.add("--ignore");
      const driver = rec.lookup(K.Driver);
      if (driver) cmd.add("--driver", driver);
      const copy = rec.bool(K.Copy);
      if (copy !== undefined) cmd.add("--opt", copy ? "copy" : "nocopy");
      addDevice(rec, service, cmd);
      const opts = mountOptions(rec, ctx.accounts);
      if (opts.length) cmd.add("--opt", `o=${opts.join(",")}`);
      if (driver === "image") addImage(rec, ctx, service, cmd);
      emitKeys(rec, DIRECT_KEYS, cmd);
    },
    operands: () => [volumeName(rec)],
  });
}

export const volumeType: UnitType = {
  extension: ".volume",
  group: GROUP,
  serviceSuffix: "-volume",
  keys: VOLUME_KEYS,
  resourceName: volumeName,
  convert: convertVolume,
};
