"""Differential check: the same data, edits and requests against two Cairn servers, one on SQLite and one on
PostgreSQL, whose answers must agree (scripts/differential-check.sh starts them). Three phases:

1. setup: organisations, users of four roles, three sharing groups, then 70 random events (values in several
   alphabets and cases, `%` and `_` in values, tags, objects, every distribution), each posted to both servers with
   the same uuids and timestamps, some published, some attributes soft-deleted;
2. half of --queries random restSearch / events/index requests (value forms, tags, org, dates, flags, paging,
   every returnFormat) as a random user: status, X-Result-Count and the normalised answer must be equal;
3. --mutations random edits (values, flags, distributions, tags, deletes, objects, proposals, publishing, sightings,
   exclusions), the other half of
   the queries, then every event through events/view and sightings/index as every user on both, then a full
   recorrelation on each: the views must not change (incremental correlation equals the rebuild;
   correlation_exclusions/clean runs first, as exclusions only drop existing correlations when cleaned, as in MISP).

Exit status 1 when anything differs. Known and accepted: an ASCII LIKE pattern does not match a dotted capital 'İ'
on SQLite (src/storage/dialect.ts, sqliteIlike).
"""
import argparse, http.client, json, random, re, sys, time, urllib.parse, uuid

p = argparse.ArgumentParser()
p.add_argument('sqlite_url'); p.add_argument('postgres_url'); p.add_argument('key')
p.add_argument('--queries', type=int, default=1500); p.add_argument('--mutations', type=int, default=400)
p.add_argument('--seed', type=int, default=1)
args = p.parse_args()
A, B = args.sqlite_url.rstrip('/'), args.postgres_url.rstrip('/')
r = random.Random(args.seed)
problems = 0


def report(*parts):
    global problems
    problems += 1
    if problems <= 30: print(*parts)


class Response:
    def __init__(self, status, headers, body):
        self.status_code, self.headers, self.text = status, headers, body.decode('utf-8')

    def json(self):
        return json.loads(self.text)


class Session:
    """One user's keep-alive connections (python's standard library only, so the check needs nothing installed)."""
    def __init__(self, key):
        self.headers = {'Authorization': key, 'Accept': 'application/json', 'Content-Type': 'application/json'}
        self.connections = {}

    def request(self, method, url, data=None):
        u = urllib.parse.urlsplit(url)
        for attempt in (1, 2):
            conn = self.connections.get(u.netloc) or self.connections.setdefault(u.netloc, http.client.HTTPConnection(u.netloc, timeout=120))
            try:
                conn.request(method, u.path + (f'?{u.query}' if u.query else ''), body=None if data is None else data.encode('utf-8'), headers=self.headers)
                res = conn.getresponse()
                return Response(res.status, {k.lower(): v for k, v in res.getheaders()}, res.read())
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                del self.connections[u.netloc]
                if attempt == 2: raise

    def get(self, url): return self.request('GET', url)

    def post(self, url, data=None): return self.request('POST', url, data)


def session(key):
    return Session(key)


class Pair:
    """One user's sessions on both servers."""
    def __init__(self, key_a, key_b): self.a, self.b = session(key_a), session(key_b)

    def both(self, method, path, body=None):
        data = None if body is None else json.dumps(body)
        return self.a.request(method, A + path, data=data), self.b.request(method, B + path, data=data)


def ok(pair):
    ra, rb = pair
    assert ra.status_code == 200 and rb.status_code == 200, (ra.status_code, ra.text[:300], rb.status_code, rb.text[:300])
    return ra.json(), rb.json()


new_uuid = lambda: str(uuid.UUID(int=r.getrandbits(128), version=4))

# ---------------------------------------------------------------- 1. setup
admin = Pair(args.key, args.key)
orgs = {}
for name in ['OrgB', 'OrgC']:
    ja, jb = ok(admin.both('POST', '/admin/organisations/add', {'name': name, 'local': True, 'uuid': new_uuid()}))
    orgs[name] = ja['Organisation']['id']
orgs['OrgA'] = ok(admin.both('GET', '/users/view/me'))[0]['User']['org_id']
users = {'admin': admin}
for label, org, role in [('a2', 'OrgA', 3), ('b', 'OrgB', 3), ('bro', 'OrgB', 6), ('c', 'OrgC', 4)]:
    ja, jb = ok(admin.both('POST', '/admin/users/add', {'email': f'{label}@differential.test', 'org_id': orgs[org], 'role_id': role}))
    users[label] = Pair(ja['User']['authkey'], jb['User']['authkey'])
org_uuids = [ok(admin.both('GET', f'/organisations/view/{orgs[o]}')) for o in ('OrgA', 'OrgB', 'OrgC')]
SERVER_TIME = re.compile(r'\b(17[6-9]\d{7}|1[89]\d{8})\b|%d-\d\d-\d\d[ T]\d\d:\d\d:\d\d' % time.gmtime().tm_year)
SERVER_UUIDS = re.compile('|'.join(j['Organisation']['uuid'] for pair in org_uuids for j in pair))
sgs = []
for name, members in [('SG-AB', ['OrgB']), ('SG-AC', ['OrgC']), ('SG-BC', ['OrgB', 'OrgC'])]:
    ja, jb = ok(admin.both('POST', '/sharing_groups/add', {'name': name, 'releasability': 'differential', 'uuid': new_uuid()}))
    assert ja['SharingGroup']['id'] == jb['SharingGroup']['id']
    for m in members:
        ok(admin.both('POST', f"/sharing_groups/addOrg/{ja['SharingGroup']['id']}/{orgs[m]}"))
    sgs.append(ja['SharingGroup']['id'])

TEXTS = ['8.8.8.8', 'Evil.com', 'EVIL.COM', 'ärger.exe', 'Ärger.exe', 'ÄRGER.EXE', 'straße.de', 'STRASSE.de', '100%_legit.com',
         '100x_legit.com', 'a_b', 'a%b', 'aXb', "o'brien", 'back\\slash', 'd41d8cd98f00b204e9800998ecf8427e',
         'http://x.test/A?B=1', 'İstanbul', 'ǅemal', 'ﬁle.txt', 'file.txt', 'mañana', 'MAÑANA', 'зло.рф', 'ЗЛО.РФ', '  spaced  ']
TYPES = [('ip-dst', 'Network activity'), ('domain', 'Network activity'), ('filename', 'Payload delivery'), ('md5', 'Payload delivery'),
         ('url', 'Network activity'), ('text', 'Other'), ('comment', 'Other'), ('filename|md5', 'Payload delivery'),
         ('ip-dst|port', 'Network activity'), ('hostname', 'Network activity')]
TAGS = ['tlp:green', 'tlp:amber', 'fuzz:a', 'fuzz:B', 'Fuzz:b', 'misp-galaxy:x="y"', 'ünïcode:tag', 'x%y', 'x_y']
MD5S = ['d41d8cd98f00b204e9800998ecf8427e', 'D41D8CD98F00B204E9800998ECF8427E', '0' * 32]


def value(t):
    if t == 'filename|md5': return r.choice(['ärger.exe', 'file.txt', 'a_b']) + '|' + r.choice(MD5S)
    if t == 'ip-dst|port': return r.choice(['8.8.8.8', '10.0.0.1']) + '|' + r.choice(['53', '443'])
    if t == 'ip-dst': return r.choice(['8.8.8.8', '10.0.0.1', '192.168.1.5', f'10.0.0.{r.randint(1, 9)}'])
    if t == 'md5': return r.choice(MD5S[:2] + ['%032x' % r.getrandbits(128)])
    if t == 'url': return r.choice(['http://x.test/a?b=1', 'http://x.test/A?B=1', f'http://evil.com/{r.randint(1, 5)}'])
    if t in ('domain', 'hostname'): return r.choice(['evil.com', 'Evil.com', 'EVIL.COM', 'straße.de', 'зло.рф', 'mañana.com', '100%_legit.com', '100x_legit.com'])
    return r.choice(TEXTS)


def attribute():
    t, c = r.choice(TYPES)
    a = {'type': t, 'category': c, 'value': value(t), 'to_ids': r.random() < 0.5, 'comment': r.choice(['', 'seen', 'Seen twice', 'ärger']),
         'timestamp': str(1_600_000_000 + r.randint(0, 150_000_000)), 'uuid': new_uuid(), 'distribution': r.choice([0, 1, 2, 3, 4, 5, 5])}
    if a['distribution'] == 4: a['sharing_group_id'] = r.choice(sgs)
    if r.random() < 0.3: a['Tag'] = [{'name': n} for n in r.sample(TAGS, r.randint(1, 2))]
    if r.random() < 0.15: a['first_seen'] = f'2021-0{r.randint(1, 9)}-01T00:00:00+00:00'
    return a


event_ids, attributes_of = [], {}
for k in range(70):
    who = r.choice(['admin', 'a2', 'b', 'c'])
    ev = {'uuid': new_uuid(), 'info': r.choice(['Fuzz event', 'ärger campaign', f'APT {k}', '100% evil']),
          'date': f'20{r.randint(19, 25):02d}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}', 'threat_level_id': str(r.randint(1, 4)),
          'analysis': str(r.randint(0, 2)), 'distribution': r.choice([0, 1, 2, 3, 4]), 'timestamp': str(1_600_000_000 + r.randint(0, 150_000_000)),
          'Attribute': [attribute() for _ in range(r.randint(0, 12))]}
    if ev['distribution'] == 4:
        ev['sharing_group_id'] = {'b': r.choice([sgs[0], sgs[2]]), 'c': r.choice([sgs[1], sgs[2]])}.get(who, r.choice(sgs))
    if r.random() < 0.5: ev['Tag'] = [{'name': n} for n in r.sample(TAGS, r.randint(1, 3))]
    if r.random() < 0.4:
        obj = {'uuid': new_uuid(), 'timestamp': '1700000000', 'name': 'domain-ip', 'meta-category': 'network', 'distribution': r.choice([0, 1, 2, 3, 5]),
               'template_uuid': '43b3b146-77eb-4931-b4cc-b66c60f28734', 'template_version': '9', 'Attribute': [
                   {'type': 'domain', 'object_relation': 'domain', 'category': 'Network activity', 'value': value('domain'), 'uuid': new_uuid(), 'timestamp': '1700000001'},
                   {'type': 'ip-dst', 'object_relation': 'ip', 'category': 'Network activity', 'value': value('ip-dst'), 'uuid': new_uuid(), 'timestamp': '1700000002'}]}
        ev['Object'] = [obj]
    ra, rb = users[who].both('POST', '/events/add', ev)
    assert ra.status_code == rb.status_code, (ra.status_code, ra.text[:300], rb.status_code, rb.text[:300])
    if ra.status_code != 200: continue
    ea, eb = ra.json()['Event'], rb.json()['Event']
    assert ea['id'] == eb['id'], (ea['id'], eb['id'])
    event_ids.append(ea['id'])
    attributes_of[ea['id']] = [a['id'] for a in ea.get('Attribute', [])] + [a['id'] for o in ea.get('Object', []) for a in o.get('Attribute', [])]
    if r.random() < 0.4: users[who].both('POST', f"/events/publish/{ea['id']}")
    for aid in attributes_of[ea['id']]:
        if r.random() < 0.1: users[who].both('POST', f'/attributes/delete/{aid}')
print(f'setup: {len(event_ids)} events on both servers', flush=True)


# ---------------------------------------------------------------- 2. queries
def value_filter():
    c = r.random()
    if c < 0.35: return value(r.choice(TYPES)[0])
    if c < 0.5: return r.choice(['%evil%', 'evil%', '%.com', '100%', '%_legit%', 'ärger%', '%ÄRGER%', '%зло%', 'a_b', 'a%b', '%8.8%', '10.0.0.0/24', 'İSTANBUL%'])
    if c < 0.65: return [value(r.choice(TYPES)[0]) for _ in range(r.randint(1, 4))]
    if c < 0.75: return ['!' + value('domain'), value('ip-dst')]
    if c < 0.85: return {'OR': [value('domain'), '%evil%'], 'NOT': [r.choice(['EVIL.COM', 'evil.com'])]}
    return {'AND': ['%e%', '%l%'], 'NOT': ['%8%']}


def tag_filter():
    c = r.random()
    if c < 0.4: return r.choice(TAGS + ['TLP:GREEN', 'fuzz:%', 'FUZZ:B', '%:a', 'Ünïcode:tag'])
    if c < 0.6: return r.sample(TAGS, 2)
    if c < 0.8: return ['!' + r.choice(TAGS)]
    return {'AND': r.sample(TAGS, 2)} if r.random() < 0.5 else {'NOT': [r.choice(TAGS)], 'OR': [r.choice(TAGS)]}


FILTERS = [
    ('value', value_filter, 0.45), ('type', lambda: r.choice([r.choice(TYPES)[0], [r.choice(TYPES)[0], r.choice(TYPES)[0]], '!domain']), 0.2),
    ('category', lambda: r.choice(['Network activity', 'network ACTIVITY', 'Payload delivery', 'Other']), 0.15),
    ('org', lambda: r.choice(['OrgB', 'orgb', 'OrgC', '!OrgB', str(orgs['OrgA']), 'Org%']), 0.15),
    ('tags', tag_filter, 0.25), ('event_tags', tag_filter, 0.1), ('eventid', lambda: r.choice(event_ids + ['!' + str(r.choice(event_ids))]), 0.1),
    ('from', lambda: f'20{r.randint(19, 26):02d}-01-01', 0.1), ('to', lambda: f'20{r.randint(19, 26):02d}-06-30', 0.1),
    ('timestamp', lambda: r.choice(['1650000000', [1_620_000_000, 1_700_000_000], '5d']), 0.15), ('published', lambda: r.choice([0, 1, True]), 0.15),
    ('to_ids', lambda: r.choice([0, 1, True, False]), 0.2), ('deleted', lambda: r.choice([0, 1, [0, 1], True]), 0.15),
    ('searchall', lambda: r.choice(['%evil%', '%ÄRGER%', 'seen', '100%', '%apt%', 'Fuzz%']), 0.1), ('object_name', lambda: 'domain-ip', 0.05),
    ('last', lambda: r.choice(['1d', '10000d']), 0.05), ('first_seen', lambda: '2021-03-01T00:00:00Z', 0.05),
    ('last_seen', lambda: '2021-06-01T00:00:00Z', 0.05), ('includeEventTags', lambda: 1, 0.1), ('includeCorrelations', lambda: 1, 0.1),
    ('includeContext', lambda: 1, 0.05), ('includeSightings', lambda: 1, 0.05), ('eventinfo', lambda: r.choice(['%ÄRGER%', 'fuzz event', '%apt%']), 0.05),
]
FORMATS = ['csv', 'text', 'count', 'hashes', 'suricata', 'snort', 'rpz', 'bro', 'xml', 'cache', 'attack']


def norm_attr(a):
    return (a['uuid'], a['value'], a['type'], a.get('to_ids'), a.get('deleted'), tuple(sorted(t['name'] for t in a.get('Tag', []))),
            tuple(sorted(x.get('uuid', x.get('id')) for x in a.get('RelatedAttribute', []))), len(a.get('Sighting', [])))


def norm_event(e):
    atts = [norm_attr(a) for a in e.get('Attribute', [])] + [norm_attr(a) for o in e.get('Object', []) for a in o.get('Attribute', [])]
    proposals = [(x['value'], x['type'], x.get('old_id'), x.get('proposal_to_delete')) for x in e.get('ShadowAttribute', [])]
    proposals += [(x['value'], x['type'], x.get('old_id'), x.get('proposal_to_delete')) for a in e.get('Attribute', []) for x in a.get('ShadowAttribute', [])]
    return (e['uuid'], tuple(sorted(atts)), tuple(sorted(t['name'] for t in e.get('Tag', []))),
            tuple(sorted(x['Event']['uuid'] for x in e.get('RelatedEvent', []))), e.get('published'), tuple(sorted(proposals, key=repr)))


def normalise(scope, fmt, resp, ordered):
    if fmt != 'json':
        # differ by design: the base URL, the instance's sid base, the uuids of the organisations each server made
        # itself, and the times each server stamped (publishing, soft deletes, creation dates; the data's own times are all before 1760000000 and before this year)
        xs = [SERVER_TIME.sub('NOW', SERVER_UUIDS.sub('ORG', re.sub(r'sid:\d+', 'sid:N', l.replace(A, 'BASE').replace(B, 'BASE'))))
              for l in resp.text.splitlines()]
    else:
        j = resp.json()
        if scope == 'attributes': xs = [norm_attr(a) for a in j['response']['Attribute']]
        elif scope == 'events': xs = [norm_event(e['Event']) for e in j['response']]
        elif scope == 'objects': xs = [(o['Object']['uuid'], tuple(sorted(norm_attr(a) for a in o['Object'].get('Attribute', [])))) for o in j['response']]
        else: xs = [(e['uuid'], e.get('attribute_count')) for e in j]
    return xs if ordered else sorted(xs, key=repr)


def run_queries(n):
    for i in range(n):
        scope = r.choice(['attributes', 'attributes', 'events', 'objects', 'index'])
        q = {k: gen() for k, gen, p in FILTERS if r.random() < p and not (k == 'includeContext' and scope == 'index')}
        if r.random() < 0.2: q.update(limit=r.randint(1, 20), page=r.randint(1, 4))
        if r.random() < 0.1: q['order'] = r.choice(['timestamp desc', 'value', 'id asc'])
        fmt = r.choice(FORMATS) if scope in ('attributes', 'events') and r.random() < 0.25 else 'json'
        if fmt != 'json': q['returnFormat'] = fmt
        who = r.choice(list(users))
        path = '/events/index' if scope == 'index' else f'/{scope}/restSearch'
        ra, rb = users[who].both('POST', path, q)
        if ra.status_code >= 500 or rb.status_code >= 500 or ra.status_code != rb.status_code:
            report('STATUS', who, path, json.dumps(q, ensure_ascii=False), ra.status_code, rb.status_code, ra.text[:200], rb.text[:200])
            continue
        if ra.status_code != 200: continue
        na, nb = normalise(scope, fmt, ra, 'limit' in q), normalise(scope, fmt, rb, 'limit' in q)
        if na != nb or ra.headers.get('x-result-count') != rb.headers.get('x-result-count'):
            only_a, only_b = sorted(set(map(repr, na)) - set(map(repr, nb))), sorted(set(map(repr, nb)) - set(map(repr, na)))
            at = next((k for k, (x, y) in enumerate(zip(only_a[0], only_b[0])) if x != y), 0) if only_a and only_b else 0
            report('DIFF', who, path, json.dumps(q, ensure_ascii=False), f"count {ra.headers.get('x-result-count')}/{rb.headers.get('x-result-count')}",
                   f'rows {len(na)}/{len(nb)}', '\n  sqlite only:', [x[max(0, at - 150):at + 150] for x in only_a[:2]],
                   '\n  postgres only:', [x[max(0, at - 150):at + 150] for x in only_b[:2]])


run_queries(args.queries // 2)
print(f'queries: {args.queries // 2} sent, {problems} differences so far', flush=True)

# ---------------------------------------------------------------- 3. mutations, views, rebuild
applied = {}
for k in range(args.mutations):
    eid, who = r.choice(event_ids), r.choice(list(users))
    aid = r.choice(attributes_of[eid]) if attributes_of[eid] else None
    op = r.choice(['value', 'value', 'flags', 'delete', 'hard_delete', 'event', 'add', 'tag', 'untag', 'exclusion', 'sighting', 'event_delete',
                   'event_correlation', 'object', 'event_tag', 'publish', 'unpublish', 'propose', 'propose_change', 'accept', 'discard'])
    stamp = str(1_700_000_000 + k)
    if op in ('value', 'flags', 'add') and r.random() < 0.5: who = 'admin'  # most users may not edit most events: more edits land
    req = None
    if op == 'value' and aid: req = ('POST', f'/attributes/edit/{aid}', {'value': value(r.choice(['ip-dst', 'domain', 'md5', 'filename'])), 'timestamp': stamp})
    elif op == 'flags' and aid:
        req = ('POST', f'/attributes/edit/{aid}', {'to_ids': r.random() < 0.5, 'disable_correlation': r.random() < 0.3, 'distribution': r.choice([0, 1, 2, 3, 5]), 'timestamp': stamp})
    elif op == 'delete' and aid: req = ('POST', f'/attributes/delete/{aid}', None)
    elif op == 'hard_delete' and aid: req = ('POST', f'/attributes/delete/{aid}/1', None)
    elif op == 'event':
        body = {'distribution': r.choice([0, 1, 2, 3, 4]), 'timestamp': stamp}
        if body['distribution'] == 4: body['sharing_group_id'] = r.choice(sgs)
        req = ('POST', f'/events/edit/{eid}', body)
    elif op == 'add': req = ('POST', f'/attributes/add/{eid}', attribute())
    elif op in ('tag', 'untag') and aid:
        view = admin.a.get(A + f'/attributes/view/{aid}')
        if view.status_code == 200:
            req = ('POST', '/tags/attachTagToObject' if op == 'tag' else '/tags/removeTagFromObject', {'uuid': view.json()['Attribute']['uuid'], 'tag': r.choice(TAGS)})
    elif op == 'exclusion': who, req = 'admin', ('POST', '/correlation_exclusions/add', {'value': r.choice(['8.8.8.8', '%evil%', 'ärger.exe', 'd41d8%'])})
    elif op == 'sighting' and aid: req = ('POST', '/sightings/add', {'id': aid, 'type': str(r.choice([0, 1, 2])), 'uuid': new_uuid()})
    elif op == 'event_delete' and r.random() < 0.2: req = ('POST', f'/events/delete/{eid}', None)
    elif op == 'event_correlation': req = ('POST', f'/events/edit/{eid}', {'disable_correlation': r.random() < 0.5, 'timestamp': stamp})
    elif op == 'object':
        req = ('POST', f'/objects/add/{eid}', {'name': 'domain-ip', 'meta-category': 'network', 'description': 'A domain and its IPs', 'uuid': new_uuid(), 'timestamp': stamp,
                                               'distribution': r.choice([0, 1, 5]), 'template_uuid': '43b3b146-77eb-4931-b4cc-b66c60f28734', 'template_version': '9',
                                               'Attribute': [{'type': 'ip-dst', 'object_relation': 'ip', 'value': value('ip-dst'), 'uuid': new_uuid(), 'timestamp': stamp}]})
    elif op == 'event_tag':
        view = admin.a.get(A + f'/events/view/{eid}')
        if view.status_code == 200: req = ('POST', '/tags/attachTagToObject', {'uuid': view.json()['Event']['uuid'], 'tag': r.choice(TAGS)})
    elif op in ('publish', 'unpublish'): req = ('POST', f'/events/{op}/{eid}', None)
    elif op == 'propose': req = ('POST', f'/shadow_attributes/add/{eid}', {**attribute(), 'Tag': None})
    elif op == 'propose_change' and aid: req = ('POST', f'/shadow_attributes/edit/{aid}', {'value': value('domain'), 'comment': 'proposed'})
    elif op in ('accept', 'discard'):
        listed = users[who].a.get(A + f'/shadow_attributes/index/{eid}')
        if listed.status_code == 200 and listed.json(): req = ('POST', f"/shadow_attributes/{op}/{listed.json()[0]['ShadowAttribute']['id']}", None)
    if req is None: continue
    ra, rb = users[who].both(*req)
    if ra.status_code != rb.status_code or ra.status_code >= 500:
        report('MUTATION', who, req[0], req[1], json.dumps(req[2], ensure_ascii=False)[:200], ra.status_code, rb.status_code, ra.text[:150], rb.text[:150])
        continue
    if ra.status_code != 200: continue
    applied[op] = applied.get(op, 0) + 1
    if op == 'hard_delete': attributes_of[eid].remove(aid)
    elif op == 'add':
        ia, ib = ra.json()['Attribute']['id'], rb.json()['Attribute']['id']
        assert ia == ib, (ia, ib)
        attributes_of[eid].append(ia)
    elif op == 'object':
        attributes_of[eid] += [a['id'] for a in ra.json()['Object'].get('Attribute', [])]
    elif op == 'event_delete': event_ids.remove(eid)
print(f'mutations: {args.mutations} drawn, applied on both: {dict(sorted(applied.items()))}; {problems} differences so far', flush=True)
run_queries(args.queries - args.queries // 2)
print(f'queries after the mutations: {args.queries - args.queries // 2} sent, {problems} differences so far', flush=True)
ok(admin.both('POST', '/correlation_exclusions/clean'))


def snapshot(side):
    out = {}
    for eid in event_ids:
        for who, pair in users.items():
            s, base = (pair.a, A) if side == 'a' else (pair.b, B)
            resp = s.get(base + f'/events/view/{eid}')
            out[(eid, who)] = norm_event(resp.json()['Event']) if resp.status_code == 200 else resp.status_code
            # sightings carry the server's own uuids and times: compared by what was sighted, how and by whom
            resp = s.get(base + f'/sightings/index/{eid}')
            out[(eid, who, 'sightings')] = sorted((x['Sighting']['attribute_id'], x['Sighting']['type'], x['Sighting']['org_id'])
                                                  for x in resp.json()) if resp.status_code == 200 else resp.status_code
    return out


def rebuild(sess, base):
    job = sess.post(base + '/attributes/generateCorrelation').json()
    for _ in range(240):
        progress = next(iter(sess.get(base + f"/jobs/getGenerateCorrelationProgress/{job['id']}").json().values()))
        if str(progress.get('progress')) == '100': return
        time.sleep(0.5)
    report('REBUILD did not finish on', base)


time.sleep(2)  # the exclusion clean runs in the background
before = {'sqlite': snapshot('a'), 'postgres': snapshot('b')}
for key in before['sqlite']:
    if before['sqlite'][key] != before['postgres'].get(key): report('VIEW', key, before['sqlite'][key], before['postgres'].get(key))
print(f"views: {len(before['sqlite'])} compared across the databases", flush=True)
rebuild(admin.a, A), rebuild(admin.b, B)
after = {'sqlite': snapshot('a'), 'postgres': snapshot('b')}
for db in before:
    for key, was in before[db].items():
        if was != after[db].get(key): report('REBUILD', db, key, 'incremental:', was, 'rebuilt:', after[db].get(key))
print(f'differential check: {problems} differences')
sys.exit(1 if problems else 0)
