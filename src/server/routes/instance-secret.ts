import type { AppDeps } from '../app-deps.js';

/**
 * The instance secret keying API-key hashes (docs/adr/0002-secrets.md), stored by src/app/bootstrap.ts as the
 * internal setting `Cairn.secret`. Routes that issue keys hand it to the core services.
 */
export function instanceSecret(deps: AppDeps): string {
  const secret = deps.settings.stored('Cairn.secret');
  if (typeof secret !== 'string' || secret === '') throw new Error('instance secret missing: the database was not bootstrapped');
  return secret;
}
