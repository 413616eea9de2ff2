/**
 * `podman run …` (or `podman create`, or `docker run` where its syntax is the same) as a
 * `.container` unit: each flag that has a quadlet key becomes that key; the others go to
 * `PodmanArgs=`, each with a warning.
 */
import type { Report, Where } from "./report.js";
import { SHORT_FLAGS, VALUE_FLAGS } from "./run-flag-names.js";
import { quoteWords } from "../parser/quote.js";
import { OutUnit } from "./units.js";
import { securityOptionKey } from "./values.js";

/** docker run flags that take a value and that podman run does not have. */
const DOCKER_VALUE_FLAGS = new Set(["--link", "--runtime", "--storage-opt", "--domainname", "--volume-driver", "--cpu-count", "--cpu-percent", "--isolation", "--io-maxbandwidth", "--io-maxiops"]);

/** Flags with a value that become one key, value as it is. */
const KEYED: Readonly<Record<string, string>> = {
  "--env": "Environment", "--env-file": "EnvironmentFile", "--label": "Label", "--annotation": "Annotation",
  "--publish": "PublishPort", "--expose": "ExposeHostPort", "--volume": "Volume", "--mount": "Mount", "--tmpfs": "Tmpfs",
  "--network": "Network", "--net": "Network", "--network-alias": "NetworkAlias", "--ip": "IP", "--ip6": "IP6",
  "--hostname": "HostName", "--dns": "DNS", "--dns-search": "DNSSearch", "--dns-option": "DNSOption", "--dns-opt": "DNSOption",
  "--add-host": "AddHost", "--user": "User", "--workdir": "WorkingDir", "--entrypoint": "Entrypoint",
  "--cap-add": "AddCapability", "--cap-drop": "DropCapability", "--device": "AddDevice", "--sysctl": "Sysctl",
  "--ulimit": "Ulimit", "--memory": "Memory", "--pids-limit": "PidsLimit", "--shm-size": "ShmSize",
  "--stop-signal": "StopSignal", "--stop-timeout": "StopTimeout", "--secret": "Secret", "--log-driver": "LogDriver",
  "--log-opt": "LogOpt", "--tz": "Timezone", "--pull": "Pull", "--userns": "UserNS", "--uidmap": "UIDMap",
  "--gidmap": "GIDMap", "--subuidname": "SubUIDMap", "--subgidname": "SubGIDMap", "--group-add": "GroupAdd",
  "--health-cmd": "HealthCmd", "--health-interval": "HealthInterval", "--health-timeout": "HealthTimeout",
  "--health-retries": "HealthRetries", "--health-start-period": "HealthStartPeriod", "--health-on-failure": "HealthOnFailure",
  "--health-startup-cmd": "HealthStartupCmd", "--health-startup-interval": "HealthStartupInterval",
  "--health-startup-retries": "HealthStartupRetries", "--health-startup-success": "HealthStartupSuccess",
  "--health-startup-timeout": "HealthStartupTimeout", "--health-log-destination": "HealthLogDestination",
  "--health-max-log-count": "HealthMaxLogCount", "--health-max-log-size": "HealthMaxLogSize",
  "--cgroups": "CgroupsMode", "--rootfs": "Rootfs", "--retry": "Retry", "--retry-delay": "RetryDelay",
};

/** Switches that become `key=true`. */
const KEYED_SWITCHES: Readonly<Record<string, string>> = {
  "--init": "RunInit", "--read-only": "ReadOnly", "--read-only-tmpfs": "ReadOnlyTmpfs", "--env-host": "EnvironmentHost",
  "--http-proxy": "HttpProxy",
};

/** Flags quadlet always adds itself, or that mean nothing for a service: left out. */
const IMPLIED = new Set(["--detach", "--rm", "--replace", "--name", "--sdnotify", "--cidfile"]);

const RESTART: Readonly<Record<string, string>> = { no: "no", always: "always", "unless-stopped": "always", "on-failure": "on-failure" };

export interface RunConversion {
  readonly unit: OutUnit;
  readonly name: string;
}

interface Flag {
  readonly name: string;
  readonly value: string | undefined;
  /** The words as given, for PodmanArgs=. */
  readonly words: string[];
}

/** Reads one flag at `argv[i]`; returns it and how many words it took. */
function readFlag(argv: readonly string[], i: number): { flag: Flag; used: number } {
  const word = argv[i]!;
  let name: string;
  let inline: string | undefined;
  if (word.startsWith("--")) {
    const eq = word.indexOf("=");
    name = eq === -1 ? word : word.slice(0, eq);
    inline = eq === -1 ? undefined : word.slice(eq + 1);
  } else {
    name = SHORT_FLAGS[word[1]!] ?? word.slice(0, 2);
    // -p8080:80: a one-letter flag with its value attached
    if (word.length > 2) inline = word.slice(2).replace(/^=/, "");
  }
  const takesValue = VALUE_FLAGS.has(name) || DOCKER_VALUE_FLAGS.has(name);
  if (!takesValue || inline !== undefined) return { flag: { name, value: inline, words: [word] }, used: 1 };
  return { flag: { name, value: argv[i + 1], words: [word, argv[i + 1] ?? ""] }, used: 2 };
}

/** `podman run …` after any `podman`/`docker` and global flags; undefined when it is not one. */
function runArguments(argv: readonly string[]): string[] | undefined {
  let i = 0;
  if (/(^|\/)(podman|docker)$/.test(argv[0] ?? "")) i++;
  // global flags before the subcommand (`podman --log-level=debug run`)
  while (i < argv.length && argv[i]!.startsWith("-")) i += argv[i]!.includes("=") ? 1 : 2;
  if (argv[i] === "container") i++;
  if (argv[i] !== "run" && argv[i] !== "create") return undefined;
  return argv.slice(i + 1);
}

/** The unit's name: `--name`, else the image's last path component without tag or digest. */
function unitName(flags: readonly Flag[], image: string): string {
  const name = flags.find((f) => f.name === "--name")?.value;
  if (name) return name;
  const last = image.replace(/[@:][^/]*$/, "").split("/").pop() ?? "container";
  return last.replace(/[^A-Za-z0-9_.-]/g, "-") || "container";
}

/** Converts `argv` (a whole `podman run …` command line, as words). */
export function convertRun(argv: readonly string[], source: string, report: Report): RunConversion | undefined {
  const where: Where = { file: source, line: 0 };
  const args = runArguments(argv);
  if (!args) {
    report.error(where, undefined, `"${argv.slice(0, 2).join(" ")}" is not a podman run, podman create or docker run command`);
    return undefined;
  }
  const flags: Flag[] = [];
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--" && args[i] !== "-") {
    const word = args[i]!;
    if (!word.startsWith("--") && word.length > 2 && !VALUE_FLAGS.has(SHORT_FLAGS[word[1]!] ?? "")) {
      // a cluster of one-letter switches: -it, -dit
      for (const c of word.slice(1)) flags.push({ name: SHORT_FLAGS[c] ?? `-${c}`, value: undefined, words: [`-${c}`] });
      i++;
      continue;
    }
    const { flag, used } = readFlag(args, i);
    flags.push(flag);
    i += used;
  }
  if (args[i] === "--") i++;
  const image = args[i];
  if (image === undefined) {
    report.error(where, undefined, "the command names no image");
    return undefined;
  }
  const name = unitName(flags, image);
  const unit = new OutUnit(`${name}.container`, "container", `Converted from: ${quoteWords(argv)}`);
  unit.set("Image", image, where, "image");
  const explicitName = flags.find((f) => f.name === "--name")?.value;
  if (explicitName) unit.set("ContainerName", explicitName, where, "--name");
  for (const flag of flags) applyFlag(unit, flag, where, report);
  const command = args.slice(i + 1);
  if (command.length > 0) unit.setWords("Exec", command, where, "command");
  unit.setSystemd("Install", "WantedBy", "default.target");
  return { unit, name };
}

function applyFlag(unit: OutUnit, flag: Flag, where: Where, report: Report): void {
  const key = KEYED[flag.name];
  if (key && flag.value !== undefined) return unit.set(key, flag.value, where, flag.name);
  const switchKey = KEYED_SWITCHES[flag.name];
  if (switchKey && (flag.value === undefined || flag.value === "true")) return unit.set(switchKey, "true", where, flag.name);
  if (flag.name === "--restart" && flag.value !== undefined) {
    const [policy, count] = flag.value.split(":");
    const mapped = RESTART[policy!];
    if (mapped) {
      unit.setSystemd("Service", "Restart", mapped, where, flag.name);
      if (count !== undefined) report.dropped(where, flag.name, `the retry count ${count} has no quadlet key`);
      return;
    }
  }
  if (flag.name === "--security-opt" && flag.value !== undefined) {
    const keyed = securityOptionKey(flag.value);
    if (keyed) return unit.set(keyed[0], keyed[1], where, flag.name);
  }
  if (IMPLIED.has(flag.name)) {
    if (flag.name !== "--name") report.dropped(where, flag.name, "quadlet runs every container this way already (or sets it itself)");
    return;
  }
  unit.podmanArgs(flag.words, where, flag.name);
  report.podmanArgs(where, flag.name, flag.words);
}
