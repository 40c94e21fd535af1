/**
 * The layer rules of README.md ("Layout"), checked on every .ts file under src/: the import directions are the
 * architecture, so they are tested rather than only written down (docs/architecture-and-style.md, convention 1).
 * A failure names the file, the line and the import.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { importSpecifiers, type ImportRef } from './support/import-scan.js';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

const LAYERS = ['core', 'storage', 'server', 'app', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/** Database drivers, the HTTP framework and message transports: adapters, which only storage/server/app may touch. */
const DB_PACKAGES = ['kysely', 'pg', 'better-sqlite3'];
const HTTP_PACKAGES = ['fastify', '@fastify/*'];
const TRANSPORT_PACKAGES = ['ioredis', 'zeromq', 'bullmq', 'nodemailer'];

interface LayerRule {
  /** Layers of src/ this layer must not import (relative imports resolving there). */
  readonly forbiddenLayers: readonly Layer[];
  /** Package names (`@scope/*` for a whole scope) this layer must not import. */
  readonly forbiddenPackages: readonly string[];
  /** Layers this layer may import only with `import type` (erased at runtime). */
  readonly typeOnlyLayers?: readonly Layer[];
}

/** README.md "Layout": who may import what. */
const RULES: Record<Layer, LayerRule> = {
  core: {
    forbiddenLayers: ['storage', 'server', 'app', 'cli'],
    forbiddenPackages: [...DB_PACKAGES, ...HTTP_PACKAGES, ...TRANSPORT_PACKAGES],
  },
  storage: {
    forbiddenLayers: ['server', 'app', 'cli'],
    forbiddenPackages: [...HTTP_PACKAGES],
  },
  server: {
    forbiddenLayers: ['storage', 'app', 'cli'],
    forbiddenPackages: [...DB_PACKAGES],
  },
  app: { forbiddenLayers: [], forbiddenPackages: [] },
  cli: {
    // The cli talks to the composition root only; core may be named in types (e.g. a Config or result shape).
    forbiddenLayers: ['storage', 'server'],
    typeOnlyLayers: ['core'],
    forbiddenPackages: [...DB_PACKAGES, ...HTTP_PACKAGES, ...TRANSPORT_PACKAGES],
  },
};

interface Violation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly reason: string;
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function matchesPackage(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('/*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

function layerOf(absPath: string): Layer | undefined {
  const rel = relative(SRC, absPath);
  if (rel.startsWith('..')) return undefined;
  const top = rel.split(sep)[0];
  return (LAYERS as readonly string[]).includes(top!) ? (top as Layer) : undefined;
}

/** The rule violations of one import of `file` (a path relative to the repository root). */
function checkImport(file: string, ref: ImportRef): Violation[] {
  const abs = join(ROOT, file);
  const from = layerOf(abs);
  const out: Violation[] = [];
  const add = (reason: string) => out.push({ file, line: ref.line, specifier: ref.specifier, reason });
  if (from === undefined) {
    add(`file is outside the layers ${LAYERS.join(', ')}: add it to a layer or give the new layer a rule`);
    return out;
  }
  const rule = RULES[from];
  const spec = ref.specifier;
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = resolve(dirname(abs), spec);
    const to = layerOf(target);
    if (to === undefined) {
      // Production code must not reach into test/, bench/ or scripts/; tests beside the code may use test support.
      if (!file.endsWith('.test.ts')) add(`${from} imports ${relative(ROOT, target)}, outside src/`);
    } else if (rule.forbiddenLayers.includes(to)) {
      add(`${from} must not import ${to}`);
    } else if (rule.typeOnlyLayers?.includes(to) && !ref.typeOnly) {
      add(`${from} may import ${to} only with \`import type\``);
    }
    return out;
  }
  if (spec.startsWith('node:') || builtinModules.includes(spec)) return out;
  const name = packageName(spec);
  if (matchesPackage(name, rule.forbiddenPackages)) add(`${from} must not import the package ${name}`);
  return out;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function violationsIn(files: readonly string[]): Violation[] {
  return files.flatMap((abs) => {
    const file = relative(ROOT, abs).split(sep).join('/');
    return importSpecifiers(readFileSync(abs, 'utf8')).flatMap((ref) => checkImport(file, ref));
  });
}

function report(vs: readonly Violation[]): string {
  return vs.map((v) => `  ${v.file}:${v.line} imports '${v.specifier}': ${v.reason}`).join('\n');
}

describe('architecture: layer import rules (README.md "Layout")', () => {
  const files = sourceFiles(SRC);

  it('finds the source files and their imports', () => {
    // Guards against a scanner that silently finds nothing (which would make every rule below pass).
    assert.ok(files.length > 20, `only ${files.length} .ts files under src/`);
    const imports = files.flatMap((f) => importSpecifiers(readFileSync(f, 'utf8')));
    assert.ok(imports.some((r) => r.specifier === 'fastify'), 'no file imports fastify: the scanner is broken');
    assert.ok(imports.some((r) => r.specifier === 'kysely'), 'no file imports kysely: the scanner is broken');
  });

  it('every file under src/ belongs to a layer', () => {
    const stray = files.filter((f) => layerOf(f) === undefined).map((f) => relative(ROOT, f));
    assert.deepEqual(stray, [], `files outside ${LAYERS.join(', ')}:\n  ${stray.join('\n  ')}`);
  });

  for (const layer of LAYERS) {
    it(`${layer} imports only what its layer may`, () => {
      const vs = violationsIn(files.filter((f) => layerOf(f) === layer));
      assert.equal(vs.length, 0, `${vs.length} forbidden import(s) in src/${layer}:\n${report(vs)}`);
    });
  }
});

describe('architecture: the checker itself', () => {
  const v = (file: string, specifier: string, typeOnly = false) =>
    checkImport(file, { specifier, line: 1, typeOnly }).map((x) => x.reason);

  it('flags adapters and outer layers imported by core', () => {
    assert.equal(v('src/core/events/event-service.ts', 'kysely').length, 1);
    assert.equal(v('src/core/events/event-service.ts', 'fastify').length, 1);
    assert.equal(v('src/core/events/event-service.ts', '@fastify/cookie').length, 1);
    assert.equal(v('src/core/events/event-service.ts', 'pg/lib/index.js').length, 1);
    assert.equal(v('src/core/events/event-service.ts', '../../storage/dialect.js').length, 1);
    assert.equal(v('src/core/events/event-service.ts', '../../app/config.js').length, 1);
    assert.deepEqual(v('src/core/events/event-service.ts', '../model/event.js'), []);
    assert.deepEqual(v('src/core/events/event-service.ts', 'zod'), []);
    assert.deepEqual(v('src/core/events/event-service.ts', 'node:crypto'), []);
  });

  it('flags storage in server, server in storage, and cli importing core at runtime', () => {
    assert.equal(v('src/server/routes/events-routes.ts', '../../storage/db-schema.js', true).length, 1);
    assert.equal(v('src/server/routes/events-routes.ts', 'better-sqlite3').length, 1);
    assert.equal(v('src/storage/repos/x.ts', '../../server/action.js').length, 1);
    assert.equal(v('src/storage/repos/x.ts', 'fastify', true).length, 1);
    assert.deepEqual(v('src/storage/repos/x.ts', '../../core/ports/stores.js'), []);
    assert.equal(v('src/cli/main.ts', '../core/util/uuid.js').length, 1);
    assert.deepEqual(v('src/cli/main.ts', '../core/model/user.js', true), []);
    assert.deepEqual(v('src/cli/main.ts', '../app/container.js'), []);
    assert.equal(v('src/cli/main.ts', '../server/build-app.js').length, 1);
    assert.deepEqual(v('src/app/container.ts', '../storage/create-storage.js'), []);
    assert.equal(v('src/core/x.ts', '../../test/support/test-server.js').length, 1);
    assert.deepEqual(v('src/core/x.test.ts', '../../test/support/test-server.js'), []);
  });

  it('reads every import form and ignores comments and strings', () => {
    const src = [
      "import a from 'pkg-a';",
      'import {',
      '  b,',
      '  type C,',
      "} from \"pkg-b\";",
      "import type { D } from 'pkg-d';",
      "import * as e from 'pkg-e';",
      "import 'pkg-side';",
      "export { f } from 'pkg-f';",
      "export type { G } from 'pkg-g';",
      "export * from 'pkg-h';",
      "const i = await import('pkg-i');",
      "type J = typeof import('pkg-j');",
      "const k = require('pkg-k');",
      "// import x from 'in-line-comment';",
      "/** @example import y from 'in-jsdoc'; */",
      "const s = \"import z from 'in-string'\";",
      "const re = /'/g; const t = `from 'in-template' ${'x'}`;",
      "const u = 'it\\'s'; import last from 'pkg-last';",
    ].join('\n');
    const refs = importSpecifiers(src);
    assert.deepEqual(refs.map((r) => r.specifier), [
      'pkg-a', 'pkg-b', 'pkg-d', 'pkg-e', 'pkg-side', 'pkg-f', 'pkg-g', 'pkg-h', 'pkg-i', 'pkg-j', 'pkg-k', 'pkg-last',
    ]);
    assert.deepEqual(refs.filter((r) => r.typeOnly).map((r) => r.specifier), ['pkg-d', 'pkg-g', 'pkg-j']);
    assert.equal(refs.find((r) => r.specifier === 'pkg-b')?.line, 5);
    assert.equal(refs.find((r) => r.specifier === 'pkg-last')?.line, 19);
  });
});
