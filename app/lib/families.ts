/** The headline families users asked to find quickly in every template where they apply. */
export const FAMILIES = ["iha-timeliness", "smart-plans", "voice-of-the-child", "significant-males", "chronology"] as const;
export type Family = (typeof FAMILIES)[number];

export const FAMILY_LABELS: Record<Family, string> = {
  "iha-timeliness": "IHA and health assessment timeliness",
  "smart-plans": "SMART plans",
  "voice-of-the-child": "Voice of the child",
  "significant-males": "Fathers and significant males",
  chronology: "Chronologies",
};
