import type { Organisation } from '../model/organisation.js';
import type { Role } from '../model/role.js';
import type { AuthKey, User } from '../model/user.js';

export interface NewOrganisation {
  uuid: string;
  name: string;
  description?: string | null;
  type?: string | null;
  nationality?: string | null;
  sector?: string | null;
  contacts?: string | null;
  local: boolean;
  createdBy: number;
  restrictedToDomain?: readonly string[];
  landingpage?: string | null;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  orgId: number;
  roleId: number;
  legacyKeyHash: string;
  legacyKeyStart: string;
  legacyKeyEnd: string;
  autoalert?: boolean;
  contactalert?: boolean;
  disabled?: boolean;
  changePw?: boolean;
  termsaccepted?: boolean;
  nidsSid?: number;
  invitedBy: number;
  gpgkey?: string | null;
  now: number;
}

export interface NewAuthKey {
  uuid: string;
  hash: string;
  start: string;
  end: string;
  created: number;
  expiration: number;
  readOnly: boolean;
  userId: number;
  comment: string;
  allowedIps: readonly string[] | null;
}

export interface NewRole {
  id?: number;
  name: string;
  perms: Role['perms'];
  defaultRole: boolean;
  memoryLimit?: string;
  maxExecutionTime?: string;
  restrictedToSiteAdmin?: boolean;
  enforceRateLimit?: boolean;
  rateLimitCount?: number;
  created: string;
}

/** A stored key hash with the row it authenticates; the hash never leaves storage otherwise. */
export interface KeyCandidate {
  readonly hash: string;
  readonly userId: number;
  readonly authKey: AuthKey | null;
}

/** Identity persistence: organisations, roles, users, API keys. */
export interface IdentityStore {
  countUsers(): Promise<number>;
  findOrganisation(ref: { id: number } | { uuid: string } | { name: string }): Promise<Organisation | undefined>;
  createOrganisation(org: NewOrganisation, now: string): Promise<Organisation>;
  findRole(id: number): Promise<Role | undefined>;
  listRoles(): Promise<Role[]>;
  createRole(role: NewRole): Promise<Role>;
  findUser(ref: { id: number } | { email: string }): Promise<User | undefined>;
  createUser(user: NewUser): Promise<User>;
  /** Candidate keys (advanced and legacy) whose first and last four characters match. */
  findKeyCandidates(start: string, end: string, now: number): Promise<KeyCandidate[]>;
  createAuthKey(key: NewAuthKey): Promise<AuthKey>;
  findPasswordHash(userId: number): Promise<string | undefined>;
}
