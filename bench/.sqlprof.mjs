import Database from 'better-sqlite3';
const stats = new Map();
const origPrepare = Database.prototype.prepare;
Database.prototype.prepare = function (src) {
  const stmt = origPrepare.call(this, src);
  const key = src.replace(/\s+/g, ' ').replace(/\(\?(, \?)+\)/g, '(?…)').replace(/(\(\?(, \?)*\), )+/g, '(…),').slice(0, 160);
  for (const m of ['all', 'run', 'get', 'iterate']) {
    const orig = stmt[m];
    if (!orig) continue;
    stmt[m] = function (...args) {
      const t = performance.now();
      try { return orig.apply(this, args); } finally {
        const s = stats.get(key) ?? { n: 0, ms: 0 }; s.n++; s.ms += performance.now() - t; stats.set(key, s);
      }
    };
  }
  return stmt;
};
process.on('exit', () => {
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30);
  for (const [k, s] of rows) console.error(`${s.ms.toFixed(0).padStart(7)}ms ${String(s.n).padStart(6)}x ${k}`);
});
