/**
 * What every quadlet unit type provides, and the index of all units that the
 * converters consult to resolve references (`Image=foo.image`, `Network=bar.network`, …).
 */
import type { UnitExtension } from "../parser/discover.js";
import type { UnitFile } from "../parser/unitfile.js";
import type { KeyRow } from "./keys.js";
import type { GeneratedService } from "./model.js";
import type { SectionRecord } from "../analysis/record.js";
import type { Diagnostic } from "../analysis/diagnostic.js";
import type { Edge } from "../analysis/analysis.js";
import type { FileSystem } from "../fsys.js";

/** What is known of every unit before any is converted (the first pass). */
export interface UnitInfo {
  readonly unit: UnitFile;
  readonly type: UnitType;
  /** The generated service's name without `.service`: `web`, `db-volume`, `tpl-volume@`. */
  readonly serviceName: string;
  /**
   * The podman object the service creates, when other units can refer to it: the
   * container, volume, network, pod or image name, or the artifact reference.
   */
  readonly resourceName: string | undefined;
  /** For pods: the services of the containers that join the pod and start with it. */
  readonly containersToStart: string[];
  /** The unit's own section ([Container], [Volume], …), read in one pass, by row. */
  readonly record: SectionRecord;
  /** Its [Quadlet] section, read the same way. */
  readonly quadlet: SectionRecord;
  /** What the section pass found: unknown keys (errors), dubious values (warnings). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Every unit by file name (`web.container`). */
export type UnitIndex = ReadonlyMap<string, UnitInfo>;

/** Looks up host accounts (from /etc/passwd and /etc/group) for keys like a volume's User=. */
export interface AccountLookup {
  /** The uid of a user name, or undefined when the host has no such user. */
  uid(name: string): number | undefined;
  /** The gid of a group name, or undefined when the host has no such group. */
  gid(name: string): number | undefined;
}

export interface ConvertContext {
  readonly index: UnitIndex;
  readonly info: UnitInfo;
  /** The unit's own section (`info.record`). */
  readonly record: SectionRecord;
  /** `--user` mode. */
  readonly userMode: boolean;
  /** The podman executable, `/usr/bin/podman` unless $PODMAN says otherwise. */
  readonly podman: string;
  /** Host user and group names. */
  readonly accounts: AccountLookup;
  /** The file system host paths are looked up in (AddDevice=). */
  readonly fs: FileSystem;
  /**
   * Where the converter puts its warnings (the service's `warnings`): kept here, they
   * survive an error that stops the unit later.
   */
  readonly warnings: string[];
  /** The references the converter resolved, in the order it resolved them. */
  readonly edges: Edge[];
}

export interface UnitType {
  /** `.container`. */
  readonly extension: UnitExtension;
  /** The quadlet section: `Container`. */
  readonly group: string;
  /** Added to the file's base name to make the service name: `-volume`, or "" for containers and kube. */
  readonly serviceSuffix: string;
  /** Every key the section accepts. */
  readonly keys: readonly KeyRow[];
  /** The podman object name other units use, computed from the file alone. */
  resourceName?(rec: SectionRecord): string | undefined;
  /**
   * Runs in the first pass, once every unit is indexed: records what this unit tells
   * others (a container adds itself to its pod's `containersToStart`).
   */
  register?(info: UnitInfo, index: UnitIndex): void;
  /** Compiles the unit. Throws ConvertError for a unit that cannot be generated. */
  convert(ctx: ConvertContext): GeneratedService;
}
