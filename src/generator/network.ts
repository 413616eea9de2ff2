/**
 * .network units: [Network] → NAME-network.service, a oneshot that runs
 * `podman network create --ignore NAME`, so the network exists before the containers and
 * pods that join it start. With NetworkDeleteOnStop=, stopping the service removes the
 * network again, which is how changed settings get applied on the next start.
 */
import type { SectionRecord } from "../analysis/record.js";
import { SERVICE_GROUP, resourceNameOf } from "./common.js";
import { boolAs, eachAs, emitKeys, keyValuesAs, nonEmptyAs, row, SHARED_KEY_ROWS, type KeyRow, rowsByKey } from "./keys.js";
import { ConvertError, type GeneratedService, type PodmanCommand } from "./model.js";
import { basePodman } from "./shared-args.js";
import { oneshotService } from "./oneshot.js";
import type { ConvertContext, UnitType } from "./unit-type.js";

const GROUP = "Network";

/** Keys emitted before the subnets, in podman's order. */
const LEADING_KEYS: readonly KeyRow[] = [
  row("DisableDNS", "boolean", "4.4", "Turn the network's DNS plugin off: `--disable-dns`.", boolAs("--disable-dns")),
  row("DNS", "strings", "4.7", "A DNS server for the network's containers: `--dns` (repeatable).", eachAs("--dns")),
  row("Driver", "string", "4.4", "The network driver (`bridge`, `macvlan`, `ipvlan`): `--driver`.", nonEmptyAs("--driver")),
];

/** Keys emitted after the subnets, in podman's order. */
const TRAILING_KEYS: readonly KeyRow[] = [
  row("Internal", "boolean", "4.4", "Keep the network from reaching outside: `--internal`.", boolAs("--internal")),
  row("IPAMDriver", "string", "4.4", "The IP address management driver (`host-local`, `dhcp`, `none`): `--ipam-driver`.", nonEmptyAs("--ipam-driver")),
  row("IPv6", "boolean", "4.4", "Dual-stack IPv6 networking: `--ipv6`.", boolAs("--ipv6")),
  row("Options", "key-values", "4.4", "Driver options: `--opt` (sorted by name).", keyValuesAs("--opt")),
  row("InterfaceName", "string", "5.6", "The bridge's interface name, or the host parent device for macvlan and ipvlan: `--interface-name`.", nonEmptyAs("--interface-name")),
  row("Label", "key-values", "4.4", "Labels on the network: `--label` (sorted by name).", keyValuesAs("--label")),
];

/** Every [Network] key. Rows without an emitter are handled in {@link convertNetwork}. */
export const NETWORK_KEYS: readonly KeyRow[] = [
  row("NetworkName", "string", "4.7", "The podman network's name (default `systemd-NAME`)."),
  row("Subnet", "strings", "4.4", "A subnet in CIDR notation: `--subnet` (repeatable)."),
  row("Gateway", "strings", "4.4", "The gateway of the subnet in the same position: `--gateway` (repeatable)."),
  row("IPRange", "strings", "4.4", "The address range of the subnet in the same position: `--ip-range` (repeatable)."),
  row("NetworkDeleteOnStop", "boolean", "5.5", "Remove the network when the service stops (`podman network rm` in ExecStopPost=)."),
  ...LEADING_KEYS,
  ...TRAILING_KEYS,
  ...SHARED_KEY_ROWS,
];

/** The rows of [Network], by key: how this file reads the record. */
const K = rowsByKey(NETWORK_KEYS);

/** The network's name: NetworkName=, else `systemd-NAME` (`systemd-NAME-%i` for a template). */
function networkName(rec: SectionRecord): string {
  return resourceNameOf(rec, K.NetworkName!);
}

/**
 * `--subnet`, each followed by its `--gateway` and `--ip-range`: the n-th Gateway= and
 * IPRange= belong to the n-th Subnet=, so there cannot be more of them than subnets.
 */
function addSubnets(rec: SectionRecord, cmd: PodmanCommand): void {
  const subnets = rec.all(K.Subnet);
  const gateways = rec.all(K.Gateway);
  const ranges = rec.all(K.IPRange);
  const originOf = (key: "Gateway" | "IPRange") => rec.line(K[key]!)?.origin;
  if (subnets.length === 0) {
    if (gateways.length) throw new ConvertError("cannot set gateway or range without subnet", originOf("Gateway"), "Gateway");
    if (ranges.length) throw new ConvertError("cannot set gateway or range without subnet", originOf("IPRange"), "IPRange");
    return;
  }
  if (gateways.length > subnets.length) throw new ConvertError("cannot set more gateways than subnets", originOf("Gateway"), "Gateway");
  if (ranges.length > subnets.length) throw new ConvertError("cannot set more ranges than subnets", originOf("IPRange"), "IPRange");
  subnets.forEach((subnet, i) => {
    cmd.add("--subnet", subnet);
    if (i < gateways.length) cmd.add("--gateway", gateways[i]!);
    if (i < ranges.length) cmd.add("--ip-range", ranges[i]!);
  });
}

function convertNetwork(ctx: ConvertContext): GeneratedService {
  const rec = ctx.record;
  const name = networkName(rec);
  return oneshotService(ctx, {
    subcommand: ["network", "create"],
    remainAfterExit: true,
    flags(cmd) {
      cmd.add("--ignore");
      emitKeys(rec, LEADING_KEYS, cmd);
      addSubnets(rec, cmd);
      emitKeys(rec, TRAILING_KEYS, cmd);
    },
    operands: () => [name],
    finish(service) {
      if (!rec.bool(K.NetworkDeleteOnStop)) return;
      const remove = basePodman(rec, ctx.podman, ["network", "rm"]).add(name);
      service.add(SERVICE_GROUP, "ExecStopPost", remove.toExecLine());
    },
  });
}

export const networkType: UnitType = {
  extension: ".network",
  group: GROUP,
  serviceSuffix: "-network",
  keys: NETWORK_KEYS,
  resourceName: networkName,
  convert: convertNetwork,
};
