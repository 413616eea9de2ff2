/**
 * .artifact units: [Artifact] → artifactNAME-artifact.service. (Not yet implemented.)
 */
import { ConvertError } from "./model.js";
import type { UnitType } from "./unit-type.js";

export const artifactType: UnitType = {
  extension: ".artifact",
  group: "Artifact",
  serviceSuffix: "-artifact",
  keys: [],
  convert() {
    throw new ConvertError(".artifact units are not supported yet");
  },
};
