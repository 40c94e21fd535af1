import type { Organisation } from './organisation.js';
import type { Role } from './role.js';

/** A user account (spec §1.3). Secrets (password hash, key hashes) never leave storage through this type. */
export interface User {
  readonly id: number;
  readonly email: string;
  readonly orgId: number;
  readonly roleId: number;
  readonly serverId: number;
  readonly autoalert: boolean;
  readonly contactalert: boolean;
  readonly disabled: boolean;
  readonly expiration: string | null;
  readonly gpgkey: string | null;
  readonly certifPublic: string | null;
  readonly nidsSid: number;
  readonly termsaccepted: boolean;
  readonly changePw: boolean;
  readonly currentLogin: number;
  readonly lastLogin: number;
  readonly lastApiAccess: number;
  readonly dateCreated: number;
  readonly dateModified: number;
  readonly lastPwChange: number;
  readonly invitedBy: number;
  readonly notificationDaily: boolean;
  readonly notificationWeekly: boolean;
  readonly notificationMonthly: boolean;
  readonly forceLogout: boolean;
  readonly externalAuthRequired: boolean;
  readonly externalAuthKey: string | null;
  readonly sub: string | null;
}

/** An advanced auth key (spec §0.3, §1.3); `authkey` itself is a hash and stays in storage. */
export interface AuthKey {
  readonly id: number;
  readonly uuid: string;
  readonly authkeyStart: string;
  readonly authkeyEnd: string;
  readonly created: number;
  readonly expiration: number;
  readonly readOnly: boolean;
  readonly userId: number;
  readonly comment: string;
  readonly allowedIps: readonly string[] | null;
  readonly uniqueIps: readonly string[];
}

/**
 * Who is acting: the authenticated user with their organisation and *effective* role
 * (a read-only key clears every flag but perm_auth and perm_audit, spec §0.3 step 4).
 */
export interface Actor {
  readonly user: User;
  readonly org: Organisation;
  readonly role: Role;
  readonly authKey: AuthKey | null;
  readonly isSiteAdmin: boolean;
}
