/**
 * .volume units: [Volume] → volumeNAME-volume.service. (Not yet implemented.)
 */
import { ConvertError } from "./model.js";
import type { UnitType } from "./unit-type.js";

export const volumeType: UnitType = {
  extension: ".volume",
  group: "Volume",
  serviceSuffix: "-volume",
  keys: [],
  convert() {
    throw new ConvertError(".volume units are not supported yet");
  },
};
