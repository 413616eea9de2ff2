/**
 * Every compose field convert maps, from fixtures/convert/fields: each becomes its quadlet
 * key, each one without a key is reported with its file, line and field, and the units
 * compile into the podman arguments compose would have given.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileUnits, FIXTURES, runConvert, runSpecOf, splitQuadlets, type ConvertRun } from "./helpers.js";

const DIR = join(FIXTURES, "fields");
let result: ConvertRun;
let units: Record<string, string>;

beforeAll(async () => {
  result = await runConvert(["compose", "--format", "quadlets"], DIR, { FROM_SHELL: "shell-value", HOME: "/home/tester" });
  units = splitQuadlets(result.stdout);
});

function lines(unit: string): string[] {
  return units[unit]!.split("\n");
}

describe("compose fields", () => {
  it("convert succeeds", () => {
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/error/);
  });

  it("writes one unit per service, used volume and network, and a .build for a build", () => {
    expect(Object.keys(units).sort()).toEqual([
      "fields-app.container",
      "fields-cache.container",
      "fields-db.container",
      "fields-setup.container",
      "fields-worker-image.build",
      "fields-worker.container",
      "fields_appdata.volume",
      "fields_back.network",
      "fields_front.network",
    ]);
  });

  const APP_KEYS = [
    "Image=registry.example.com/app:1.0",
    'Exec=serve --port 8080 "a b" 100%% $$HOME',
    'Entrypoint=["/usr/bin/tini","--"]',
    "Environment=PLAIN=value",
    'Environment="SPACED=two words"',
    "Environment=FROM_VAR=production",
    "Environment=FROM_SHELL=shell-value",
    `EnvironmentFile=${DIR}/app.env`,
    "PublishPort=8080:8080",
    "PublishPort=127.0.0.1:9090:9090/udp",
    "PublishPort=0.0.0.0:7001:7000/tcp",
    "ExposeHostPort=5000",
    "Volume=fields_appdata.volume:/var/lib/app",
    `Volume=${DIR}/conf:/etc/app:ro,Z`,
    "Volume=/srv/logs:/var/log/app",
    "Volume=/scratch",
    "Tmpfs=/run/app:size=65536",
    "Mount=type=volume,source=fields_appdata.volume,destination=/srv/sub,subpath=cache",
    `Volume=${DIR}/certs:/certs:ro,z`,
    "Tmpfs=/tmp",
    "Network=fields_front.network",
    "Network=fields_back.network",
    "NetworkAlias=api",
    "NetworkAlias=app",
    'HealthCmd=["curl","-f","http://localhost:8080/health"]',
    "HealthInterval=30s",
    "HealthTimeout=5s",
    "HealthRetries=3",
    "HealthStartPeriod=10s",
    "Restart=on-failure",
    "User=1000:1000",
    "WorkingDir=/srv/app",
    "HostName=app.internal",
    "Label=com.example.team=platform",
    "Annotation=io.example/owner=ops",
    "AddCapability=NET_ADMIN",
    "DropCapability=ALL",
    "AddDevice=/dev/fuse:/dev/fuse:rwm",
    "DNS=9.9.9.9",
    "DNSSearch=example.com",
    "DNSOption=ndots:2",
    "AddHost=host.example:10.0.0.1",
    "AddHost=v6host:::1",
    "ReadOnly=true",
    "NoNewPrivileges=true",
    "SecurityLabelType=container_runtime_t",
    "SeccompProfile=unconfined",
    "AppArmor=unconfined",
    "PodmanArgs=--security-opt=systempaths=unconfined",
    "ShmSize=128m",
    "Sysctl=net.core.somaxconn=1024",
    "Ulimit=nproc=65535:65535",
    "Ulimit=nofile=20000:40000",
    "Memory=512m",
    "PidsLimit=200",
    "StopSignal=SIGINT",
    "StopTimeout=90",
    "Secret=api_key,type=mount",
    "Secret=db_password,type=mount,target=db.pass,mode=0400",
    `Volume=${DIR}/app.conf:/app_conf:ro`,
    "RunInit=true",
    "LogDriver=journald",
    "LogOpt=tag=app",
    "PodmanArgs=--tty",
    "PodmanArgs=--interactive",
    "PodmanArgs=--cpus=1.5",
    "Requires=fields-db.service",
    "After=fields-db.service",
    "Wants=fields-cache.service",
    "After=fields-cache.service",
    "Requires=fields-setup.service",
    "After=fields-setup.service",
    "WantedBy=default.target",
  ];
  it.each(APP_KEYS)("app has %s", (line) => {
    expect(lines("fields-app.container")).toContain(line);
  });

  it("passes nothing to PodmanArgs= that has a key, and never a field twice", () => {
    const podmanArgs = lines("fields-app.container").filter((l) => l.startsWith("PodmanArgs="));
    expect(podmanArgs).toEqual(["PodmanArgs=--security-opt=systempaths=unconfined", "PodmanArgs=--tty", "PodmanArgs=--interactive", "PodmanArgs=--cpus=1.5"]);
  });

  it("makes a dependency that others wait for healthy report its health, and one they wait to finish a oneshot", () => {
    expect(lines("fields-db.container")).toContain("Notify=healthy");
    expect(lines("fields-db.container")).toContain("HealthCmd=pg_isready -U postgres");
    expect(lines("fields-setup.container")).toEqual(expect.arrayContaining(["Type=oneshot", "RemainAfterExit=yes", "Network=none"]));
    expect(lines("fields-setup.container")).not.toContain("Restart=always");
  });

  it("merges extends: from another file, with its paths taken from that file's directory", () => {
    expect(lines("fields-cache.container")).toEqual(
      expect.arrayContaining(["Image=docker.io/library/redis:7", "Exec=redis-server --appendonly yes", "Environment=REDIS_FROM=base", `Volume=${DIR}/base/redis-data:/data`]),
    );
  });

  it("builds an image from source and runs it; network_mode service: joins that container", () => {
    expect(lines("fields-worker-image.build")).toEqual(
      expect.arrayContaining(["ImageTag=localhost/fields-worker:latest", `SetWorkingDirectory=${DIR}/web`, `File=${DIR}/web/Containerfile`, "BuildArg=VERSION=2", "Target=runtime", "Label=stage=build"]),
    );
    expect(lines("fields-worker.container")).toEqual(expect.arrayContaining(["Image=fields-worker-image.build", "Network=container:fields-app", "Requires=fields-app.service", "StopTimeout=5"]));
  });

  it("maps volume and network settings to their units, and leaves out what no service uses", () => {
    expect(lines("fields_appdata.volume")).toEqual(expect.arrayContaining(["VolumeName=fields_appdata", "Type=tmpfs", "Device=tmpfs", "Options=size=100m", "Label=backup=nightly"]));
    expect(lines("fields_back.network")).toEqual(
      expect.arrayContaining(["NetworkName=fields_back", "Subnet=10.89.7.0/24", "Gateway=10.89.7.1", "IPRange=10.89.7.128/25", "Internal=true", "IPv6=true", "Label=tier=back"]),
    );
    expect(Object.keys(units)).not.toContain("fields_unused.volume");
  });

  const WARNINGS: [number, string, string][] = [
    [15, "QL1001", "services.app.env_file"],
    [29, "QL1001", "services.app.volumes: the option cached"],
    [65, "QL1001", "services.app.healthcheck.start_interval"],
    [66, "QL1001", "services.app.restart: the retry count 3"],
    [86, "QL1002", "services.app.security_opt: no quadlet key; passed as PodmanArgs=--security-opt=systempaths=unconfined"],
    [115, "QL1002", "services.app.tty"],
    [116, "QL1002", "services.app.stdin_open"],
    [118, "QL1002", "services.app.cpus"],
    [119, "QL1001", "services.app.domainname"],
    [121, "QL1001", "services.app.not_a_field"],
    [135, "QL1001", "services.setup.restart"],
    [146, "QL1001", "services.worker.pull_policy"],
    [176, "QL1004", "secrets.api_key: quadlet uses podman secrets"],
    [178, "QL1004", "secrets.db_password"],
  ];
  it.each(WARNINGS)("reports line %i: %s %s", (line, code, text) => {
    expect(result.stderr).toContain(`compose.yaml:${line}: warning[${code}]: ${text}`);
  });

  it("reports nothing it mapped, and leaves x- fields alone", () => {
    expect(result.stderr.trim().split("\n")).toHaveLength(WARNINGS.length);
    expect(result.stderr).not.toContain("x-notes");
  });

  it("compiles, and the app runs with the arguments compose would give podman", () => {
    const services = compileUnits(units);
    const app = runSpecOf(services.get("fields-app.service")!);
    expect(app.image).toBe("registry.example.com/app:1.0");
    expect(app.command).toEqual(["serve", "--port", "8080", "a b", "100%", "$HOME"]);
    expect(app.env).toEqual({ PLAIN: "value", SPACED: "two words", FROM_VAR: "production", FROM_SHELL: "shell-value" });
    expect(app.flags).toContainEqual(["--entrypoint", '["/usr/bin/tini","--"]']);
    expect(app.flags).toContainEqual(["--health-cmd", '["curl","-f","http://localhost:8080/health"]']);
    expect(app.flags).toContainEqual(["--secret", "db_password,type=mount,target=db.pass,mode=0400"]);
    expect(app.flags).toContainEqual(["--ulimit", "nofile=20000:40000"]);
    expect(app.flags).toContainEqual(["--stop-timeout", "90"]);
    expect(app.networks.sort()).toEqual(["fields_back", "fields_front"]);
    expect(runSpecOf(services.get("fields-db.service")!).sdnotify).toBe("healthy");
  });
});
