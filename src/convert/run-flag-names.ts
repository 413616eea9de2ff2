/**
 * The long flags of `podman run` (and `podman create`, which takes the same) that take a
 * value, in any podman release from 3.4 on, and the one-letter forms. Made from podman's
 * own flag definitions; a flag not listed is a switch (`--rm`, `--init`).
 */
export const VALUE_FLAGS: ReadonlySet<string> = new Set([
  "--add-host", "--annotation", "--arch", "--attach", "--authfile", "--blkio-weight",
  "--blkio-weight-device", "--cap-add", "--cap-drop", "--cert-dir", "--cgroup-conf",
  "--cgroup-parent", "--cgroupns", "--cgroups", "--chrootdirs", "--cidfile", "--conmon-pidfile",
  "--cpu-period", "--cpu-quota", "--cpu-rt-period", "--cpu-rt-runtime", "--cpu-shares", "--cpus",
  "--cpuset-cpus", "--cpuset-mems", "--creds", "--decryption-key", "--detach-keys", "--device",
  "--device-cgroup-rule", "--device-read-bps", "--device-read-iops", "--device-write-bps",
  "--device-write-iops", "--dns", "--dns-opt", "--dns-option", "--dns-search", "--entrypoint",
  "--env", "--env-file", "--env-merge", "--expose", "--gidmap", "--gpus", "--group-add",
  "--group-entry", "--health-cmd", "--health-interval", "--health-log-destination",
  "--health-max-log-count", "--health-max-log-size", "--health-on-failure", "--health-retries",
  "--health-start-period", "--health-startup-cmd", "--health-startup-interval",
  "--health-startup-retries", "--health-startup-success", "--health-startup-timeout",
  "--health-timeout", "--healthcheck-command", "--healthcheck-interval", "--healthcheck-retries",
  "--healthcheck-start-period", "--healthcheck-timeout", "--hostname", "--hosts-file",
  "--hostuser", "--image-volume", "--init-path", "--ip", "--ip6", "--ipc", "--kernel-memory",
  "--label", "--label-file", "--log-driver", "--log-opt", "--mac-address", "--memory",
  "--memory-reservation", "--memory-swap", "--memory-swappiness", "--mount", "--name", "--net",
  "--network", "--network-alias", "--oom-score-adj", "--os", "--override-arch", "--override-os",
  "--override-variant", "--passwd-entry", "--personality", "--pid", "--pidfile", "--pids-limit",
  "--platform", "--pod", "--pod-id-file", "--preserve-fd", "--preserve-fds", "--publish", "--pull",
  "--rdt-class", "--requires", "--restart", "--retry", "--retry-delay", "--sdnotify",
  "--seccomp-policy", "--secret", "--security-opt", "--shm-size", "--shm-size-systemd",
  "--signature-policy", "--stop-signal", "--stop-timeout", "--subgidname", "--subuidname",
  "--sysctl", "--systemd", "--timeout", "--tmpfs", "--tz", "--uidmap", "--ulimit", "--umask",
  "--unsetenv", "--user", "--userns", "--uts", "--variant", "--volume", "--volumes-from",
  "--workdir",
]);

/** One-letter flags and the long flag each stands for. */
export const SHORT_FLAGS: Readonly<Record<string, string>> = {
  P: "--publish-all",
  a: "--attach",
  c: "--cpu-shares",
  d: "--detach",
  e: "--env",
  h: "--hostname",
  i: "--interactive",
  l: "--label",
  m: "--memory",
  p: "--publish",
  q: "--quiet",
  t: "--tty",
  u: "--user",
  v: "--volume",
  w: "--workdir",
};
