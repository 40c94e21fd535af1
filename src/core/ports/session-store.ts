/**
 * A browser session (spec §0.3, form login). Only the SHA-256 of the random session id is stored, so a
 * leaked table cannot be replayed as cookies.
 */
export interface SessionRow {
  readonly idHash: string;
  readonly userId: number;
  readonly created: number;
  /** Last request seen (idle expiry). */
  readonly lastSeen: number;
  /** Absolute expiry, Unix seconds. */
  readonly expires: number;
  readonly ip: string;
}

/** Sessions plus MISP's `bruteforces` rows (app/Model/Bruteforce.php), the two halves of form login. */
export interface SessionStore {
  createSession(row: SessionRow): Promise<void>;
  findSession(idHash: string): Promise<SessionRow | undefined>;
  touchSession(idHash: string, now: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Every session of the user (force logout, password change, deletion). */
  deleteUserSessions(userId: number): Promise<void>;
  /** users.last_login ← current_login, current_login ← now (User::updateLoginTimes); not a profile edit. */
  recordLogin(userId: number, now: number): Promise<void>;
  /** One failed login: (ip, lower-cased username) until `expire`. */
  addLoginFailure(ip: string, username: string, expire: number): Promise<void>;
  /** Drops expired failures, then counts the remaining ones of (ip, username) (Bruteforce::isBlocklisted). */
  countLoginFailures(ip: string, username: string, now: number): Promise<number>;
}
