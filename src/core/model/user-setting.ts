/**
 * A per-user setting (spec §1.3, §3.13). `value` is the decoded JSON MISP stores in the text column
 * (UserSetting::afterFind decodes it), so `1` stays a number and filters stay objects.
 */
export interface UserSetting {
  readonly id: number;
  readonly setting: string;
  readonly value: unknown;
  readonly userId: number;
  readonly timestamp: number;
}
