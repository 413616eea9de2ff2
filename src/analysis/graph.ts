/**
 * Problems between units, found over the references (edges) the analysis reports: a
 * dependency cycle, a reference to a unit that does not exist, two files that make one
 * service, two units that give podman one name, and a template that refers to another
 * template's instance. `quadlet graph` prints them, and `quadlet verify` reports them too.
 */
import type { Edge } from "./analysis.js";
import { CODES } from "./graph-codes.js";
import type { Diagnostic } from "./diagnostic.js";

/** What the checks need to know of a unit. */
export interface GraphUnit {
  /** `web.container`. */
  readonly name: string;
  readonly path: string;
  /** `web.service`, when the names are valid. */
  readonly serviceFile?: string;
  /** The podman object it makes and that object's name (`container`, `systemd-web`). */
  readonly resource?: { readonly kind: string; readonly name: string };
  /** Where the service name and the podman name are set, when a key sets them (ServiceName=, ContainerName=, …). */
  readonly serviceAt?: Where;
  readonly resourceAt?: Where;
  /** Whether it compiles. */
  readonly ok: boolean;
}

/** A file, line and key. */
export interface Where {
  readonly file: string;
  readonly line: number;
  readonly key: string;
}

/** Every problem between units, in a stable order. `units` is in search order. */
export function graphProblems(units: readonly GraphUnit[], edges: readonly Edge[]): Diagnostic[] {
  return [...findCycles(edges), ...missingReferences(units, edges), ...sameService(units), ...samePodmanName(units), ...templateReferences(units, edges)];
}

const QUADLET_NAME = /\.(container|volume|network|kube|image|build|pod|artifact)$/;

/** `web.container:7`, the place an edge is written. */
export function edgeOrigin(e: Edge): string {
  return `${e.file}:${e.line}`;
}

/**
 * The ordering an edge gives systemd, as `[later, earlier]`: a reference to an image,
 * network, volume or pod, and `After=`, make the referring unit start after the other;
 * `Before=` the other way round. Other [Unit] keys (Wants=, Requires=, …) order nothing.
 */
function ordering(e: Edge): [string, string] | undefined {
  if (!QUADLET_NAME.test(e.to) || !e.resolved) return undefined;
  if (e.kind !== "unit" || e.key === "After") return [e.from, e.to];
  if (e.key === "Before") return [e.to, e.from];
  return undefined;
}

/**
 * Cycles in the start order. systemd breaks one at boot by dropping a job, so some unit of
 * the cycle does not start: one error per cycle, naming each edge and where it is written.
 */
export function findCycles(edges: readonly Edge[]): Diagnostic[] {
  const next = new Map<string, { to: string; edge: Edge }[]>();
  for (const e of edges) {
    const order = ordering(e);
    if (!order) continue;
    const [later, earlier] = order;
    const list = next.get(later) ?? [];
    list.push({ to: earlier, edge: e });
    next.set(later, list);
  }
  const out: Diagnostic[] = [];
  for (const component of stronglyConnected(next)) {
    // Nearly every component is one unit, in a cycle only when it orders itself after itself.
    if (component.length === 1 && !(next.get(component[0]!) ?? []).some((s) => s.to === component[0])) continue;
    const cycle = cycleWithin(component, next);
    if (cycle) out.push(cycleDiagnostic(cycle));
  }
  return out;
}

/** Tarjan's strongly connected components, each sorted, the list in order of first name. */
function stronglyConnected(next: Map<string, { to: string }[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  // Iterative, so that a long chain of units cannot overflow the call stack.
  const visit = (root: string): void => {
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const succ = next.get(frame.node) ?? [];
      if (frame.i < succ.length) {
        const to = succ[frame.i++]!.to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== frame.node);
        components.push(component.sort());
      }
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return components.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** One cycle through the component's first unit, as its edges; undefined for a lone unit without a loop. */
function cycleWithin(component: string[], next: Map<string, { to: string; edge: Edge }[]>): Edge[] | undefined {
  const members = new Set(component);
  const start = component[0]!;
  // Breadth-first from start back to start: the shortest cycle, found the same way each run.
  const via = new Map<string, Edge>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const { to, edge } of next.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) return [...pathTo(node, start, via), edge];
      if (!via.has(to) && to !== start) {
        via.set(to, edge);
        queue.push(to);
      }
    }
  }
  return undefined;
}

function pathTo(node: string, start: string, via: Map<string, Edge>): Edge[] {
  const path: Edge[] = [];
  for (let n = node; n !== start; ) {
    const e = via.get(n)!;
    path.push(e);
    n = ordering(e)![0];
  }
  return path.reverse();
}

/** One step of a cycle: `b.container (After= at a.container:3)`, the unit that starts first. */
function describeStep(e: Edge): string {
  return `${ordering(e)![1]} (${e.key}= at ${edgeOrigin(e)})`;
}

function cycleDiagnostic(cycle: Edge[]): Diagnostic {
  const first = cycle[0]!;
  const chain = [ordering(first)![0], ...cycle.map(describeStep)];
  return {
    ...CODES.cycle,
    severity: "error",
    file: first.file,
    line: first.line,
    key: first.key,
    message: `dependency cycle, each unit starting after the next: ${chain.join(" → ")}`,
    hint: "systemd breaks a cycle at boot by dropping one unit's start job; remove one of these references, or its After=/Before= ordering",
  };
}

/** A reference to a quadlet unit that is not there. */
export function missingReferences(units: readonly GraphUnit[], edges: readonly Edge[]): Diagnostic[] {
  const names = new Set(units.map((u) => u.name));
  const out: Diagnostic[] = [];
  for (const e of edges) {
    if (!QUADLET_NAME.test(e.to) || e.resolved || names.has(e.to) || isTemplateInstance(e.to)) continue;
    out.push({
      ...CODES.missing,
      severity: "error",
      file: e.file,
      line: e.line,
      key: e.key,
      message: `${e.from} refers to ${e.to}, which does not exist`,
      hint: `add ${e.to} beside ${e.from}, or correct the name in ${e.key}=`,
    });
  }
  return out;
}

/**
 * Files that make one service name: the generator writes the last of them in search order
 * that compiles, and reports the others; each loser gets a warning naming the winner.
 */
export function sameService(units: readonly GraphUnit[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [service, group] of groupBy(units, (u) => u.serviceFile)) {
    if (group.length < 2) continue;
    const winner = serviceWinner(group);
    for (const u of group) {
      if (u === winner) continue;
      out.push({
        ...CODES.sameService,
        severity: "warning",
        file: u.path,
        ...u.serviceAt,
        message: `${u.name} and ${winner.name} both make ${service}; ${winner.path} is written, as the last file in search order that compiles, and this one is not`,
        hint: "rename one of the files, or give one of them another ServiceName=",
      });
    }
  }
  return out;
}

/** Of the units that make one service, the one written: the last in search order that compiles. */
function serviceWinner(group: readonly GraphUnit[]): GraphUnit {
  return [...group].reverse().find((u) => u.ok) ?? group[group.length - 1]!;
}

/** The units whose service is written: of several making one service, only the winner. */
function writtenUnits(units: readonly GraphUnit[]): GraphUnit[] {
  const winners = new Set<GraphUnit>();
  for (const group of groupBy(units, (u) => u.serviceFile ?? u.path).values()) winners.add(serviceWinner(group));
  return units.filter((u) => winners.has(u));
}

/**
 * Units that give podman the same container, pod, volume or network name. Two containers
 * or pods cannot both run; two volumes or networks are one object, made with the options
 * of whichever service starts first. Names with a systemd specifier (`%i`) are left out:
 * they differ per unit once systemd expands them.
 */
export function samePodmanName(units: readonly GraphUnit[]): Diagnostic[] {
  const shared = (u: GraphUnit): string | undefined => {
    const r = u.resource;
    if (!r || !["container", "pod", "volume", "network"].includes(r.kind) || r.name.includes("%")) return undefined;
    return `${r.kind} ${r.name}`;
  };
  const out: Diagnostic[] = [];
  for (const [what, group] of groupBy(writtenUnits(units), shared)) {
    if (group.length < 2) continue;
    const kind = what.slice(0, what.indexOf(" "));
    const running = kind === "container" || kind === "pod";
    for (const u of group.slice(1)) {
      out.push({
        ...CODES.samePodmanName,
        severity: running ? "error" : "warning",
        file: u.path,
        ...u.resourceAt,
        message: `${u.name} gives podman the ${what}, as ${group[0]!.name} does`,
        hint: running
          ? `only one ${kind} of a name can exist, so the second service fails to start; set a different ${kind === "pod" ? "PodName" : "ContainerName"}=`
          : `both services use one ${kind}, made with the options of whichever starts first; give each its own ${kind === "volume" ? "VolumeName" : "NetworkName"}=, or refer to one unit from both`,
      });
    }
  }
  return out;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const TEMPLATE_REF = /^([^@/]+)@([^/]*)(\.(?:container|volume|network|kube|image|build|pod|artifact))$/;

function isTemplateInstance(name: string): boolean {
  return TEMPLATE_REF.test(name);
}

/**
 * A reference to an instance of a template (`Pod=db@%i.pod`). Quadlet resolves references
 * by file name when it generates, before systemd expands `%i`, so such a name only works
 * where a file of that exact name exists. Says what works instead.
 */
export function templateReferences(units: readonly GraphUnit[], edges: readonly Edge[]): Diagnostic[] {
  const byName = new Map(units.map((u) => [u.name, u]));
  const out: Diagnostic[] = [];
  for (const e of edges) {
    const m = TEMPLATE_REF.exec(e.to);
    if (!m || e.resolved || byName.has(e.to)) continue;
    const [, base, instance, ext] = m as unknown as [string, string, string, string];
    const template = byName.get(`${base}@${ext}`);
    const where = { file: e.file, line: e.line, key: e.key };
    if (!template) {
      out.push({ ...CODES.templateReference, severity: "error", ...where, message: `${e.to} is an instance of ${base}@${ext}, and there is no such template nor a file named ${e.to}`, hint: `add ${base}@${ext}, or refer to a unit that exists` });
      continue;
    }
    out.push({ ...CODES.templateReference, severity: "error", ...where, message: templateMessage(e, instance, template), hint: templateHint(e, instance, template) });
  }
  return out;
}

function templateMessage(e: Edge, instance: string, template: GraphUnit): string {
  if (instance.includes("%")) {
    return `${e.key}=${e.to} cannot be resolved: quadlet looks references up by file name before systemd expands ${instance}, and no file is named ${e.to}, only the template ${template.name}`;
  }
  return `${e.key}=${e.to} names an instance of ${template.name} that has no file of its own; quadlet only resolves instances that exist as files`;
}

function templateHint(e: Edge, instance: string, template: GraphUnit): string {
  const service = template.serviceFile?.replace(/@\.service$/, `@${instance}.service`);
  const podmanName = template.resource?.name.replace(/%i/g, instance);
  if (!instance.includes("%")) {
    return `what works: add ${e.to} as a symlink to ${template.name} beside it, and ${e.key}=${e.to} then resolves`;
  }
  const direct = e.kind === "pod" ? `PodmanArgs=--pod=${podmanName}` : e.kind === "volume" || e.kind === "mount" ? `the podman name ${podmanName} in place of ${e.to} (Volume=${podmanName}:/path)` : `the podman name ${podmanName}`;
  return `what works: name the podman object and the service yourself: ${direct}, with [Unit] Requires=${service} and After=${service}; what does not: any ${e.key}= naming a .${e.to.split(".").pop()} file with a specifier`;
}
