/**
 * `quadlet list [-user] [--filter KEY=VALUE]… [--format json|TEMPLATE] [--noheading]`: every
 * quadlet the generator reads, the service it makes and what systemd says of it; for a unit
 * the generator cannot make, the reason, from the analysis.
 */
import type { CommandContext, Subcommand } from "./context.js";
import { UsageError, type FlagSpec } from "../manage/args.js";
import { startManaging, type ManageCommand } from "../manage/start.js";
import type { Scope } from "../manage/dirs.js";
import { notLoadedReason, takeInventory, type InstalledUnit } from "../manage/inventory.js";
import { Systemctl, type ServiceState } from "../manage/systemctl.js";
import { alignColumns, compileTemplate, TemplateError, type Row, type Template } from "../manage/template.js";

const FLAGS: readonly FlagSpec[] = [
  { name: "user", kind: "bool", help: "list the current user's quadlets; the default for any user but root" },
  { name: "filter", short: "f", kind: "list", value: "KEY=VALUE", help: "keep only quadlets whose name, status or pod matches VALUE (a regular expression); repeatable" },
  { name: "format", kind: "string", value: "FORMAT", help: 'json, or a template such as "{{.Name}} {{.Status}}" (fields: .Name .UnitName .Path .Status .App .Pod)' },
  { name: "noheading", short: "n", kind: "bool", help: "leave out the heading line" },
];

const SYNOPSIS = "quadlet list [-user] [--filter name=|status=|pod=VALUE]... [--format json|TEMPLATE] [--noheading]";
const SUMMARY = "Lists the quadlets the generator reads, with the service each makes and its state in systemd.";

const FIELDS = ["Name", "UnitName", "Path", "Status", "App", "Pod"] as const;
const HEADINGS: Row = { Name: "NAME", UnitName: "UNIT NAME", Path: "PATH ON DISK", Status: "STATUS", App: "APPLICATION", Pod: "POD" };
const DEFAULT_FORMAT = "{{range .}}{{.Name}}\t{{.UnitName}}\t{{.Path}}\t{{.Status}}\t{{.App}}\t{{.Pod}}\n{{end -}}";
const FILTER_FIELDS: Readonly<Record<string, keyof typeof HEADINGS>> = { name: "Name", status: "Status", pod: "Pod" };

type Filters = Map<string, RegExp[]>;

function parseFilters(values: readonly string[]): Filters {
  const out: Filters = new Map();
  for (const v of values) {
    const eq = v.indexOf("=");
    const key = eq === -1 ? v : v.slice(0, eq);
    const field = FILTER_FIELDS[key];
    if (eq === -1 || field === undefined) throw new UsageError(`invalid filter "${v}": use name=VALUE, status=VALUE or pod=VALUE`);
    let re: RegExp;
    try {
      re = new RegExp(v.slice(eq + 1));
    } catch (err) {
      throw new UsageError(`invalid filter "${v}": ${err instanceof Error ? err.message : String(err)}`);
    }
    out.set(field, [...(out.get(field) ?? []), re]);
  }
  return out;
}

/** A row is kept when, for every filtered field, one of its expressions matches. */
function keeps(row: Row, filters: Filters): boolean {
  for (const [field, res] of filters) if (!res.some((re) => re.test(row[field] ?? ""))) return false;
  return true;
}

interface Output {
  readonly json: boolean;
  readonly template?: Template;
  readonly heading: boolean;
}

/** What `--format` asks for, as podman reads it: json, `table …` (with a heading), or a row template. */
function outputOf(format: string | undefined, noheading: boolean): Output {
  if (format !== undefined && /^\s*json\s*$/.test(format)) return { json: true, heading: false };
  let text = format ?? DEFAULT_FORMAT;
  let heading = format === undefined;
  if (format !== undefined) {
    text = text.replace(/\\t/g, "\t").replace(/\\n/g, "\n");
    if (/^table\b/.test(text)) {
      text = text.replace(/^table\s*/, "");
      heading = true;
    }
    if (!text.includes("{{range")) text = `{{range .}}${text}${text.endsWith("\n") ? "" : "\n"}{{end -}}`;
  }
  return { json: false, template: compileTemplate(text, FIELDS), heading: heading && !noheading };
}

const COMMAND: ManageCommand<{ filters: Filters; output: Output }> = {
  name: "list",
  flags: FLAGS,
  synopsis: SYNOPSIS,
  summary: SUMMARY,
  check(flags) {
    if (flags.positional.length) throw new UsageError(`list takes no arguments; to select quadlets use --filter name=${flags.positional[0]}`);
    try {
      return { filters: parseFilters(flags.lists.get("filter") ?? []), output: outputOf(flags.strings.get("format"), flags.bools.get("noheading")!) };
    } catch (err) {
      // A --format template that does not compile is a mistake in the arguments too.
      if (err instanceof TemplateError) throw new UsageError(err.message);
      throw err;
    }
  },
};

export const run: Subcommand = (args, ctx) => {
  const started = startManaging(COMMAND, args, ctx);
  if (typeof started === "number") return started;
  const { scope } = started;
  const { filters, output } = started.checked;
  const units = takeInventory(ctx, scope).units.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const rows = rowsOf(ctx, scope, units).filter((r) => keeps(r, filters));
  if (output.json) {
    ctx.stdout(JSON.stringify(rows, null, 2) + "\n");
    return 0;
  }
  const body = output.template!.render(rows);
  const heading = output.heading ? output.template!.render([HEADINGS]) : "";
  const text = alignColumns(heading + body);
  if (text) ctx.stdout(text.endsWith("\n") ? text : text + "\n");
  return 0;
};

function rowsOf(ctx: CommandContext, scope: Scope, units: readonly InstalledUnit[]): Row[] {
  // systemctl show refuses a template's name (`web@.service`), and with it the whole call.
  const states = serviceStates(ctx, scope, units.map((u) => u.serviceFile).filter((s) => !isTemplate(s)));
  return units.map((u) => ({
    Name: u.name,
    UnitName: u.serviceFile,
    Path: u.path,
    Status: statusOf(u, scope, states),
    App: u.app,
    Pod: u.pod,
  }));
}

/** The systemd states of `services`, or why they are not known. */
function serviceStates(ctx: CommandContext, scope: Scope, services: readonly string[]): Map<string, ServiceState> | string {
  const systemctl = new Systemctl(ctx, scope.user);
  if (!systemctl.running) return "systemd is not running";
  const shown = systemctl.show(services);
  return shown instanceof Map ? shown : `${systemctl.name} show failed: ${shown.problem}`;
}

/** A template's service (`web@.service`): systemd knows only its instances. */
function isTemplate(service: string): boolean {
  return service.endsWith("@.service");
}

function statusOf(u: InstalledUnit, scope: Scope, states: Map<string, ServiceState> | string): string {
  const reason = notLoadedReason(u, scope.installDir);
  const state = typeof states === "string" ? undefined : states.get(u.serviceFile);
  if (reason !== undefined) {
    // systemd may still hold the service generated before the file went wrong.
    if (state?.loadState === "loaded") return `${state.activeState}/${state.subState} until the next daemon-reload, then not loaded: ${reason}`;
    return `Not loaded: ${reason}`;
  }
  if (isTemplate(u.serviceFile)) return `Template: systemd runs its instances, ${u.serviceFile.replace("@.", "@INSTANCE.")}`;
  if (typeof states === "string") return `Unknown: ${states}`;
  if (state === undefined || state.loadState === "not-found") {
    return `Not loaded: systemd has not read it yet (run systemctl${scope.user ? " --user" : ""} daemon-reload)`;
  }
  if (state.loadState !== "loaded") return `Not loaded: systemd reports LoadState=${state.loadState}`;
  return `${state.activeState}/${state.subState}`;
}
