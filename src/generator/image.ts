/**
 * .image units: [Image] → imageNAME-image.service. (Not yet implemented.)
 */
import { ConvertError } from "./model.js";
import type { UnitType } from "./unit-type.js";

export const imageType: UnitType = {
  extension: ".image",
  group: "Image",
  serviceSuffix: "-image",
  keys: [],
  convert() {
    throw new ConvertError(".image units are not supported yet");
  },
};
