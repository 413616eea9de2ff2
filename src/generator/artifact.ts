/**
 * .artifact units: [Artifact] → NAME-artifact.service, a oneshot that runs
 * `podman artifact pull REFERENCE`, so the OCI artifact is in local storage before the
 * containers that mount it (`Mount=type=artifact,source=NAME.artifact,…`) start.
 */
import type { SectionRecord } from "../analysis/record.js";
import { boolAs, emitKeys, nonEmptyAs, row, SHARED_KEY_ROWS, type KeyRow, rowsByKey } from "./keys.js";
import { ConvertError, type GeneratedService } from "./model.js";
import { oneshotService } from "./oneshot.js";
import type { ConvertContext, UnitType } from "./unit-type.js";

const GROUP = "Artifact";

/** The pull options, in the order they are emitted. */
const PULL_KEYS: readonly KeyRow[] = [
  row("AuthFile", "string", "5.7", "The registry authentication file: `--authfile`.", nonEmptyAs("--authfile")),
  row("CertDir", "string", "5.7", "A directory of registry certificates (*.crt, *.cert, *.key): `--cert-dir`.", nonEmptyAs("--cert-dir")),
  row("Creds", "string", "5.7", "Registry credentials, `[user[:password]]`: `--creds`.", nonEmptyAs("--creds")),
  row("DecryptionKey", "string", "5.7", "The `key[:passphrase]` that decrypts the artifact: `--decryption-key`.", nonEmptyAs("--decryption-key")),
  row("Quiet", "boolean", "5.7", "Pull without progress output: `--quiet`.", boolAs("--quiet")),
  row("Retry", "integer", "5.7", "How often to retry a pull that fails with an HTTP error: `--retry`.", nonEmptyAs("--retry")),
  row("RetryDelay", "string", "5.7", "The pause between pull retries: `--retry-delay`.", nonEmptyAs("--retry-delay")),
  row("TLSVerify", "boolean", "5.7", "Require HTTPS and verified certificates: `--tls-verify`.", boolAs("--tls-verify")),
];

/** Every [Artifact] key. Rows without an emitter are handled in {@link convertArtifact}. */
export const ARTIFACT_KEYS: readonly KeyRow[] = [
  row("Artifact", "string", "5.7", "The artifact reference to pull (required; should be fully qualified)."),
  ...PULL_KEYS,
  ...SHARED_KEY_ROWS,
];

/** The rows of [Artifact], by key: how this file reads the record. */
const K = rowsByKey(ARTIFACT_KEYS);

/** The artifact reference: what other units mount, and what is pulled. */
function artifactReference(rec: SectionRecord): string | undefined {
  const ref = rec.lookup(K.Artifact);
  return ref ? ref : undefined;
}

function convertArtifact(ctx: ConvertContext): GeneratedService {
  const rec = ctx.record;
  const reference = artifactReference(rec);
  if (!reference) throw new ConvertError("no Artifact key specified", rec.line(K.Artifact)?.origin, "Artifact");
  return oneshotService(ctx, {
    subcommand: ["artifact", "pull"],
    remainAfterExit: true,
    flags: (cmd) => emitKeys(rec, PULL_KEYS, cmd),
    operands: () => [reference],
  });
}

export const artifactType: UnitType = {
  extension: ".artifact",
  group: GROUP,
  serviceSuffix: "-artifact",
  keys: ARTIFACT_KEYS,
  resourceName: artifactReference,
  convert: convertArtifact,
};
