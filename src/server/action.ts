import type { Chunk } from '../core/util/utf8-join.js';
import type { Actor } from '../core/model/user.js';
import type { PermFlag } from '../core/model/role.js';
import type { AnonymousContext, RequestContext } from '../core/context.js';

/**
 * An ACL rule as in MISP's ACLComponent::ACL_LIST (spec §4.4): '*' any authenticated user, a perm flag,
 * {AND|OR: [...]}, or 'SA' (site admin only). Dynamic pseudo-flags are evaluated by the dispatcher.
 */
export type PseudoFlag = 'not_read_only_authkey' | 'self_management_enabled' | 'add_user_enabled' | 'host_org_user'
  | 'organisation_index' | 'password_change_enabled' | 'delegation_enabled';
export type AclRule = '*' | 'SA' | PermFlag | PseudoFlag | { readonly AND: readonly AclRule[] } | { readonly OR: readonly AclRule[] };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';

export interface ActionRequest {
  readonly ctx: RequestContext;
  readonly actor: Actor;
  readonly method: HttpMethod;
  /** Path without query string, as requested (used for `url` in MISP envelopes). */
  readonly url: string;
  readonly passed: readonly string[];
  readonly named: Readonly<Record<string, string | string[]>>;
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Parsed JSON body with `{"request": …}` stripped; undefined when there was none. */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly ip: string;
}

/** What a handler returns: a JSON value (200), or a full response. */
export type ActionResult =
  | { readonly kind: 'response'; readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'text'; readonly status: number; readonly body: string; readonly contentType: string; readonly headers?: Readonly<Record<string, string>> }
  | StreamResult
  | unknown;

/** The API description MISP returns for a REST GET on add/edit actions (RestResponseComponent::describe). */
export interface ApiDescription {
  readonly description?: string;
  readonly mandatory: readonly string[];
  readonly optional: readonly string[];
}

interface ActionBase {
  /** Controller in URL form (`events`, `sharing_groups`); matched after normaliseName. */
  readonly controller: string;
  readonly action: string;
  readonly admin?: boolean;
  readonly methods: readonly HttpMethod[];
}

/** An action behind authentication (an API key, or a browser session plus CSRF token) and an ACL rule. */
export interface ActionDef extends ActionBase {
  readonly auth?: undefined;
  readonly acl: AclRule;
  /** When set, a GET answers MISP's API description instead of running the action. */
  readonly describe?: ApiDescription;
  readonly handler: (req: ActionRequest) => Promise<ActionResult> | ActionResult;
}

/** What an `auth: 'none'` action receives: nobody is authenticated. */
export interface PublicRequest extends Omit<ActionRequest, 'ctx' | 'actor'> {
  readonly ctx: AnonymousContext;
}

/**
 * An action anyone may call (MISP's Auth->allow list: users/login, users/logout, users/register). It gets no
 * actor, so it cannot act on anyone's behalf by mistake.
 */
export interface PublicActionDef extends ActionBase {
  readonly auth: 'none';
  readonly handler: (req: PublicRequest) => Promise<ActionResult> | ActionResult;
}

export type AnyActionDef = ActionDef | PublicActionDef;

export const response = (status: number, body: unknown, headers?: Record<string, string>): ActionResult => ({
  kind: 'response', status, body, ...(headers ? { headers } : {}),
});

export const text = (body: string, contentType = 'text/plain; charset=UTF-8', status = 200): ActionResult => ({
  kind: 'text', status, body, contentType,
});

export function isFullResponse(r: ActionResult): r is { kind: 'response'; status: number; body: unknown; headers?: Record<string, string> } {
  return typeof r === 'object' && r !== null && (r as { kind?: unknown }).kind === 'response';
}
/**
 * A body written while it is produced (restSearch exports): string chunks pulled one at a time, so a response of
 * any size never sits in memory. Produce every error before returning it: once the first chunk is sent the status
 * is committed.
 */
export interface StreamResult {
  readonly kind: 'stream';
  readonly status: number;
  readonly body: AsyncIterable<Chunk> | Iterable<Chunk>;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export const stream = (body: AsyncIterable<Chunk> | Iterable<Chunk>, contentType: string, headers?: Record<string, string>): ActionResult => ({
  kind: 'stream', status: 200, body, contentType, ...(headers ? { headers } : {}),
});

export function isStreamResponse(r: ActionResult): r is StreamResult {
  return typeof r === 'object' && r !== null && (r as { kind?: unknown }).kind === 'stream';
}
export function isTextResponse(r: ActionResult): r is { kind: 'text'; status: number; body: string; contentType: string; headers?: Record<string, string> } {
  return typeof r === 'object' && r !== null && (r as { kind?: unknown }).kind === 'text';
}

/** MISP's saveSuccessResponse envelope (spec §0.4). */
export function success(message: string, url: string, id?: number | string): unknown {
  return { saved: true, success: true, name: message, message, url, ...(id !== undefined ? { id: String(id) } : {}) };
}

/** Helper for route files: one place to build a controller's action list. */
export function controller(name: string, actions: Array<Omit<ActionDef, 'controller'>>): ActionDef[] {
  return actions.map((a) => ({ ...a, controller: name }));
}

/** The same for actions without authentication. */
export function publicController(name: string, actions: Array<Omit<PublicActionDef, 'controller' | 'auth'>>): PublicActionDef[] {
  return actions.map((a) => ({ ...a, controller: name, auth: 'none' }));
}
