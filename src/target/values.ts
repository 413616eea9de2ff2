/**
 * Values whose acceptance changed between releases (`--sdnotify=healthy` from 4.7,
 * `--mount type=glob` from 4.7, `--userns keep-id:uid=…` from 4.3). The facts name them
 * four ways: `"run --sdnotify"` lists whole values (or prefixes before `:`, as for
 * `--userns ns:PATH`), `"run --userns keep-id:"` lists the options after a prefix,
 * `"run --mount type="` lists one field of a comma-separated value, and
 * `"volume create --driver image"` names one value that is a feature of its own.
 */
import { PODMAN_FACTS } from "./query.js";

interface ValueRules {
  whole?: Readonly<Record<string, string>>;
  /** Per prefix (`keep-id`), the options after `prefix:`, comma-separated `name=value`. */
  options: Map<string, Readonly<Record<string, string>>>;
  /** Per field (`type`), the values of `field=` in a comma-separated list. */
  fields: Map<string, Readonly<Record<string, string>>>;
  /** Single values that arrived on their own. */
  features: Map<string, string>;
}

let rules: Map<string, ValueRules> | undefined;

function rulesFor(commandFlag: string): ValueRules | undefined {
  if (!rules) rules = indexRules();
  return rules.get(commandFlag);
}

function indexRules(): Map<string, ValueRules> {
  const index = new Map<string, ValueRules>();
  for (const [name, facts] of Object.entries(PODMAN_FACTS.values)) {
    // "run --sdnotify", "run --userns keep-id:", "run --mount type=", "volume create --driver image"
    const m = /^(.*? --[\w-]+)(?: (.+))?$/.exec(name);
    if (!m) continue;
    const [, commandFlag, rest] = m;
    let r = index.get(commandFlag!);
    if (!r) index.set(commandFlag!, (r = { options: new Map(), fields: new Map(), features: new Map() }));
    if (typeof facts === "string") r.features.set(rest ?? "", facts);
    else if (rest === undefined) r.whole = facts;
    else if (rest.endsWith(":")) r.options.set(rest.slice(0, -1), facts);
    else if (rest.endsWith("=")) r.fields.set(rest.slice(0, -1), facts);
  }
  return index;
}

/**
 * The first release that accepts `value` for `command flag`, when the facts say; undefined
 * when they say nothing (then quadlet assumes every release takes it). Of several parts of
 * one value (`keep-id:uid=1,size=5`), the latest counts.
 */
export function valueSince(command: string, flag: string, value: string): string | undefined {
  const r = rulesFor(`${command} ${flag}`);
  if (!r) return undefined;
  const found: string[] = [];
  const feature = r.features.get(value);
  if (feature) found.push(feature);
  if (r.whole) {
    const own = r.whole[value] ?? r.whole[value.split(":")[0]!];
    if (own) found.push(own);
  }
  const colon = value.indexOf(":");
  const options = colon === -1 ? undefined : r.options.get(value.slice(0, colon));
  if (options) {
    for (const part of value.slice(colon + 1).split(",")) {
      const since = options[part.split("=")[0]!];
      if (since) found.push(since);
    }
  }
  for (const [field, values] of r.fields) {
    for (const part of value.split(",")) {
      if (!part.startsWith(`${field}=`)) continue;
      const since = values[part.slice(field.length + 1)];
      if (since) found.push(since);
    }
  }
  return latest(found);
}

function latest(releases: string[]): string | undefined {
  let best: string | undefined;
  for (const r of releases) if (best === undefined || PODMAN_FACTS.releases.indexOf(r) > PODMAN_FACTS.releases.indexOf(best)) best = r;
  return best;
}
