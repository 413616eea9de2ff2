/**
 * `quadlet --help`. Built with commander, which is only loaded when help is asked for.
 */
import { Command } from "commander";

export function helpText(version: string): string {
  const program = new Command("quadlet")
    .version(version, "--version", "print the version and exit")
    .description(
      "Compile podman quadlet files (.container, .volume, .network, .pod, .kube, .image, .build,\n" +
        ".artifact) into systemd .service units. Run by systemd as a generator, or by hand.",
    )
    .usage("[-dryrun] [-user] [-v] [-no-kmsg-log] [-podman-version X.Y[.Z]] [normal-dir [early-dir late-dir]]")
    .option("--dryrun", "print the generated units instead of writing them (implies -v)")
    .option("--user", "generate user units (also when started as a *user-generator)")
    .option("-v, --verbose", "log what is read and written")
    .option("--no-kmsg-log", "log to stderr instead of /dev/kmsg")
    .option("--podman-version <X.Y[.Z]>", "write units for this podman release (default: the installed one)")
    .helpOption("-h, --help", "print this help");
  program.addHelpText(
    "after",
    `
Every flag may also be written with one dash, Go-style: -dryrun, -user, -no-kmsg-log, -version.

Search paths (the first file of a name wins; subdirectories are read too):
  root:  /run/containers/systemd, /etc/containers/systemd, /usr/share/containers/systemd
  user:  $XDG_RUNTIME_DIR/containers/systemd, $XDG_CONFIG_HOME/containers/systemd
         (~/.config/containers/systemd), /etc/containers/systemd/users,
         /etc/containers/systemd/users/$UID, /usr/share/containers/systemd/users
  QUADLET_UNIT_DIRS (colon-separated) replaces them all.

Environment:
  PODMAN             the podman executable written into units (default /usr/bin/podman)
  QUADLET_UNIT_DIRS  directories to read instead of the search paths
  QUADLET_PODMAN_VERSION  the podman release to write units for, when -podman-version is not given

Subcommands (the first argument; each takes --help):
  verify [-user] [--strict] [--format text|json] [-podman-version X.Y[.Z]] [PATH...]
                      check units as the generator would compile them; write nothing
  explain [-user] [--format text|json] [-podman-version X.Y[.Z]] NAME
                      the service a unit makes, each line traced to where it came from
  graph [-user] [--format text|dot|json] [PATH...]
                      units and the references between them; cycles, missing units
  install [-user] [--replace] SOURCE...   copy quadlet files into place and reload systemd
  list (ls) [-user] [--format FORMAT]     the installed quadlets and their services
  print (cat) [-user] NAME...             show an installed quadlet file
  rm [-user] [--force] NAME...            remove installed quadlets
  convert compose|run ...                 write quadlet files from a compose file or a
                                          podman run command line

Exit status: 0 when every unit was generated, 1 when any could not be, 2 for bad arguments.
See quadlet(8), quadlet.unit(5), and quadlet-NAME(1) for each subcommand (quadlet-verify(1), …).
`,
  );
  return render(program);
}

function render(program: Command): string {
  let text = "";
  program.configureOutput({ writeOut: (s) => (text += s) });
  program.outputHelp();
  return text;
}
