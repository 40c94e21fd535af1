import type { Actor } from './model/user.js';
import type { Settings } from './settings/settings.js';

/**
 * What every domain operation receives first (OpenCTI's `(context, user)` discipline): who acts,
 * the settings in force and "now", so that ACL can never be forgotten at a call site.
 */
export interface RequestContext {
  readonly actor: Actor;
  readonly settings: Settings;
  /** Unix seconds, fixed for the whole request. */
  readonly now: number;
  /** External base URL of this instance, without trailing slash. */
  readonly baseUrl: string;
  /** Client address, recorded in the audit log (spec §1.4 audit_logs.ip). */
  readonly ip?: string;
  /** How the actor authenticated: an API key (MISP request_type 1) or a browser session (0). */
  readonly authType?: 'key' | 'session';
}

/** The context of an action that runs without authentication (users/login, users/register). */
export type AnonymousContext = Omit<RequestContext, 'actor'>;
