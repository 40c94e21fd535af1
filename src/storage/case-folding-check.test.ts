import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshDatabase } from '../../test/support/cli-database.js';
import { testDialects } from '../../test/support/test-server.js';
import { caseFoldingWarning } from './case-folding-check.js';
import { openDatabase } from './open-database.js';

async function warningOf(dialect: string, pgOptions?: string): Promise<string | undefined> {
  const fresh = await freshDatabase(dialect, pgOptions);
  const opened = openDatabase(fresh.url);
  try {
    return await caseFoldingWarning(opened.db, opened.dialect);
  } finally {
    await opened.close();
    await fresh.drop();
  }
}

describe('case folding of the database (ADR 0013)', () => {
  for (const dialect of testDialects()) {
    it(`${dialect}: a database that folds every alphabet gives no warning`, async () => {
      assert.equal(await warningOf(dialect, dialect === 'postgres' ? "template template0 encoding 'UTF8' locale 'C.UTF-8'" : undefined), undefined);
    });
  }

  if (testDialects().includes('postgres')) {
    it('postgres: a database under the C locale is named in a warning', async () => {
      const warning = await warningOf('postgres', "template template0 encoding 'UTF8' locale 'C'");
      assert.match(warning ?? '', /LC_CTYPE is 'C': lower\(\) and ILIKE fold ASCII letters only/);
    });
  }
});
