import type { RequestContext } from '../context.js';
import type { Stores } from '../ports/stores.js';
import { clusterViewer } from './cluster-access.js';
import type { Galaxy, GalaxyCluster, GalaxyElement } from './galaxy-model.js';

/**
 * A galaxy laid out as a matrix (`Galaxy::getMatrix`, spec §8.1 `attack`): for every kill chain of the galaxy's
 * `kill_chain_order` (a tab), its phases (columns), and in each column the clusters whose `kill_chain` element names
 * that chain and phase. Clusters without elements are left out, as MISP does.
 */

export interface MatrixCell {
  readonly id: number;
  readonly value: string;
  readonly tagName: string;
  readonly description: string;
  /** The `external_id` element (e.g. `T1566`), '' when none. */
  readonly externalId: string;
}

export interface GalaxyMatrix {
  readonly galaxy: Pick<Galaxy, 'id' | 'name' | 'type'>;
  /** Tab → ordered columns (`kill_chain_order`). */
  readonly columnOrders: Readonly<Record<string, readonly string[]>>;
  /** Tab → column → cells. */
  readonly tabs: Readonly<Record<string, Readonly<Record<string, readonly MatrixCell[]>>>>;
  /** The MITRE ATT&CK galaxy: MISP opens its `mitre-attack` tab and drops the ` - T1234` suffix of cell names. */
  readonly mitreAttack: boolean;
}

/** `Galaxy::getMitreAttackGalaxyId`. */
const MITRE = { type: 'mitre-attack-pattern', namespace: 'mitre-attack' };

/** Builds the matrix from a galaxy, its clusters and their elements (pure; `Galaxy::getMatrix`). */
export function buildMatrix(
  galaxy: Galaxy, clusters: readonly GalaxyCluster[], elements: ReadonlyMap<number, readonly GalaxyElement[]>,
): GalaxyMatrix {
  const tabs: Record<string, Record<string, MatrixCell[]>> = {};
  for (const c of clusters) {
    const els = elements.get(c.id) ?? [];
    const externalId = els.find((e) => e.key === 'external_id')?.value ?? '';
    const cell: MatrixCell = { id: c.id, value: c.value, tagName: c.tagName, description: c.description, externalId };
    for (const e of els) {
      if (e.key !== 'kill_chain') continue;
      const [tab = '', column = ''] = e.value.split(':');
      ((tabs[tab] ??= {})[column] ??= []).push(cell);
    }
  }
  return {
    galaxy: { id: galaxy.id, name: galaxy.name, type: galaxy.type },
    columnOrders: galaxy.killChainOrder ?? {},
    tabs,
    mitreAttack: galaxy.type === MITRE.type && galaxy.namespace === MITRE.namespace,
  };
}

/**
 * `Galaxy::sortMatrixByScore`: in each column, scored clusters first (highest score first), ties and unscored ones
 * by value.
 */
export function sortByScore(matrix: GalaxyMatrix, scores: ReadonlyMap<string, number>): GalaxyMatrix {
  const byValue = (a: MatrixCell, b: MatrixCell) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  const order = (a: MatrixCell, b: MatrixCell): number => {
    const sa = scores.get(a.tagName);
    const sb = scores.get(b.tagName);
    if (sa !== undefined && sb !== undefined) return sa === sb ? byValue(a, b) : sb - sa;
    if (sa !== undefined) return -1;
    if (sb !== undefined) return 1;
    return byValue(a, b);
  };
  const tabs: Record<string, Record<string, MatrixCell[]>> = {};
  for (const [tab, columns] of Object.entries(matrix.tabs)) {
    tabs[tab] = Object.fromEntries(Object.entries(columns).map(([col, cells]) => [col, [...cells].sort(order)]));
  }
  return { ...matrix, tabs };
}

/**
 * The matrix of the galaxy of type `type` outside the `deprecated` namespace (AttackExport::handler), with the
 * clusters the caller may see; undefined when there is no such galaxy or it has no kill chain order.
 */
export async function loadGalaxyMatrix(ctx: RequestContext, stores: Stores, type: string): Promise<GalaxyMatrix | undefined> {
  const galaxy = (await stores.galaxies.listGalaxies()).find((g) => g.type === type && g.namespace !== 'deprecated');
  if (!galaxy?.killChainOrder) return undefined;
  const clusters = await stores.galaxies.findClusters({ galaxyIds: [galaxy.id], deleted: false }, await clusterViewer(ctx, stores));
  const elements = await stores.galaxies.clusterElements(clusters.map((c) => c.id));
  return buildMatrix(galaxy, clusters, elements);
}
