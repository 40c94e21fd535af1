import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toMispGalaxyPack } from '../misp-format/galaxy-json.js';
import type { ClusterDetail, Galaxy, GalaxyCluster } from './galaxy-model.js';
import { parseGalaxy, readClusterPack } from './galaxy-pack.js';

function withFile<T>(content: unknown, f: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-galaxy-pack-'));
  try {
    const path = join(dir, 'clusters.json');
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return f(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('galaxy pack reading (Galaxy::update)', () => {
  it('reads a galaxy definition, keeping kill_chain_order as JSON text and refusing one without uuid or type', () => {
    const g = parseGalaxy({ uuid: 'C5F2DFB4-21A1-42D8-A452-1D3C36A204FF', type: 'tea', name: 'Tea', version: 2, kill_chain_order: { tea: ['black'] } });
    assert.ok(typeof g === 'object');
    assert.equal(g.uuid, 'c5f2dfb4-21a1-42d8-a452-1d3c36a204ff');
    assert.equal(g.version, '2');
    assert.equal(g.namespace, 'misp');
    assert.equal(g.killChainOrder, '{"tea":["black"]}');
    assert.equal(parseGalaxy({ type: 'tea' }), 'no uuid');
    assert.equal(parseGalaxy([]), 'not a JSON object');
  });

  it('flattens meta, falls back to the file version and reports what it skips', () => {
    const warnings: string[] = [];
    const pack = withFile({
      type: 'tea', uuid: 'AAAAAAAA-0000-4000-8000-000000000000', version: 7, authors: ['x'], source: 's',
      values: [
        { value: 'One', uuid: '11111111-0000-4000-8000-000000000000', meta: { synonyms: ['a', 'b'], country: 'FR', nested: [{ x: 1 }] },
          related: [{ 'dest-uuid': '22222222-0000-4000-8000-000000000000', type: 'similar', tags: ['t'] }] },
        { value: 'Two', uuid: '22222222-0000-4000-8000-000000000000', version: 3 },
        { value: 'No uuid' },
        { uuid: '33333333-0000-4000-8000-000000000000' },
      ],
    }, (path) => readClusterPack(path, warnings));
    assert.equal(pack.collectionUuid, 'aaaaaaaa-0000-4000-8000-000000000000');
    assert.deepEqual(pack.values.map((v) => [v.value, v.version]), [['One', 7], ['Two', 3]]);
    assert.deepEqual(pack.values[0]!.meta, [{ key: 'synonyms', value: 'a' }, { key: 'synonyms', value: 'b' }, { key: 'country', value: 'FR' }]);
    assert.deepEqual(pack.values[0]!.related, [{ destUuid: '22222222-0000-4000-8000-000000000000', type: 'similar', tags: ['t'] }]);
    assert.equal(warnings.length, 3, warnings.join('\n'));
  });

  it('throws on a file that is not a clusters file, for the import to report', () => {
    assert.throws(() => withFile('{"values": 1}', (path) => readClusterPack(path, [])), /not a misp-galaxy clusters file/);
    assert.throws(() => withFile('{"values": [', (path) => readClusterPack(path, [])));
  });
});

describe('misp-galaxy layout (Galaxy::convertToMISPGalaxyFormat)', () => {
  const galaxy: Galaxy = {
    id: 1, uuid: 'g', name: 'Tea', type: 'tea', description: '', version: '1', icon: '', namespace: 'misp', enabled: true,
    localOnly: false, killChainOrder: null,
  };
  const cluster = (id: number, version: number, authors: string[]): GalaxyCluster => ({
    id, uuid: `u${id}`, collectionUuid: 'col', type: 'tea', value: `v${id}`, tagName: '', description: `d${id}`, galaxyId: 1,
    source: 'src', authors, version, distribution: 3, sharingGroupId: null, orgId: 0, orgcId: 0, isDefault: true, locked: false,
    extendsUuid: null, extendsVersion: null, published: false, deleted: false,
  });

  it('keeps one meta value as a scalar and several as a list, merges authors and takes the highest version', () => {
    const details: ClusterDetail[] = [
      {
        cluster: cluster(1, 4, ['a', 'b']), galaxy, targeting: [],
        elements: [{ id: 1, galaxyClusterId: 1, key: 'country', value: 'FR' }, { id: 2, galaxyClusterId: 1, key: 'synonyms', value: 'x' },
          { id: 3, galaxyClusterId: 1, key: 'synonyms', value: 'y' }],
        relations: [{
          id: 1, galaxyClusterId: 1, referencedGalaxyClusterId: 2, referencedGalaxyClusterUuid: 'u2', referencedGalaxyClusterType: 'similar',
          galaxyClusterUuid: 'u1', distribution: 3, sharingGroupId: null, isDefault: true, tags: [],
        }],
      },
      { cluster: cluster(2, 9, ['b', 'null']), galaxy, targeting: [], elements: [], relations: [] },
    ];
    assert.deepEqual(toMispGalaxyPack(galaxy, details), {
      name: 'Tea', type: 'tea', authors: ['a', 'b'], version: 9, uuid: 'col', source: 'src',
      values: [
        { description: 'd1', uuid: 'u1', value: 'v1', meta: { country: 'FR', synonyms: ['x', 'y'] }, related: [{ 'dest-uuid': 'u2', type: 'similar' }] },
        { description: 'd2', uuid: 'u2', value: 'v2' },
      ],
    });
  });
});
