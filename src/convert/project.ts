/**
 * A compose project as quadlet units: a `.container` per service (and a `.build` where it
 * builds its image), a `.volume` and a `.network` per compose volume and network used,
 * and with `--pod` one `.pod` holding every container.
 */
import type { Project } from "./compose.js";
import { fieldPath, type FieldHandler, type Naming, type Needs, type ServiceContext } from "./context.js";
import type { Report } from "./report.js";
import { networkUnit, podUnit, volumeUnit } from "./objects.js";
import { LINK_FIELDS } from "./service-links.js";
import { SIMPLE_FIELDS } from "./service-fields.js";
import { child, text, type MapNode, type Node } from "./tree.js";
import { OutUnit } from "./units.js";
import { byText } from "./values.js";

export interface ProjectOptions {
  readonly pod: boolean;
}

// image and build first: the unit reads best when it opens with what it runs
const FIELDS: Readonly<Record<string, FieldHandler>> = { image: LINK_FIELDS["image"]!, build: LINK_FIELDS["build"]!, ...SIMPLE_FIELDS, ...LINK_FIELDS };

/** Compose's names: `PROJECT-SERVICE` containers, `PROJECT_NAME` volumes and networks. */
function namingOf(project: Project, opts: ProjectOptions): Naming {
  const containerName = (service: string): string => text(child(project.services.get(service), "container_name")) ?? `${project.name}-${service}`;
  const objectRef = (defs: ReadonlyMap<string, Node>, name: string, ext: string, implicit: boolean): string | undefined => {
    const def = defs.get(name);
    if (def === undefined && !implicit) return undefined;
    const external = child(def, "external");
    const explicitName = text(child(def, "name"));
    if (external && (text(external) === "true" || external.kind === "map")) return explicitName ?? text(child(external, "name")) ?? name;
    return `${explicitName ?? `${project.name}_${name}`}${ext}`;
  };
  return {
    containerName,
    containerFile: (service) => `${containerName(service)}.container`,
    volume: (name) => objectRef(project.volumes, name, ".volume", false),
    network: (name) => objectRef(project.networks, name, ".network", name === "default"),
    ...(opts.pod ? { podFile: `${project.name}.pod` } : {}),
  };
}

function convertService(c: ServiceContext): void {
  // fields in the order of the table, so the output does not depend on the file's order
  const entries = [...c.svc.entries].sort(([a], [b]) => fieldOrder(a) - fieldOrder(b) || byText(a, b));
  for (const [field, node] of entries) {
    if (field.startsWith("x-")) continue;
    const handler = FIELDS[field];
    if (handler) handler(c, node, field);
    else c.report.dropped(node.where, fieldPath(c, field), "not a compose field that quadlet convert knows");
  }
  if (!child(c.svc, "image") && !child(c.svc, "build")) c.report.error(c.svc.where, `services.${c.service}`, "has neither image: nor build:");
  if (!child(c.svc, "networks") && !child(c.svc, "network_mode")) {
    // a service without networks: is on the project's default network, reachable by its name
    FIELDS["networks"]!(c, { kind: "map", where: c.svc.where, entries: new Map([["default", { kind: "scalar", where: c.svc.where, text: "", isNull: true }]]) }, "networks");
  }
}

const ORDER = Object.keys(FIELDS);
function fieldOrder(field: string): number {
  const i = ORDER.indexOf(field);
  return i === -1 ? ORDER.length : i;
}

/** Converts every enabled service; returns the units sorted by file name. */
export function convertProject(project: Project, opts: ProjectOptions, report: Report): OutUnit[] {
  const naming = namingOf(project, opts);
  const needs: Needs = { healthy: new Map(), oneshot: new Map(), volumes: new Set(), networks: new Set(), secrets: new Map() };
  const pod = opts.pod ? podUnit(project, naming) : undefined;
  const containers = new Map<string, OutUnit>();
  const units: OutUnit[] = pod ? [pod] : [];
  for (const [service, svc] of project.services) {
    const unit = new OutUnit(naming.containerFile(service), "container", `Service ${service} of compose project ${project.name}`);
    unit.set("ContainerName", naming.containerName(service), child(svc, "container_name")?.where ?? svc.where, `services.${service}`);
    const c: ServiceContext = { project, report, naming, needs, service, svc: svc as MapNode, unit, pod, extra: [] };
    convertService(c);
    if (pod) unit.set("Pod", naming.podFile!, svc.where, `services.${service}`);
    containers.set(service, unit);
    units.push(unit, ...c.extra);
  }
  applyNeeds(project, needs, containers, report);
  for (const name of [...needs.volumes].sort()) units.push(volumeUnit(project, name, naming, report));
  for (const name of [...needs.networks].sort()) units.push(networkUnit(project, name, naming, report));
  for (const unit of containers.values()) unit.setSystemd("Install", "WantedBy", "default.target");
  return units.sort((a, b) => byText(a.fileName, b.fileName));
}

/** What services asked of each other: health notification, one-shot runs, secrets to create. */
function applyNeeds(project: Project, needs: Needs, containers: Map<string, OutUnit>, report: Report): void {
  for (const [service, where] of needs.healthy) {
    const unit = containers.get(service)!;
    unit.set("Notify", "healthy", where, `services.${service}.healthcheck`);
    if (!unit.has("HealthCmd")) report.todo(where, `services.${service}`, "another service waits for it to be healthy, but it has no healthcheck:; the image must define one");
  }
  for (const [service, where] of needs.oneshot) {
    const unit = containers.get(service)!;
    const serviceLines = unit.sections.get("Service")!;
    const restart = serviceLines.findIndex((l) => l.key === "Restart" && l.value !== "no");
    if (restart !== -1) {
      report.dropped(serviceLines[restart]!.from, `services.${service}.restart`, "another service waits for it to complete, so it runs once (systemd does not restart a oneshot service)");
      serviceLines.splice(restart, 1);
    }
    unit.setSystemd("Service", "Type", "oneshot", where, "depends_on.condition");
    unit.setSystemd("Service", "RemainAfterExit", "yes", where, "depends_on.condition");
  }
  for (const [name, where] of needs.secrets) {
    const def = project.secrets.get(name);
    if (def && child(def, "external")) continue;
    const podmanName = text(child(def, "name")) ?? name;
    const file = text(child(def, "file"));
    const env = text(child(def, "environment"));
    const how = file ? `podman secret create ${podmanName} ${file}` : env ? `printenv ${env} | podman secret create ${podmanName} -` : `podman secret create ${podmanName} FILE`;
    report.todo(def?.where ?? where, `secrets.${name}`, `quadlet uses podman secrets: create this one before starting the service: ${how}`);
  }
}
