import type { Organisation } from '../model/organisation.js';
import type { Role } from '../model/role.js';
import type { UserSetting } from '../model/user-setting.js';
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

/** Columns admin/organisations/edit may change (OrganisationsController::admin_edit $changeFields). */
export type OrganisationPatch = Partial<Pick<NewOrganisation,
  'uuid' | 'name' | 'description' | 'type' | 'nationality' | 'sector' | 'contacts' | 'local' | 'restrictedToDomain'>>;

export interface NewUser {
  email: string;
  passwordHash: string;
  orgId: number;
  roleId: number;
  legacyKeyHash: string;
  legacyKeyStart: string;
  legacyKeyEnd: string;
  serverId?: number;
  autoalert?: boolean;
  contactalert?: boolean;
  disabled?: boolean;
  changePw?: boolean;
  termsaccepted?: boolean;
  nidsSid?: number;
  invitedBy: number;
  gpgkey?: string | null;
  certifPublic?: string | null;
  externalAuthRequired?: boolean;
  externalAuthKey?: string | null;
  notificationDaily?: boolean;
  notificationWeekly?: boolean;
  notificationMonthly?: boolean;
  now: number;
}

/** Writable user columns; `passwordHash` and the legacy key hints are secrets that only storage sees again. */
export interface UserPatch {
  email?: string;
  passwordHash?: string;
  orgId?: number;
  roleId?: number;
  serverId?: number;
  autoalert?: boolean;
  contactalert?: boolean;
  disabled?: boolean;
  changePw?: boolean;
  termsaccepted?: boolean;
  nidsSid?: number;
  gpgkey?: string | null;
  certifPublic?: string | null;
  expiration?: string | null;
  externalAuthRequired?: boolean;
  externalAuthKey?: string | null;
  notificationDaily?: boolean;
  notificationWeekly?: boolean;
  notificationMonthly?: boolean;
  forceLogout?: boolean;
  lastPwChange?: number;
  legacyKey?: { hash: string; start: string; end: string };
}

/** admin/users/index filters (UsersController::admin_index search* named params). */
export interface UserFilter {
  /** Only these organisations (org admins are pinned to their own). */
  orgIds?: readonly number[];
  notOrgIds?: readonly number[];
  /** Substring of e-mail, organisation name or role name (`value:` / `searchall:`). */
  all?: string;
  /** Any of these e-mail substrings. */
  emailLike?: readonly string[];
  roleIds?: readonly number[];
  disabled?: boolean;
  autoalert?: boolean;
  contactalert?: boolean;
  termsaccepted?: boolean;
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

export type AuthKeyPatch = Partial<Pick<NewAuthKey, 'comment' | 'expiration' | 'readOnly' | 'allowedIps'>>;

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

export type RolePatch = Partial<Omit<NewRole, 'id' | 'created' | 'defaultRole'>> & { modified: string };

/** A stored key hash with the row it authenticates; the hash never leaves storage otherwise. */
export interface KeyCandidate {
  readonly hash: string;
  readonly userId: number;
  readonly authKey: AuthKey | null;
}

export interface OrganisationQueries {
  findOrganisation(ref: { id: number } | { uuid: string } | { name: string }): Promise<Organisation | undefined>;
  /** By id, in one query (for index pages that show many users' organisations). */
  findOrganisations(ids: readonly number[]): Promise<Organisation[]>;
  /** `local` undefined = every organisation; `search` is a case-insensitive substring of MISP's searchall columns. */
  listOrganisations(filter: { local?: boolean; search?: string }): Promise<Organisation[]>;
  createOrganisation(org: NewOrganisation, now: string): Promise<Organisation>;
  /**
   * Inserts unless an organisation with its uuid or its name exists (then undefined): organisations captured from
   * incoming events, where two requests naming the same new org at once are no error.
   */
  insertOrganisationIfNew(org: NewOrganisation, now: string): Promise<Organisation | undefined>;
  updateOrganisation(id: number, patch: OrganisationPatch, now: string): Promise<Organisation>;
  /** Users per organisation id (organisations/index `user_count`). */
  countUsersByOrg(orgIds: readonly number[]): Promise<Map<number, number>>;
  /** Events owned or created by the organisation (Organisation::beforeDelete refuses then). */
  countOrganisationEvents(orgId: number): Promise<number>;
  /** Deletes the organisation and its sharing-group memberships. */
  deleteOrganisation(id: number): Promise<void>;
}

export interface RoleQueries {
  findRole(id: number): Promise<Role | undefined>;
  findRoleByName(name: string): Promise<Role | undefined>;
  listRoles(): Promise<Role[]>;
  createRole(role: NewRole): Promise<Role>;
  updateRole(id: number, patch: RolePatch): Promise<Role>;
  deleteRole(id: number): Promise<void>;
  /** Makes `id` the only default role; null leaves no default (admin/roles/set_default without id). */
  setDefaultRole(id: number | null): Promise<void>;
  countUsersWithRole(roleId: number): Promise<number>;
}

/** A user with their role and organisation as one read gives them (either is undefined when its row is gone). */
export interface UserContext {
  readonly user: User;
  readonly role: Role | undefined;
  readonly org: Organisation | undefined;
}

export interface UserQueries {
  countUsers(): Promise<number>;
  findUser(ref: { id: number } | { email: string }): Promise<User | undefined>;
  /**
   * The user with their role and organisation, in one statement: every authenticated request reads the three, and on
   * PostgreSQL each statement is a round trip (the role and organisation were a second one, read in parallel).
   */
  findUserContext(id: number): Promise<UserContext | undefined>;
  findUsers(ids: readonly number[]): Promise<User[]>;
  listUsers(filter: UserFilter): Promise<User[]>;
  createUser(user: NewUser): Promise<User>;
  updateUser(id: number, patch: UserPatch, now: number): Promise<User>;
  /** Deletes the user with their auth keys and settings. */
  deleteUser(id: number): Promise<void>;
  findPasswordHash(userId: number): Promise<string | undefined>;
}

export interface AuthKeyQueries {
  /** Candidate keys (advanced, expired ones included, and legacy) whose first and last four characters match. */
  findKeyCandidates(start: string, end: string): Promise<KeyCandidate[]>;
  createAuthKey(key: NewAuthKey): Promise<AuthKey>;
  findAuthKey(id: number): Promise<AuthKey | undefined>;
  /** Keys of the given users (undefined = all users), newest first. */
  listAuthKeys(userIds?: readonly number[]): Promise<AuthKey[]>;
  updateAuthKey(id: number, patch: AuthKeyPatch): Promise<AuthKey>;
  deleteAuthKey(id: number): Promise<void>;
  /** Sets `expiration = now` on every key of the user that has not expired yet (User::resetauthkey). */
  expireUserKeys(userId: number, now: number): Promise<void>;
}

export interface UserSettingQueries {
  /** Filters combine with AND; `userIds` undefined = every user. */
  listUserSettings(filter: { userIds?: readonly number[]; setting?: string; excludeSettings?: readonly string[] }): Promise<UserSetting[]>;
  findUserSetting(ref: { id: number } | { userId: number; setting: string }): Promise<UserSetting | undefined>;
  /** Inserts or replaces the user's value (JSON text) for `setting`. */
  upsertUserSetting(userId: number, setting: string, valueJson: string, now: number): Promise<UserSetting>;
  deleteUserSetting(id: number): Promise<void>;
}

/** Identity persistence: organisations, roles, users, API keys and per-user settings. */
export interface IdentityStore extends OrganisationQueries, RoleQueries, UserQueries, AuthKeyQueries, UserSettingQueries {}
