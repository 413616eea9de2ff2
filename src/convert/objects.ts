/**
 * The units of compose's top-level objects: a `.volume` per volume, a `.network` per
 * network, and the project's `.pod`.
 */
import type { Project } from "./compose.js";
import type { Naming } from "./context.js";
import type { Report, Where } from "./report.js";
import { child, text, type Node } from "./tree.js";
import { OutUnit } from "./units.js";
import { booleanOf } from "./values.js";

function keyValues(unit: OutUnit, key: string, node: Node | undefined, field: string): void {
  if (node?.kind === "map") for (const [k, v] of node.entries) unit.set(key, `${k}=${text(v) ?? ""}`, v.where, field);
  if (node?.kind === "seq") for (const v of node.items) unit.set(key, text(v) ?? "", v.where, field);
}

function reportRest(def: Node | undefined, known: readonly string[], prefix: string, report: Report): void {
  if (def?.kind !== "map") return;
  for (const [k, v] of def.entries) if (!known.includes(k) && !k.startsWith("x-")) report.dropped(v.where, `${prefix}.${k}`, "no quadlet key");
}

function placeOf(project: Project, def: Node | undefined): Where {
  return def?.where ?? { file: project.mainFile, line: 0 };
}

export function volumeUnit(project: Project, name: string, naming: Naming, report: Report): OutUnit {
  const def = project.volumes.get(name);
  const fileName = naming.volume(name)!;
  const unit = new OutUnit(fileName, "volume", `Volume ${name} of compose project ${project.name}`);
  const field = `volumes.${name}`;
  unit.set("VolumeName", fileName.replace(/\.volume$/, ""), placeOf(project, def), field);
  const driver = child(def, "driver");
  if (driver && text(driver) !== "local") unit.set("Driver", text(driver) ?? "", driver.where, `${field}.driver`);
  const opts = child(def, "driver_opts");
  for (const [k, v] of opts?.kind === "map" ? opts.entries : []) {
    const key = { type: "Type", device: "Device", o: "Options" }[k];
    if (key) unit.set(key, text(v) ?? "", v.where, `${field}.driver_opts`);
    else {
      unit.podmanArgs([`--opt=${k}=${text(v) ?? ""}`], v.where, `${field}.driver_opts`);
      report.podmanArgs(v.where, `${field}.driver_opts.${k}`, [`--opt=${k}=${text(v) ?? ""}`]);
    }
  }
  keyValues(unit, "Label", child(def, "labels"), `${field}.labels`);
  reportRest(def, ["driver", "driver_opts", "labels", "name", "external"], field, report);
  return unit;
}

export function networkUnit(project: Project, name: string, naming: Naming, report: Report): OutUnit {
  const def = project.networks.get(name);
  const fileName = naming.network(name)!;
  const unit = new OutUnit(fileName, "network", `Network ${name} of compose project ${project.name}`);
  const field = `networks.${name}`;
  unit.set("NetworkName", fileName.replace(/\.network$/, ""), placeOf(project, def), field);
  const driver = child(def, "driver");
  if (driver && text(driver) !== "bridge") unit.set("Driver", text(driver) ?? "", driver.where, `${field}.driver`);
  keyValues(unit, "Options", child(def, "driver_opts"), `${field}.driver_opts`);
  const ipam = child(def, "ipam");
  const ipamDriver = child(ipam, "driver");
  if (ipamDriver && text(ipamDriver) !== "default") unit.set("IPAMDriver", text(ipamDriver) ?? "", ipamDriver.where, `${field}.ipam.driver`);
  const configs = child(ipam, "config");
  for (const config of configs?.kind === "seq" ? configs.items : []) {
    for (const [k, v] of config.kind === "map" ? config.entries : []) {
      const key = { subnet: "Subnet", ip_range: "IPRange", gateway: "Gateway" }[k];
      if (key) unit.set(key, text(v) ?? "", v.where, `${field}.ipam.config`);
      else report.dropped(v.where, `${field}.ipam.config.${k}`, "no quadlet key");
    }
  }
  reportRest(ipam, ["driver", "config"], `${field}.ipam`, report);
  for (const [k, key] of [["internal", "Internal"], ["enable_ipv6", "IPv6"]] as const) {
    const v = child(def, k);
    if (v && booleanOf(v, `${field}.${k}`, report)) unit.set(key, "true", v.where, `${field}.${k}`);
  }
  keyValues(unit, "Label", child(def, "labels"), `${field}.labels`);
  reportRest(def, ["driver", "driver_opts", "ipam", "internal", "enable_ipv6", "labels", "name", "external", "attachable"], field, report);
  return unit;
}

/** The project's pod; each service's name resolves to the pod itself, as compose's DNS would. */
export function podUnit(project: Project, naming: Naming): OutUnit {
  const unit = new OutUnit(naming.podFile!, "pod", `Pod of compose project ${project.name}`);
  const where: Where = { file: project.mainFile, line: 0 };
  unit.set("PodName", project.name, where);
  for (const service of project.services.keys()) unit.set("AddHost", `${service}:127.0.0.1`, where, `services.${service}`);
  return unit;
}
