/** An organisation (spec §1.3). `local` = has users here; 0 = known only through sync. */
export interface Organisation {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly dateCreated: string;
  readonly dateModified: string;
  readonly description: string | null;
  readonly type: string | null;
  readonly nationality: string | null;
  readonly sector: string | null;
  readonly createdBy: number;
  readonly contacts: string | null;
  readonly local: boolean;
  readonly restrictedToDomain: readonly string[];
  readonly landingpage: string | null;
}
