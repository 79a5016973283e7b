#!/usr/bin/python3
"""check_site.py — reads what browse.js saw of every page of a published
site and checks it: pages, languages, links, table structure, axe-core's
findings, the charts' text, and every figure of the year-on-year and trend
tables against `ciatteh query` for the same cell.

    check_site.py WHAT SITE_DIR BROWSE.json CIATTEH AS_OF

WHAT is one of: pages, links, axe, structure, narrow, charts, figures,
inert.  Prints one line per problem and exits 1 when there is any."""
import concurrent.futures
import html.parser
import json
import os
import re
import subprocess
import sys

what, site, browse, cia, as_of = sys.argv[1:6]
pages = json.load(open(browse))
LANGS = ('fr', 'nl', 'en')
problems = []


def bad(msg):
    problems.append(msg)


def lang_of(p):
    return p['file'].split('/')[0] if '/' in p['file'] else None


class Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == 'id':
                self.ids.add(v)


def ids_of(path):
    p = Ids()
    p.feed(open(path, encoding='utf-8').read())
    return p.ids


if what == 'pages':
    files = sorted(os.path.relpath(os.path.join(d, f), site) for d, _, fs in os.walk(site)
                   for f in fs if f.endswith('.html') and '/pack' not in d and not d.endswith('pack'))
    seen = sorted(p['file'] for p in pages)
    if files != seen:
        bad('pages on disk %s, loaded %s' % (files, seen))
    per_lang = {l: sorted(p['file'].split('/', 1)[1] for p in pages if lang_of(p) == l) for l in LANGS}
    if per_lang['fr'] != per_lang['nl'] or per_lang['fr'] != per_lang['en']:
        bad('the languages have different pages: %s' % per_lang)
    for need in ('index.html', 'yoy.html', 'sentences.html', 'victims.html', 'smug_yoy.html',
                 'smug_sentences.html', 'checks.html', 'deliveries.html'):
        if need not in per_lang['fr']:
            bad('no page %s' % need)
    for p in pages:
        l = lang_of(p)
        if l and p['lang'] != l:
            bad('%s: lang="%s"' % (p['file'], p['lang']))
        if not p['main'] or p['h1'] != 1:
            bad('%s: main %s, %d h1' % (p['file'], p['main'], p['h1']))
        if l and not p['skip']:
            bad('%s: no skip link to #main' % p['file'])
        if l:
            switch = [h for h in p['links'] if re.match(r'\.\./(fr|nl|en)/', h)]
            want = ['../%s/%s' % (x, p['file'].split('/', 1)[1]) for x in LANGS]
            if not all(w in switch for w in want):
                bad('%s: language switch %s, expected %s' % (p['file'], switch, want))

elif what == 'links':
    for p in pages:
        base = os.path.dirname(os.path.join(site, p['file']))
        for h in p['links']:
            if re.match(r'^[a-z]+:', h):
                bad('%s: link out of the site: %s' % (p['file'], h))
                continue
            target, _, frag = h.partition('#')
            path = os.path.normpath(os.path.join(base, target)) if target else os.path.join(site, p['file'])
            if not os.path.isfile(path):
                bad('%s: broken link %s' % (p['file'], h))
            elif frag and path.endswith('.html') and frag not in ids_of(path):
                bad('%s: link to a missing anchor %s' % (p['file'], h))

elif what == 'axe':
    for p in pages:
        for v in p['violations']:
            bad('%s: %s (%s): %s — %s' % (p['file'], v['id'], v['impact'], v['help'], '; '.join(v['nodes'])))

elif what == 'structure':
    for p in pages:
        for s in p['structure']:
            bad('%s: %s' % (p['file'], s))

elif what == 'narrow':
    for p in pages:
        if p['narrow_width'] > 360:
            bad('%s: %d px wide on a 360 px screen' % (p['file'], p['narrow_width']))

elif what == 'charts':
    n = 0
    for p in pages:
        for s in p['svgs']:
            n += 1
            if s['role'] != 'img' or not s['title'] or not s['desc'] or s['texts'] < 5:
                bad('%s: chart %s' % (p['file'], s))
            if not re.search(r'\d', s['desc']):
                bad('%s: the text alternative of "%s" has no figures' % (p['file'], s['title']))
    if n < 3 * 5:
        bad('only %d charts' % n)
    print('%d charts' % n)

elif what == 'inert':
    for p in pages:
        if p['scripts'] or p['pwned']:
            bad('%s: %d script elements, markup ran: %s' % (p['file'], p['scripts'], p['pwned']))
    for l in LANGS:
        d = [p for p in pages if p['file'] == l + '/deliveries.html']
        if not d or '<script>&"\'<img src=x onerror=window.__pwned=1>' not in d[0]['text']:
            bad('%s/deliveries.html: the browser does not show the file name as text' % l)
        src = open(os.path.join(site, l, 'deliveries.html'), encoding='utf-8').read()
        if '&lt;script&gt;&amp;&quot;&#39;&lt;img src=x onerror=window.__pwned=1&gt;' not in src:
            bad('%s/deliveries.html: the file name is not there, escaped' % l)

elif what == 'figures':
    # Every cell of the year columns of the yoy tables (THB, SMUG) and of
    # the trend chart's table, in every language, against the query.
    cache = {}

    def query(item, offence, years):
        key = (item, offence, years)
        if key not in cache:
            args = [cia, 'query', item, '--years', years, '--as-of', as_of]
            if offence == 'SMUG':
                args += ['--where', 'offence=SMUG']
            out = subprocess.run(args, capture_output=True, text=True, timeout=120)
            if out.returncode:
                bad('query %s: exit %d: %s' % (' '.join(args[1:]), out.returncode, out.stderr))
            rows = out.stdout.strip().split('\n')[1:]
            cache[key] = {r.split(',')[1]: r.split(',') for r in rows if r}
        return cache[key]

    def expected_state(value, flag):
        if 'c' in flag:
            return 'conf'
        if 'n' in flag:
            return 'nd'
        if 'i' in flag:
            return 'inc'
        if value == '':
            return 'nk'
        if 'u' in flag:
            return 'lower'
        return 'zero' if float(value) == 0 else 'known'

    # Each item's query once, a few at a time (each is a process and a
    # connection); then the cells, in order.

    def tables():
        for p in pages:
            for t in p['tables']:
                if t['id'] in ('yoy', 'chart_trend'):
                    yield p, t, 'THB', '2019-2024'
                elif t['id'] == 'smug_yoy':
                    yield p, t, 'SMUG', '2023-2024'
    wanted = sorted({(r['key'], o, y) for _, t, o, y in tables() for r in t['rows']})
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda k: query(*k), wanted))
    compared = 0
    for p, t, offence, years in tables():
        for r in t['rows']:
            q = query(r['key'], offence, years)
            for c in r['cells']:
                if not re.fullmatch(r'\d{4}', c['col'] or ''):
                    continue
                where = '%s %s %s %s' % (p['file'], t['id'], r['key'], c['col'])
                if c['col'] not in q:
                    bad('%s: no such row in the query' % where)
                    continue
                _, _, value, flag = q[c['col']]
                state = expected_state(value, flag)
                if c['state'] != state or c['flags'] != flag:
                    bad('%s: shown %s (flags %s), query says %s (value %r, flags %s)'
                        % (where, c['state'], c['flags'], state, value, flag))
                if state in ('known', 'zero', 'lower'):
                    shown = re.sub(r'[^0-9]', '', c['text'].replace('≥', ''))
                    if shown != str(int(float(value))):
                        bad('%s: shown %r, query says %s' % (where, c['text'], value))
                elif re.search(r'\d', c['text']):
                    bad('%s: a %s cell shows a number: %r' % (where, state, c['text']))
                compared += 1
    if compared < 3 * (2 * 15 + 20):
        bad('only %d cells compared' % compared)
    print('%d cells equal to ciatteh query' % compared)

for m in problems[:40]:
    print(m)
if len(problems) > 40:
    print('... and %d more' % (len(problems) - 40))
sys.exit(1 if problems else 0)
