import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField } from './csv-export.js';
import { dnsNameToRawFormat, pregQuote, replaceIllegalChars, rule, snortAttributeRule } from './nids-rules.js';

const head = { eventId: 7, tags: ['tlp:white', 'osint'], threatLevelId: 2, baseUrl: 'https://misp.example' };

describe('IDS rule building (NidsExport)', () => {
  it('writes MISP\'s rule layout, with its spacing and trailing blank', () => {
    assert.equal(
      rule(head, 4_000_071, { proto: 'ip', src: '$HOME_NET', srcPort: 'any', dst: '1.2.3.4', dstPort: 'any', msg: 'Outgoing To IP: 1.2.3.4', content: '', tag: '' }),
      'alert ip $HOME_NET any -> 1.2.3.4 any (msg: "MISP e7 [tlp:white,osint] Outgoing To IP: 1.2.3.4";   classtype:trojan-activity; '
      + 'sid:4000071; rev:1; priority:2; reference:url,https://misp.example/events/view/7;) ');
  });

  it('escapes what rules cannot carry, once, and encodes DNS names as labels', () => {
    assert.equal(replaceIllegalChars('a|b"c;d:e\\f0xg'), 'a|7c|b|22|c|3b|d|3a|e|5c|f|30 78|g');
    assert.equal(dnsNameToRawFormat('foobar.com', false), '|06|foobar|03|com|00|');
    assert.equal(dnsNameToRawFormat('www.foobar.com', true), '|01||03|www|06|foobar|03|com|00|');
    assert.equal(pregQuote('a.b-c'), 'a\\.b\\-c');
  });

  it('rewrites a snort attribute\'s sid, rev, msg and adds what it lacks', () => {
    const [r] = snortAttributeRule(head, 11, 'alert tcp any any -> any 80 (msg:"evil"; sid:1; rev:7;)');
    assert.equal(r, 'alert tcp any any -> any 80 (msg: "MISP e7 [tlp:white,osint] snort-rule | evil"; sid:11; rev:1; '
      + 'classtype:trojan-activity;reference:url,https://misp.example/events/view/7;)');
  });
});

describe('CSV fields (CsvExport::__escapeCSVField)', () => {
  it('writes numbers bare, booleans as 1/0, missing values and text quoted', () => {
    assert.deepEqual([12, '12', '1.5e3', true, false, null, undefined, 'a "b"', '8.8.8.8'].map(csvField),
      ['12', '12', '1.5e3', '1', '0', '""', '""', '"a ""b"""', '"8.8.8.8"']);
  });
});
