/**
 * .build units: [Build] → NAME-build.service running `podman build`.
 *
 * The service is a oneshot that builds the image and exits; later starts are quick since
 * podman's layer cache skips the steps that did not change. Containers and volumes that
 * say `Image=NAME.build` require it and get its first ImageTag=.
 *
 * `podman build` needs a context: SetWorkingDirectory= gives one (a path or URL), or makes
 * the service's WorkingDirectory= the directory of File= (`file`) or of the unit (`unit`).
 */
import { posix } from "node:path";
import type { UnitFile } from "../parser/unitfile.js";
import type { SectionRecord } from "../analysis/record.js";
import { SERVICE_GROUP, absolutePath } from "./common.js";
import { boolAs, eachAs, emitKeys, keyValuesAs, lastAs, lastJoined, row, SHARED_KEY_ROWS, type KeyRow, rowsByKey } from "./keys.js";
import { ConvertError, type GeneratedService, type PodmanCommand } from "./model.js";
import { addNetworks, addVolumes } from "./shared-args.js";
import { oneshotService } from "./oneshot.js";
import type { ConvertContext, UnitType } from "./unit-type.js";

const GROUP = "Build";
const WORKING_DIRECTORY = "WorkingDirectory";

/** Keys that map straight to `podman build` flags, in the order they are emitted. */
const BUILD_FLAG_KEYS: readonly KeyRow[] = [
  // podman build only reads the policy when it is joined with `=`.
  row("Pull", "string", "5.2", "When to pull the base images: `--pull=`.", lastJoined("--pull")),
  row("Arch", "string", "5.2", "Build for this architecture instead of the host's: `--arch`.", lastAs("--arch")),
  row("AuthFile", "string", "5.2", "Registry credentials file: `--authfile`.", lastAs("--authfile")),
  row("IgnoreFile", "string", "5.7", "An alternative .containerignore file: `--ignorefile`.", lastAs("--ignorefile")),
  row("Target", "string", "5.2", "The build stage to stop at: `--target`.", lastAs("--target")),
  row("Variant", "string", "5.2", "Build for this variant of the architecture: `--variant`.", lastAs("--variant")),
  row("Retry", "integer", "5.5", "How often a failed base image pull is retried: `--retry`.", lastAs("--retry")),
  row("RetryDelay", "string", "5.5", "How long to wait between pull retries: `--retry-delay`.", lastAs("--retry-delay")),
  row("TLSVerify", "boolean", "5.2", "Require HTTPS and valid certificates: `--tls-verify`.", boolAs("--tls-verify")),
  row("ForceRM", "boolean", "5.2", "Remove intermediate containers even when the build fails (podman's default): `--force-rm`.", boolAs("--force-rm")),
  row("DNS", "strings", "5.2", "A DNS server for RUN steps: `--dns` (repeatable).", eachAs("--dns")),
  row("DNSOption", "strings", "5.2", "A DNS option for RUN steps: `--dns-option` (repeatable).", eachAs("--dns-option")),
  row("DNSSearch", "strings", "5.2", "A DNS search domain for RUN steps: `--dns-search` (repeatable).", eachAs("--dns-search")),
  row("GroupAdd", "strings", "5.2", "A supplementary group for RUN steps: `--group-add` (repeatable).", eachAs("--group-add")),
  row("ImageTag", "strings", "5.2", "A name for the built image: `--tag` (repeatable; the first is what `NAME.build` means). Required.", eachAs("--tag")),
  row("Annotation", "key-values", "5.2", "Image annotations: `--annotation`.", keyValuesAs("--annotation")),
  row("Environment", "key-values", "5.2", "Environment variables baked into the image: `--env`.", keyValuesAs("--env")),
  row("Label", "key-values", "5.2", "Image labels: `--label`.", keyValuesAs("--label")),
  row("BuildArg", "key-values", "5.7", "Build-time variables (ARG), not kept in the image: `--build-arg`.", keyValuesAs("--build-arg")),
];

/** Every [Build] key. Rows without an emitter are handled in {@link convertBuild}. */
export const BUILD_KEYS: readonly KeyRow[] = [
  ...BUILD_FLAG_KEYS,
  row("Network", "strings", "5.2", "The network of RUN steps; may name a `.network` unit: `--network`."),
  row("Secret", "args", "5.2", "A secret RUN steps can mount: `--secret`."),
  row("Volume", "strings", "5.2", "A volume for RUN steps; may name a `.volume` unit; relative host paths are relative to the unit file: `-v`."),
  row("File", "string", "5.2", "The Containerfile, a path or an http(s) URL: `--file`."),
  row("SetWorkingDirectory", "string", "5.2", "The build context: a path, a URL, `file` (File='s directory) or `unit` (the unit file's directory)."),
  ...SHARED_KEY_ROWS,
];

/** The rows of [Build], by key: how this file reads the record. */
const K = rowsByKey(BUILD_KEYS);

/** The image other units get for `Image=NAME.build`: the first ImageTag=. */
function buildResourceName(rec: SectionRecord): string | undefined {
  return rec.all(K.ImageTag)[0] || undefined;
}

/**
 * Whether a value is a URL with a scheme and a host, as Go's url.Parse sees it:
 * `https://host/x.git` and `git://git@host/repo` are, `github.com/a/b.git` and
 * `file:///x` are not.
 */
export function isUrl(value: string): boolean {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(value);
  if (!m) return false;
  const authority = m[1]!;
  return authority.slice(authority.lastIndexOf("@") + 1) !== "";
}

/** The directory holding `path`, cleaned (`/a/b/` gives `/a/b`, as Go's filepath.Dir does). */
function parentDir(path: string): string {
  const slash = path.lastIndexOf("/");
  if (slash === -1) return ".";
  const dir = posix.normalize(path.slice(0, slash + 1));
  return dir.length > 1 && dir.endsWith("/") ? dir.slice(0, -1) : dir;
}

/**
 * Reads SetWorkingDirectory=. Returns the build context it names (a path or URL, else "")
 * and, for `file`, `unit` and relative paths, sets the service's WorkingDirectory= to the
 * directory they refer to, unless the unit's [Service] section sets one itself.
 */
function applySetWorkingDirectory(rec: SectionRecord, service: UnitFile): string {
  const unit = rec.unit;
  const line = rec.line(K.SetWorkingDirectory);
  const value = rec.lookup(K.SetWorkingDirectory);
  if (!value) return "";
  const origin = line?.origin;

  let context = "";
  let relativeTo: string | undefined;
  switch (value.toLowerCase()) {
    case "yaml":
      throw new ConvertError(`SetWorkingDirectory=${value} is only supported in .kube files`, origin, "SetWorkingDirectory");
    case "file":
      relativeTo = rec.lookup(K.File);
      if (relativeTo === undefined) throw new ConvertError("no File key specified", origin, "SetWorkingDirectory");
      // A remote Containerfile has no directory on this host to work in.
      if (isUrl(relativeTo)) relativeTo = undefined;
      break;
    case "unit":
      relativeTo = unit.path;
      break;
    default:
      context = value;
      // A relative context is read from the unit file's directory.
      if (!value.startsWith("/")) relativeTo = unit.path;
  }

  if (!relativeTo || isUrl(context)) return context;
  // The unit's own WorkingDirectory= wins, and then the context is read from there.
  if (unit.lookup(SERVICE_GROUP, WORKING_DIRECTORY)) return "";
  service.add(SERVICE_GROUP, WORKING_DIRECTORY, parentDir(absolutePath(unit, relativeTo)));
  return context;
}

/**
 * Whether File= is a path relative to the working directory: not absolute, not a URL,
 * and not starting with a systemd specifier such as `%h`, which systemd expands.
 */
function isRelativeFile(file: string): boolean {
  return !file.startsWith("/") && !isUrl(file) && !file.startsWith("%");
}

/** `--file` from File=; a build needs it, a context, or SetWorkingDirectory=. */
function addFile(rec: SectionRecord, service: UnitFile, context: string, cmd: PodmanCommand): void {
  const workingDirectory = service.lookup(SERVICE_GROUP, WORKING_DIRECTORY) ?? "";
  const file = rec.lookup(K.File) ?? "";
  if (!workingDirectory && !file && !context) throw new ConvertError("neither SetWorkingDirectory, nor File key specified");
  if (file) cmd.add("--file", file);
}

/** The build context, after PodmanArgs=: it must be the last argument. */
function contextOperand(rec: SectionRecord, service: UnitFile, context: string): string[] {
  if (context) return [context];
  const file = rec.lookup(K.File) ?? "";
  if (!isRelativeFile(file)) return [];
  const workingDirectory = service.lookup(SERVICE_GROUP, WORKING_DIRECTORY) ?? "";
  if (!workingDirectory) {
    throw new ConvertError("relative path in File key requires SetWorkingDirectory key to be set", rec.line(K.File)?.origin, "File");
  }
  return [workingDirectory];
}

function convertBuild(ctx: ConvertContext): GeneratedService {
  const rec = ctx.record;
  if (buildResourceName(rec) === undefined) throw new ConvertError("no ImageTag key specified");
  let context = "";
  return oneshotService(ctx, {
    subcommand: ["build"],
    // No RemainAfterExit: every start of the service runs the build again, picking up changes.
    remainAfterExit: false,
    flags(cmd, service) {
      emitKeys(rec, BUILD_FLAG_KEYS, cmd);
      addNetworks(ctx, service, cmd);
      for (const secret of rec.args(K.Secret)) cmd.add("--secret", secret);
      addVolumes(ctx, service, cmd);
      context = applySetWorkingDirectory(rec, service);
      addFile(rec, service, context, cmd);
    },
    operands: (service) => contextOperand(rec, service, context),
  });
}

export const buildType: UnitType = {
  extension: ".build",
  group: GROUP,
  serviceSuffix: "-build",
  keys: BUILD_KEYS,
  resourceName: buildResourceName,
  convert: convertBuild,
};
