/**
 * .image units: [Image] → NAME-image.service running `podman image pull`.
 *
 * The service is a oneshot that stays active once the image is there
 * (`RemainAfterExit=yes`), so containers and volumes that say `Image=NAME.image` can
 * require it and start after it.
 */
import type { SectionRecord } from "../analysis/record.js";
import { boolAs, emitKeys, lastAs, row, SHARED_KEY_ROWS, type KeyRow, rowsByKey } from "./keys.js";
import { ConvertError, type GeneratedService } from "./model.js";
import { oneshotService } from "./oneshot.js";
import type { ConvertContext, UnitType } from "./unit-type.js";

const GROUP = "Image";

/** Keys that map straight to one `podman image pull` flag, in the order they are emitted. */
const PULL_FLAG_KEYS: readonly KeyRow[] = [
  row("Arch", "string", "4.8", "Pull the image for this architecture instead of the host's: `--arch`.", lastAs("--arch")),
  row("AuthFile", "string", "4.8", "Registry credentials file: `--authfile`.", lastAs("--authfile")),
  row("CertDir", "string", "4.8", "Directory of registry TLS certificates and keys: `--cert-dir`.", lastAs("--cert-dir")),
  row("Creds", "string", "4.8", "Registry `user[:password]`: `--creds`.", lastAs("--creds")),
  row("DecryptionKey", "string", "4.8", "Key (`key[:passphrase]`) that decrypts an encrypted image: `--decryption-key`.", lastAs("--decryption-key")),
  row("OS", "string", "4.8", "Pull the image for this OS instead of the host's: `--os`.", lastAs("--os")),
  row("Policy", "string", "5.6", "When to pull (`always`, `missing`, `newer`, `never`): `--policy`.", lastAs("--policy")),
  row("Variant", "string", "4.8", "Pull this variant of the architecture: `--variant`.", lastAs("--variant")),
  row("Retry", "integer", "5.5", "How often a failed pull is retried: `--retry`.", lastAs("--retry")),
  row("RetryDelay", "string", "5.5", "How long to wait between pull retries: `--retry-delay`.", lastAs("--retry-delay")),
  row("AllTags", "boolean", "4.8", "Pull every tag of the repository: `--all-tags`.", boolAs("--all-tags")),
  row("TLSVerify", "boolean", "4.8", "Require HTTPS and valid certificates: `--tls-verify`.", boolAs("--tls-verify")),
];

/** Every [Image] key. Rows without an emitter are handled in {@link convertImage}. */
export const IMAGE_KEYS: readonly KeyRow[] = [
  row("Image", "string", "4.8", "The image to pull, as `podman pull` takes it. Required."),
  row("ImageTag", "string", "4.8", "The image's real name when Image= is an archive; what other units get for `NAME.image`."),
  ...PULL_FLAG_KEYS,
  ...SHARED_KEY_ROWS,
];

/** The rows of [Image], by key: how this file reads the record. */
const K = rowsByKey(IMAGE_KEYS);

/**
 * The image other units get when they name this one (`Image=NAME.image`): ImageTag=
 * when set, since a pulled archive is stored under that name; else Image=.
 */
function imageResourceName(rec: SectionRecord): string | undefined {
  const tag = rec.lookup(K.ImageTag);
  if (tag) return tag;
  const image = rec.lookup(K.Image);
  return image || undefined;
}

function convertImage(ctx: ConvertContext): GeneratedService {
  const rec = ctx.record;
  const image = rec.lookup(K.Image);
  if (!image) throw new ConvertError("no Image key specified", rec.line(K.Image)?.origin, "Image");
  return oneshotService(ctx, {
    subcommand: ["image", "pull"],
    remainAfterExit: true,
    flags: (cmd) => emitKeys(rec, PULL_FLAG_KEYS, cmd),
    operands: () => [image],
  });
}

export const imageType: UnitType = {
  extension: ".image",
  group: GROUP,
  serviceSuffix: "-image",
  keys: IMAGE_KEYS,
  resourceName: imageResourceName,
  convert: convertImage,
};
