/**
 * .kube units: [Kube] → kube.service. (Not yet implemented.)
 */
import { ConvertError } from "./model.js";
import type { UnitType } from "./unit-type.js";

export const kubeType: UnitType = {
  extension: ".kube",
  group: "Kube",
  serviceSuffix: "",
  keys: [],
  convert() {
    throw new ConvertError(".kube units are not supported yet");
  },
};
