/**
 * The service of a unit that runs one podman command to make something exist (a volume,
 * network, image, build or artifact): the unit's own section kept as `X-Name`, podman's
 * runtime directory mounted, `podman [global args] SUBCOMMAND flags… PodmanArgs… operands…`
 * as ExecStart=, and the oneshot [Service] defaults.
 */
import { addPodmanArgs, initService, setOneshotDefaults, SERVICE_GROUP, UNIT_GROUP } from "./common.js";
import type { GeneratedService, PodmanCommand } from "./model.js";
import type { UnitFile } from "../parser/unitfile.js";
import { basePodman } from "./shared-args.js";
import type { ConvertContext } from "./unit-type.js";

export interface OneshotSpec {
  /** `["volume", "create"]`. */
  readonly subcommand: readonly string[];
  /** Whether the service stays active once its command is done (the object exists). */
  readonly remainAfterExit: boolean;
  /** Adds the flags of the unit's keys, before PodmanArgs=; throws for a unit podman rejects. */
  flags(cmd: PodmanCommand, service: UnitFile): void;
  /** The words after PodmanArgs=: the object's name, or a build's context. */
  operands(service: UnitFile): readonly string[];
  /** Adds what follows ExecStart= (ExecStopPost= to remove a network). */
  finish?(service: UnitFile): void;
}

export function oneshotService(ctx: ConvertContext, spec: OneshotSpec): GeneratedService {
  const warnings = ctx.warnings;
  const service = initService(ctx, warnings);
  const group = ctx.info.type.group;
  // systemd ignores X- sections; the unit's own keys stay in the file for reference.
  service.renameGroup(group, `X-${group}`);
  // podman needs its runtime directory mounted.
  service.add(UNIT_GROUP, "RequiresMountsFor", "%t/containers");
  const cmd = basePodman(ctx.record, ctx.podman, spec.subcommand);
  spec.flags(cmd, service);
  addPodmanArgs(ctx.record, cmd);
  cmd.addAll(spec.operands(service));
  service.add(SERVICE_GROUP, "ExecStart", cmd.toExecLine());
  spec.finish?.(service);
  setOneshotDefaults(service, spec.remainAfterExit);
  return { unit: service, warnings };
}
