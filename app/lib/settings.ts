/**
 * Local rules: timescales that are not statutory (or not stated in the source reports),
 * which a deployment may change. Templates refer to them as `{ setting: <id> }`.
 *
 * An audit pins the values in force when it was created, so changing a setting later never
 * changes an existing audit's scores.
 */

export type SettingDefinition = {
  /** What the number means, as a phrase completed by the value and unit. */
  label: string;
  unit: "working days" | "calendar days" | "weeks" | "months";
  default: number;
  min: number;
  max: number;
  /** Where the default comes from, and why it is a local setting. */
  source: string;
};

export const SETTINGS = {
  "iha-request-working-days": {
    label: "The local authority's IHA request reaches the health team within",
    unit: "working days",
    default: 5,
    min: 0,
    max: 60,
    source:
      "Local protocol. Neither statutory guidance nor the five reports set a number (TH §4.2 and HAR §5.1.6 discuss notification without one).",
  },
  "booking-before-weeks": {
    label: "Pregnancy booked before",
    unit: "weeks",
    default: 12,
    min: 6,
    max: 24,
    source: "ROT §1.16 (booked before 12 weeks). NICE antenatal care aims for about 10 weeks: a deployment may choose 10.",
  },
  "hv-antenatal-from-weeks": {
    label: "Health visitor antenatal contact for vulnerable women from",
    unit: "weeks",
    default: 28,
    min: 12,
    max: 40,
    source: "LUT §1.3 and R3.2 (antenatal visit at 28 weeks). The Healthy Child Programme leaves the timing to local commissioning.",
  },
  "ed-notification-working-days": {
    label: "An emergency department attendance notification reaches the health visitor or school nurse within",
    unit: "working days",
    default: 5,
    min: 0,
    max: 60,
    source: "Local standard. The reports give none; BAR §1.15 calls a 4 to 6 week delay unacceptable.",
  },
  "core-group-working-days": {
    label: "First core group meeting held within",
    unit: "working days",
    default: 10,
    min: 1,
    max: 60,
    source: "Working Together to Safeguard Children (10 working days after the initial conference); confirm against the current edition.",
  },
  "sdq-months-before-assessment": {
    label: "SDQ completed no more than this long before the health assessment:",
    unit: "months",
    default: 12,
    min: 1,
    max: 24,
    source: "Statutory guidance on the health of looked-after children (annual SDQ); domain.md rule 11. The reports give no number.",
  },
  "care-leaver-followup-months": {
    label: "Health follow-up contact after leaving care within",
    unit: "months",
    default: 12,
    min: 1,
    max: 36,
    source: "LUT §4.5 (one follow-up contact in the first year after leaving care).",
  },
  "camhs-assessment-days": {
    label: "CAMHS initial assessment within",
    unit: "calendar days",
    default: 28,
    min: 1,
    max: 180,
    source: "LUT §1.16 (28-day target for initial assessment). Local commissioning sets the real target.",
  },
  "camhs-triage-letter-working-days": {
    label: "CAMHS triage outcome letter sent within",
    unit: "working days",
    default: 5,
    min: 1,
    max: 30,
    source: "ROT §2.5 (outcome letter within 5 working days).",
  },
  "gp-information-working-days": {
    label: "GP practice replies to a request for health assessment information within",
    unit: "working days",
    default: 10,
    min: 1,
    max: 60,
    source: "Local standard. The reports give none (ROT §4.6, LUT §4.14 found GP information missing).",
  },
} as const satisfies Record<string, SettingDefinition>;

export type SettingId = keyof typeof SETTINGS;
export type SettingValues = Partial<Record<string, number>>;

export function isSettingId(id: string): id is SettingId {
  return Object.prototype.hasOwnProperty.call(SETTINGS, id);
}

/** Every setting's default value. */
export function defaultSettings(): Record<SettingId, number> {
  return Object.fromEntries(Object.entries(SETTINGS).map(([id, s]) => [id, s.default])) as Record<SettingId, number>;
}

/**
 * The value of an amount in a rule: a number as it is, or a setting's value from `values`
 * (an audit's pinned settings), falling back to the setting's default.
 */
export function resolveAmount(amount: number | { setting: string }, values: SettingValues = {}): number {
  if (typeof amount === "number") return amount;
  const v = values[amount.setting];
  if (typeof v === "number") return v;
  if (!isSettingId(amount.setting)) throw new Error(`Unknown setting "${amount.setting}"`);
  return SETTINGS[amount.setting].default;
}
