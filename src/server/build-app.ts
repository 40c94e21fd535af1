import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AnonymousContext, RequestContext } from '../core/context.js';
import { DomainError, ErrorCode } from '../core/errors.js';
import { ACL_DENIED, aclAllows } from './acl.js';
import { type ActionRequest, type ActionResult, type AnyActionDef, type HttpMethod, isFullResponse, isStreamResponse, isTextResponse } from './action.js';
import type { AppDeps } from './app-deps.js';
import { type CakePath, normaliseName, parseCakePath } from './cake-path.js';
import { INVALID_BODY, invalidJson, registerBodyParsing } from './plugins/body.js';
import { errorReply } from './plugins/error-response.js';
import { assertCsrf, authenticateRequest, csrfTokenFor } from './plugins/session.js';
import { allActions } from './routes/index.js';

type Registry = Map<string, AnyActionDef>;

const key = (admin: boolean, controller: string, action: string) => `${admin ? 'admin/' : ''}${controller}/${action}`;

function buildRegistry(actions: readonly AnyActionDef[]): Registry {
  const reg: Registry = new Map();
  for (const a of actions) {
    const k = key(a.admin ?? false, normaliseName(a.controller), normaliseName(a.action));
    if (reg.has(k)) throw new Error(`duplicate action ${k}`);
    reg.set(k, a);
  }
  return reg;
}

/**
 * CakePHP routes `/events/<id>` to the view action (MISP's Location header for an existing event points
 * there): when the "action" is an id or uuid and the controller has `view`, dispatch to it.
 */
function resolveAction(registry: Registry, path: CakePath): { def: AnyActionDef; passed: readonly string[] } | undefined {
  const def = registry.get(key(path.admin, path.controller, path.action));
  if (def) return { def, passed: path.passed };
  if (!/^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(path.action)) return undefined;
  const view = registry.get(key(path.admin, path.controller, 'view'));
  return view && { def: view, passed: [path.action, ...path.passed] };
}

/** Strips MISP's optional `{"request": …}` wrapper (spec §0.2). */
function unwrapRequest(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'request' in body && Object.keys(body).length === 1) {
    return (body as { request: unknown }).request;
  }
  return body;
}

const registries = new WeakMap<FastifyInstance, Registry>();

/** Every action an app serves (tests iterate them, e.g. to prove no private action answers anonymously). */
export function registeredActions(app: FastifyInstance): AnyActionDef[] {
  return [...(registries.get(app)?.values() ?? [])];
}

/**
 * Builds the HTTP app (never listens itself). Every request goes through one catch-all route that
 * parses MISP's CakePHP URL grammar, authenticates, checks the ACL rule and runs the action.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    logger: deps.logLevel === 'silent' ? false : {
      level: deps.logLevel,
      redact: ['req.headers.authorization', 'req.headers["x-misp-auth"]', 'req.headers.cookie'],
    },
    bodyLimit: deps.maxBodyBytes,
    exposeHeadRoutes: false,
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true },
  });
  registerBodyParsing(app);
  const registry = buildRegistry(allActions(deps));
  registries.set(app, registry);

  app.setErrorHandler((err, req, reply) => {
    const url = req.url.split('?')[0]!;
    const mapped = errorReply(err, url, deps.baseUrl);
    if (mapped) return reply.status(mapped.status).headers(mapped.headers).send(mapped.body);
    const e = err as { code?: string; statusCode?: number; message?: string };
    const code = e.code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const message = `Request body too large (limit ${deps.maxBodyBytes} bytes).`;
      return reply.status(413).send({ name: message, message, url });
    }
    const status = e.statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ name: e.message, message: e.message, url });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ name: 'An Internal Error Has Occurred.', message: 'An Internal Error Has Occurred.', url });
  });

  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'HEAD'],
    url: '/*',
    handler: (req, reply) => dispatch(req, reply, registry, deps),
  });
  return app;
}

function query(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function assertMethod(def: AnyActionDef, method: HttpMethod): void {
  const allowed = method === 'HEAD' ? def.methods.includes('GET') || def.methods.includes('HEAD') : def.methods.includes(method)
    || (method === 'PUT' && def.methods.includes('POST'));
  if (!allowed) throw new DomainError(ErrorCode.NotAllowed, `This endpoint expects a ${def.methods.filter((m) => m !== 'HEAD').join(' or ')} request.`);
}

async function dispatch(req: FastifyRequest, reply: FastifyReply, registry: Registry, deps: AppDeps): Promise<unknown> {
  const [pathname = '/', search = ''] = req.url.split('?');
  const path = parseCakePath(pathname);
  if (!path) return reply.status(404).send({ name: 'Not Found', message: 'Not Found', url: pathname });
  const resolved = resolveAction(registry, path);
  const def = resolved?.def;
  const method = req.method as HttpMethod;
  const base: AnonymousContext = { settings: deps.settings.current(), now: Math.floor(Date.now() / 1000), baseUrl: deps.baseUrl, ip: req.ip };
  const request = {
    method, url: pathname, passed: resolved?.passed ?? path.passed, named: path.named, query: query(search), body: unwrapRequest(req.body), headers: req.headers, ip: req.ip,
  };
  if (def?.auth === 'none') {
    if (req.body === INVALID_BODY) throw invalidJson();
    assertMethod(def, method);
    return send(reply, method, await def.handler({ ...request, ctx: base }));
  }

  // Authenticate before looking the action up, so an anonymous caller learns nothing about the API.
  const auth = await authenticateRequest(req, deps, base, path.ext);
  if ('redirect' in auth) return reply.status(302).header('location', auth.redirect).send();
  const { actor } = auth;
  if (!def) {
    const known = [...registry.keys()].some((k) => k.startsWith(`${path.admin ? 'admin/' : ''}${path.controller}/`));
    const message = known
      ? `Action ${path.controller}::${path.action}() could not be found.`
      : `Controller class ${path.controller} could not be found.`;
    throw new DomainError(ErrorCode.NotFound, message);
  }

  const ctx: RequestContext = { ...base, actor, authType: auth.authType };
  if (!aclAllows(def.acl, ctx)) throw new DomainError(ErrorCode.Forbidden, ACL_DENIED);
  if (req.body === INVALID_BODY) throw invalidJson();
  assertCsrf(req, deps, auth, req.body);

  if (method === 'GET' && def.describe && !def.methods.includes('GET')) {
    return reply.send({
      name: `/${def.controller}/${def.action} API description`,
      description: def.describe.description ?? `POST a JSON object to /${def.controller}/${def.action}.`,
      mandatory_fields: def.describe.mandatory,
      optional_fields: def.describe.optional,
      url: `/${def.admin ? 'admin/' : ''}${def.controller}/${def.action}`,
    });
  }
  assertMethod(def, method);

  const actionReq: ActionRequest = { ...request, ctx, actor };
  const result = await def.handler(actionReq);
  if (actor.authKey?.expiration) reply.header('X-Auth-Key-Expiration', new Date(actor.authKey.expiration * 1000).toISOString());
  if (ctx.settings.bool('Security.username_in_response_header')) {
    reply.header('X-Username', actor.user.email).header('X-UserOrgUUID', actor.org.uuid);
  }
  const csrf = csrfTokenFor(deps, auth);
  if (csrf) reply.header('X-CSRF-Token', csrf);
  return send(reply, method, result);
}

function send(reply: FastifyReply, method: HttpMethod, result: ActionResult): FastifyReply {
  if (isFullResponse(result)) {
    reply.status(result.status);
    if (result.headers) reply.headers(result.headers);
    return method === 'HEAD' ? reply.send() : reply.send(result.body);
  }
  if (isTextResponse(result)) {
    reply.status(result.status).type(result.contentType);
    if (result.headers) reply.headers(result.headers);
    return reply.send(method === 'HEAD' ? undefined : result.body);
  }
  if (isStreamResponse(result)) {
    reply.status(result.status).type(result.contentType);
    if (result.headers) reply.headers(result.headers);
    // Readable.from pulls the next chunk only when the socket drains: backpressure bounds the memory.
    return reply.send(method === 'HEAD' ? undefined : Readable.from(result.body));
  }
  if (method === 'HEAD') return reply.status(200).send();
  return reply.type('application/json; charset=UTF-8').send(JSON.stringify(result));
}
