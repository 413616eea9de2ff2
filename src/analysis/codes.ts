/**
 * The catalogue of diagnostic codes: one stable code per kind of problem. Codes never
 * change meaning once published; `man quadlet` documents each (scripts and tests read this
 * table, so the page and the code cannot drift apart).
 *
 * Ranges: QL00xx general, QL01xx structure (sections, keys), QL02xx values, QL03xx what a
 * unit must or must not combine, QL04xx references to other units, QL05xx names and files,
 * QL06xx advice, QL07xx what verify, explain and graph find between units (graph-codes.ts),
 * QL09xx the podman release units are written for, QL10xx `quadlet convert`.
 */
import type { Severity } from "./diagnostic.js";
import { GRAPH_CODES } from "./graph-codes.js";

export interface CodeInfo {
  readonly severity: Severity;
  /** A short title: `unknown key`. */
  readonly title: string;
  /** One line: what the code means. */
  readonly doc: string;
  /** A line (or lines) of a unit file that yields it. */
  readonly example: string;
  /** How to fix it. */
  readonly fix: string;
}

export const CODES = {
  QL0001: {
    severity: "error",
    title: "unit not generated",
    doc: "The unit could not be converted for a reason no more specific code covers, such as an internal error of quadlet.",
    example: "(any unit quadlet fails on unexpectedly)",
    fix: "Read the message; an internal error is a bug of quadlet, to be reported with the unit file.",
  },
  QL0002: {
    severity: "warning",
    title: "warning",
    doc: "A problem that does not stop the unit, for which no more specific code exists.",
    example: "(a warning without a code of its own)",
    fix: "Read the message; the unit is generated regardless.",
  },
  QL0101: {
    severity: "error",
    title: "unknown key",
    doc: "The section does not accept this key; podman's quadlet rejects the unit, and so does quadlet.",
    example: "[Container]\nImgae=docker.io/library/nginx",
    fix: "Correct the key's spelling (the hint names the nearest known key) or move it to the section that accepts it.",
  },
  QL0102: {
    severity: "warning",
    title: "unknown section",
    doc: "The section is not one quadlet or systemd knows; it is copied into the service as it is, and systemd ignores it.",
    example: "[Contianer]",
    fix: "Spell the section as the unit type expects (`[Container]` in a .container file), or prefix it with `X-` to keep it on purpose.",
  },
  QL0103: {
    severity: "warning",
    title: "section name in the wrong case",
    doc: "Section names are case-sensitive: `[container]` is not `[Container]`, so none of its keys are read.",
    example: "[container]\nImage=docker.io/library/nginx",
    fix: "Write the section name as the hint spells it.",
  },
  QL0201: {
    severity: "warning",
    title: "not a boolean",
    doc: "A boolean key has a value that is none of 1, yes, true, on, 0, no, false, off; podman reads it as false, and so does quadlet.",
    example: "ReadOnly=maybe",
    fix: "Write yes or no.",
  },
  QL0202: {
    severity: "warning",
    title: "not an integer",
    doc: "A key that takes a whole number has another value; it is passed on to podman as written, which fails when the service starts.",
    example: "PidsLimit=lots",
    fix: "Write a whole number (`PidsLimit=100`).",
  },
  QL0203: {
    severity: "warning",
    title: "value not among the choices",
    doc: "An enumerated key has a value podman does not document; it is generated as podman's quadlet does (passed on, or read as the default), and warned about.",
    example: "AutoUpdate=bogus",
    fix: "Use one of the values the hint lists.",
  },
  QL0204: {
    severity: "warning",
    title: "not a duration",
    doc: "A key that takes a time span has a value podman will not parse (a number with an optional unit: `30s`, `5m`, `1h30m`).",
    example: "HealthInterval=often",
    fix: "Write a duration such as `30s` or `2m`.",
  },
  QL0205: {
    severity: "warning",
    title: "not a size",
    doc: "A key that takes a size has a value that is not a number with an optional unit (b, k, m, g).",
    example: "ShmSize=big",
    fix: "Write a size such as `64m` or `1g`.",
  },
  QL0206: {
    severity: "warning",
    title: "value cannot be split",
    doc: "A value that is split into words has a bad escape or an unterminated quote; the value is ignored, as podman ignores it.",
    example: "Exec=echo \"unterminated",
    fix: "Close the quote or escape the character.",
  },
  QL0207: {
    severity: "error",
    title: "value podman rejects",
    doc: "A value podman's quadlet refuses (a port that is no port, a service type it cannot run); the unit is not generated.",
    example: "ExposeHostPort=http",
    fix: "Use a value the message says is accepted.",
  },
  QL0208: {
    severity: "warning",
    title: "malformed key=value",
    doc: "A word of a key=value list has no key (`=value`); podman skips it.",
    example: "Environment==value",
    fix: "Write `NAME=value`.",
  },
  QL0301: {
    severity: "error",
    title: "required key missing",
    doc: "The unit lacks a key its type needs (a .container needs Image= or Rootfs=).",
    example: "[Container]\nExec=sleep infinity",
    fix: "Add the key the message names.",
  },
  QL0302: {
    severity: "error",
    title: "keys that exclude each other",
    doc: "Two keys are set that cannot be used together, or one needs another that is missing.",
    example: "Image=docker.io/library/nginx\nRootfs=/srv/root",
    fix: "Keep one of them, or add the key the other needs.",
  },
  QL0303: {
    severity: "warning",
    title: "[Service] key quadlet does not support",
    doc: "User=, Group= and DynamicUser= in [Service] would run podman as another user, which podman cannot do.",
    example: "[Service]\nUser=web",
    fix: "Use the [Container] section's User= and Group= (or a user unit) instead.",
  },
  QL0401: {
    severity: "error",
    title: "reference to a missing unit",
    doc: "The value names a quadlet unit (`db.volume`, `app.network`, `base.image`, `web.pod`) that none of the unit directories holds.",
    example: "Volume=data.volume:/var/lib/data",
    fix: "Create the unit it names, or correct the name.",
  },
  QL0402: {
    severity: "error",
    title: "reference of the wrong kind",
    doc: "The key needs a unit of another type (Pod= needs a .pod unit).",
    example: "Pod=web.container",
    fix: "Name a unit of the type the key takes.",
  },
  QL0501: {
    severity: "error",
    title: "name systemd cannot load",
    doc: "The file name or ServiceName= does not make a valid systemd unit name, or the path holds a control character.",
    example: "ServiceName=web/app",
    fix: "Rename the file, or choose a ServiceName= of letters, digits and `:-_.\\`.",
  },
  QL0502: {
    severity: "warning",
    title: "two units claim one service",
    doc: "Several files generate the same service name; the last one read wins, as in podman, and the others are not written.",
    example: "ServiceName=web (in two files)",
    fix: "Give each unit its own ServiceName=.",
  },
  QL0601: {
    severity: "note",
    title: "short image name",
    doc: "The image is not fully qualified; podman resolves it through short-name aliases, which is slower and less safe.",
    example: "Image=nginx",
    fix: "Name the registry: `Image=docker.io/library/nginx`.",
  },
  ...GRAPH_CODES,
  QL0901: {
    severity: "error",
    title: "key needs a newer podman",
    doc: "The key becomes a podman flag or value that the target release lacks, and no equivalent exists; the unit is not written.",
    example: "HealthLogDestination=/var/log/web (for podman 4.3.1)",
    fix: "Remove the key, or upgrade podman (the message names the first release that has it).",
  },
  QL0902: {
    severity: "error",
    title: "unit type needs a newer podman",
    doc: "The unit type needs a podman command the target release lacks, whatever its keys; the unit is not written.",
    example: "models.artifact (for podman 5.3)",
    fix: "Upgrade podman, or remove the file.",
  },
  QL0903: {
    severity: "warning",
    title: "passed flag unknown to the target podman",
    doc: "PodmanArgs= or GlobalArgs= passes a flag the target release lacks; the unit is written as it is and may fail to start.",
    example: "PodmanArgs=--retry 3 (for podman 4.9)",
    fix: "Drop the flag, unless your podman build has it.",
  },
  QL1001: {
    severity: "warning",
    title: "compose field left out",
    doc: "quadlet convert found a compose field or podman run flag with no quadlet key and nothing to pass it on with.",
    example: "deploy: {replicas: 3}",
    fix: "Do what the field did by other means (the hint says how), or accept its loss.",
  },
  QL1002: {
    severity: "warning",
    title: "compose field passed through",
    doc: "quadlet convert passed a field or flag with no quadlet key to podman through PodmanArgs=.",
    example: "podman run --cpus 2 …",
    fix: "None needed; check the PodmanArgs= line is what you meant.",
  },
  QL1003: {
    severity: "error",
    title: "compose input is wrong",
    doc: "The compose file or run line has a bad value or a reference to nothing; quadlet convert writes no file.",
    example: "restart: sometimes",
    fix: "Correct the value at the line named.",
  },
  QL1004: {
    severity: "warning",
    title: "something to do by hand",
    doc: "The converted units need something quadlet convert cannot make: a podman secret to create, a variable that is not set.",
    example: "secrets: [db_password]",
    fix: "Do what the message says before starting the units.",
  },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

/** The catalogue entry of `code`. */
export function codeInfo(code: Code): CodeInfo {
  return CODES[code];
}
