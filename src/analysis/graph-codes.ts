/**
 * The codes of the problems `verify`, `explain` and `graph` find beyond compiling one unit:
 * loading the files named on the command line, and the references between units. Range
 * QL07xx; documented in quadlet-verify(1). A missing unit (QL0401) and one service
 * made by two files (QL0502) keep the catalogue's codes in src/analysis/codes.ts.
 */
import type { CodeInfo } from "./codes.js";

export const GRAPH_CODES = {
  QL0701: {
    severity: "error",
    title: "file cannot be loaded",
    doc: "A unit file or drop-in could not be read or parsed; the generator skips the unit.",
    example: "this line is not a key",
    fix: "Correct the line the message names.",
  },
  QL0702: {
    severity: "error",
    title: "not a quadlet unit file",
    doc: "A file named on the command line does not end in a quadlet unit type, or is not a regular file.",
    example: "quadlet verify notes.txt",
    fix: "Name a .container, .volume, .network, .pod, .kube, .image, .build or .artifact file.",
  },
  QL0703: {
    severity: "warning",
    title: "file shadowed",
    doc: "A file named on the command line is hidden by a file of the same name earlier in the search order; the generator never reads it.",
    example: "/etc/containers/systemd/web.container hides /usr/share/containers/systemd/web.container",
    fix: "Remove or rename one of the two files.",
  },
  QL0711: {
    severity: "error",
    title: "dependency cycle",
    doc: "Quadlet units start after each other in a circle; systemd breaks the cycle at boot by dropping a start job, so one of them does not start.",
    example: "a.container: After=b.container; b.container: Network=a.container",
    fix: "Remove one reference of the chain, or its After=/Before= ordering.",
  },
  QL0712: {
    severity: "error",
    title: "reference to a template instance",
    doc: "A unit names an instance of a template (`Pod=db@%i.pod`); quadlet resolves references by file name before systemd expands specifiers, so only instances that exist as files resolve.",
    example: "Pod=db@%i.pod",
    fix: "Name the podman object and the service directly (PodmanArgs=--pod=systemd-db-%i with Requires= and After= on db-pod@%i.service), or add the instance as a file.",
  },
  QL0713: {
    severity: "error",
    title: "one podman name for two units",
    doc: "Two units give podman the same container or pod name (an error: the second cannot start), or the same volume or network name (a warning: both use one object, made with the options of whichever starts first).",
    example: "ContainerName=db (in two files)",
    fix: "Give each unit its own ContainerName=, PodName=, VolumeName= or NetworkName=.",
  },
  QL0721: {
    severity: "warning",
    title: "user or group unknown here",
    doc: "A volume's User= or Group= names an account this host does not have. The generator refuses the unit on such a host; verify only warns, since the units may be meant for another.",
    example: "[Volume]\nUser=redis",
    fix: "Make sure the target host has the account, or give a number.",
  },
} as const satisfies Record<string, CodeInfo>;

export type GraphCode = keyof typeof GRAPH_CODES;

/** Where each problem found here gets its code. */
export const CODES = {
  load: { code: "QL0701" },
  notAUnit: { code: "QL0702" },
  shadowed: { code: "QL0703" },
  missing: { code: "QL0401" },
  sameService: { code: "QL0502" },
  cycle: { code: "QL0711" },
  templateReference: { code: "QL0712" },
  samePodmanName: { code: "QL0713" },
  unknownAccount: { code: "QL0721" },
} as const satisfies Record<string, { code: GraphCode | "QL0401" | "QL0502" }>;
