/** Every quadlet unit type, by file extension. */
import type { UnitExtension } from "../parser/discover.js";
import { artifactType } from "./artifact.js";
import { buildType } from "./build.js";
import { containerType } from "./container.js";
import { imageType } from "./image.js";
import { kubeType } from "./kube.js";
import { networkType } from "./network.js";
import { podType } from "./pod.js";
import type { UnitType } from "./unit-type.js";
import { volumeType } from "./volume.js";

export const UNIT_TYPES: ReadonlyMap<string, UnitType> = new Map<UnitExtension, UnitType>(
  [containerType, volumeType, networkType, kubeType, imageType, buildType, podType, artifactType].map((t) => [t.extension, t]),
);
