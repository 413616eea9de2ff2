/**
 * The codes of the problems the subcommands find beyond what compiling one unit finds:
 * loading files named on the command line, and the graph of references between units.
 * Each is documented in quadlet(8), under DIAGNOSTIC CODES.
 */
export const CODES = {
  /** A unit file or drop-in that could not be read or parsed. */
  load: { code: "QL0901" },
  /** A file named on the command line that is not a quadlet unit. */
  notAUnit: { code: "QL0902" },
  /** A file named on the command line that a file of the same name hides. */
  shadowed: { code: "QL0903" },
  /** A dependency cycle among quadlet units. */
  cycle: { code: "QL0910" },
  /** A reference to a quadlet unit that does not exist. */
  missing: { code: "QL0911" },
  /** Two files that make one service. */
  sameService: { code: "QL0912" },
  /** Two units that give podman the same container, volume, network or pod name. */
  samePodmanName: { code: "QL0913" },
  /** A template referring to another template's instance (`Pod=db@%i.pod`). */
  templateReference: { code: "QL0914" },
  /** A volume's User= or Group= name this host does not know (a warning off the target host). */
  unknownAccount: { code: "QL0920" },
} as const;
