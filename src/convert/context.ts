/**
 * What every field handler is given: the service, its unit, the project's naming, and
 * what the service asks of other units (a dependency that must report healthy, …).
 */
import type { Project } from "./compose.js";
import type { Report, Where } from "./report.js";
import type { MapNode, Node } from "./tree.js";
import type { OutUnit } from "./units.js";

/** How compose objects are named as quadlet units and podman objects. */
export interface Naming {
  /** The container unit's file name of a service: `myapp-web.container`. */
  containerFile(service: string): string;
  /** The podman container name of a service. */
  containerName(service: string): string;
  /** How a service refers to a compose volume: a `.volume` unit, or an external volume's name. */
  volume(name: string): string | undefined;
  /** How a service refers to a compose network: a `.network` unit, or an external network's name. */
  network(name: string): string | undefined;
  /** The pod unit's file name, with `--pod`. */
  readonly podFile?: string;
}

/** What one service needs of the others, applied once all services are converted. */
export interface Needs {
  /** Services that must run `Notify=healthy` because another waits for them to be healthy. */
  readonly healthy: Map<string, Where>;
  /** Services that others wait for to finish (service_completed_successfully). */
  readonly oneshot: Map<string, Where>;
  /** The compose volumes and networks used, so their units are written. */
  readonly volumes: Set<string>;
  readonly networks: Set<string>;
  /** The compose secrets used, so each can be named in a reminder to create it. */
  readonly secrets: Map<string, Where>;
}

export interface ServiceContext {
  readonly project: Project;
  readonly report: Report;
  readonly naming: Naming;
  readonly needs: Needs;
  readonly service: string;
  readonly svc: MapNode;
  readonly unit: OutUnit;
  /** The project's pod unit, with `--pod`: ports, networks and host entries go there. */
  readonly pod: OutUnit | undefined;
  /** Further units the service makes (its `.build`). */
  readonly extra: OutUnit[];
}

/** `services.web.ports`: the field's path, for messages and `--explain`. */
export function fieldPath(c: ServiceContext, field: string): string {
  return `services.${c.service}.${field}`;
}

export type FieldHandler = (c: ServiceContext, node: Node, field: string) => void;
