import type { Stores } from '../ports/stores.js';
import { WarninglistMatcher } from './warninglist-matcher.js';

/**
 * The one WarninglistMatcher of a running server, built from the enabled lists on first use and rebuilt after
 * any change (enable/disable, update) — call `invalidate()` after the change commits. A build that was started
 * before an invalidation is used by the calls that awaited it but not kept.
 */
export interface WarninglistMatcherCache {
  get(stores: Stores): Promise<WarninglistMatcher>;
  invalidate(): void;
}

export function createWarninglistMatcherCache(): WarninglistMatcherCache {
  let generation = 0;
  let current: Promise<WarninglistMatcher> | undefined;
  return {
    get(stores) {
      if (current) return current;
      const started = generation;
      const build = stores.warninglists.loadEnabled().then((lists) => new WarninglistMatcher(lists));
      current = build;
      build.then(
        () => { if (generation !== started && current === build) current = undefined; },
        () => { if (current === build) current = undefined; },
      );
      return build;
    },
    invalidate() {
      generation++;
      current = undefined;
    },
  };
}
