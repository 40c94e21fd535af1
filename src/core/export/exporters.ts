import { attackExport } from './attack-export.js';
import { csvExport } from './csv-export.js';
import type { Exporter } from './export-items.js';
import { jsonExport } from './json-export.js';
import { cacheExport, hashesExport, hostsExport, textExport } from './list-exports.js';
import { nidsExport } from './nids-export.js';
import { xmlExport } from './xml-export.js';
import { rpzExport, zeekExport } from './zone-exports.js';

/** The exporter of each restSearch format (export-formats.ts lists them; `count` is answered by the service). */
const EXPORTERS: Record<string, Exporter> = {
  json: jsonExport,
  xml: xmlExport,
  csv: csvExport,
  text: textExport,
  hashes: hashesExport,
  hosts: hostsExport,
  cache: cacheExport,
  snort: nidsExport('snort'),
  suricata: nidsExport('suricata'),
  rpz: rpzExport,
  bro: zeekExport,
  zeek: zeekExport,
  attack: attackExport,
};

export function exporterFor(format: string): Exporter | undefined {
  return EXPORTERS[format];
}
