#!/usr/bin/python3
"""check_site.py — reads what browse.js saw of every page of a published
site and checks it: pages, languages, links, table structure, axe-core's
findings, the charts' text, and every figure of the year-on-year and trend
tables against `ciatteh query` for the same cell.

    check_site.py WHAT SITE_DIR BROWSE.json CIATTEH AS_OF

WHAT is one of: pages, links, axe, structure, narrow, charts, figures,
inert, workbook, pack.  Prints one line per problem and exits 1 when there is any."""
import concurrent.futures
import glob
import html
import html.parser
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from xlsx_tables import pictures, sheet  # noqa: E402

what, site, browse, cia, as_of = sys.argv[1:6]
pages = json.load(open(browse)) if what not in ("workbook", "dates") else []
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

elif what == 'dates':
    # one date format per language: the day in words as the annex and the
    # charts write it (the ISO day only in <time datetime>, for programs);
    # every page's text, as the HTML files hold it (tags stripped)
    iso = re.compile(r'\b(19|20)\d{2}-\d{2}-\d{2}\b')
    words = {'fr': '30 juin 2025', 'nl': '30 juni 2025', 'en': '30 June 2025'}
    n = 0
    for l in LANGS:
        for f in sorted(glob.glob(os.path.join(site, l, '*.html'))):
            n += 1
            text = html.unescape(re.sub(r'<[^>]*>', ' ', open(f, encoding='utf-8').read()))
            m = iso.search(text)
            if m:
                bad('%s: an ISO date in the text: %r' % (f, text[max(0, m.start() - 40):m.end()]))
            if words[l] not in text.replace('\u00a0', ' '):
                bad('%s: the as-of day not in words (%s)' % (f, words[l]))
    print('%d pages' % n)

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
    compared = withheld = 0
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
                if c['state'] == 'conf' and 'c' in c['flags']:
                    # withheld by the pack's release: the exact query
                    # (internal) has the figure, the site must not
                    withheld += 1
                    if re.search(r'\d', c['text']):
                        bad('%s: withheld, yet shows %r' % (where, c['text']))
                    continue
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
    if compared + withheld < 3 * (2 * 15 + 20):
        bad('only %d cells compared' % compared)
    # and no withheld cell of any table shows a number
    for p in pages:
        for t in p['tables']:
            for r in t['rows']:
                for c in r['cells']:
                    if c['state'] == 'conf' and re.search(r'\d', c['text']):
                        bad('%s %s %s %s: withheld, yet shows %r' % (p['file'], t['id'], r['key'], c['col'], c['text']))
    print('%d cells equal to ciatteh query, %d withheld' % (compared, withheld))

elif what == 'pack':
    # Every number cell of every table of every page against the pack's
    # own CSV of that table (tables/NN-ID.csv, the same language): the
    # site shows the pack's figures, no more (a figure the pack's release
    # withholds is withheld here too), no fewer.
    import csv

    def parse(text, lang):
        t = text.replace('≥', '').replace('\u202f', '').replace('\xa0', '').replace(' ', '')
        t = re.sub(r'[a-z]+$', '', t)          # the raised marks: u, p
        pct = t.endswith('%')
        t = t.rstrip('%')
        if lang == 'en':
            t = t.replace(',', '')
        else:
            t = t.replace('.', '').replace(',', '.')
        return float(t) / (100 if pct else 1), pct

    cells = 0
    for p in pages:
        l = lang_of(p)
        if not l:
            continue
        tdir = os.path.join(site, l, 'pack', 'tables')
        for t in p['tables']:
            if t['id'] in ('check_rules', 'checks', 'deliveries'):
                continue
            f = [x for x in os.listdir(tdir) if re.fullmatch(r'\d+-%s\.csv' % re.escape(t['id']), x)]
            if len(f) != 1:
                bad('%s %s: no CSV of it in the pack (%s)' % (p['file'], t['id'], f))
                continue
            rows = []
            for row in csv.reader(open(os.path.join(tdir, f[0]), encoding='utf-8')):
                if not row or row[0].startswith('#'):
                    break
                rows.append(row)
            head, body = rows[0], rows[1:]
            # each value column is followed by its "<heading> (flags)" column
            flagcols = [i for i, h in enumerate(head) if i > 0 and h.startswith(head[i - 1] + ' (') and h.endswith(')')]
            if len(body) != len(t['rows']):
                bad('%s %s: %d rows, the pack has %d' % (p['file'], t['id'], len(t['rows']), len(body)))
                continue
            for r, crow in zip(t['rows'], body):
                if len(r['cells']) != len(flagcols):
                    bad('%s %s %s: %d number cells, the pack %d' % (p['file'], t['id'], r['key'], len(r['cells']), len(flagcols)))
                    continue
                for c, fc in zip(r['cells'], flagcols):
                    where = '%s %s %s %s' % (p['file'], t['id'], r['key'], c['col'])
                    value, flags = crow[fc - 1], crow[fc].split(' ')[0]
                    if set(c['flags']) != set(x for x in flags if x in 'upnic'):
                        bad('%s: flags %r, the pack %r' % (where, c['flags'], crow[fc]))
                    if c['state'] in ('known', 'zero', 'lower'):
                        got, pct = parse(c['text'], l)
                        if value == '' or abs(got - float(value)) > (0.0006 if pct else 1e-9):
                            bad('%s: shows %r, the pack %r' % (where, c['text'], value))
                    elif value != '' or re.search(r'\d', c['text']):
                        bad('%s: %s shown as %r, the pack %r' % (where, c['state'], c['text'], value))
                    cells += 1
    if cells < 3000:
        bad('only %d cells compared with the pack' % cells)
    print('%d cells equal to the pack\'s CSV' % cells)

elif what == 'workbook':
    # Each language's workbook in the site, as an analyst pastes from it.
    import zipfile
    import openpyxl
    for l in LANGS:
        path = os.path.join(site, l, 'pack', 'annex-2023-2024-%s.xlsx' % l)
        wb = openpyxl.load_workbook(path)
        name = os.path.basename(path)
        if str(wb.properties.created)[:10] != as_of:
            bad('%s: created %s, not the as-of date' % (name, wb.properties.created))
        z = zipfile.ZipFile(path)
        custom = z.read('docProps/custom.xml').decode() if 'docProps/custom.xml' in z.namelist() else ''
        if not re.search(r'name="Language".*<vt:lpwstr>%s</vt:lpwstr>' % l, custom, re.S):
            bad('%s: no Language=%s property: %s' % (name, l, custom[:300]))
        ws = sheet(wb, 'sentences_bands')
        years = [c for c in ws['A'][3:] if c.value is not None and ws.cell(row=c.row, column=2).value]
        if not years or any(not isinstance(c.value, int) or c.number_format != '0' for c in years):
            bad('%s: sentences_bands years %r' % (name, [(c.value, c.number_format) for c in years][:4]))
        for sh in wb.worksheets[:-1]:
            # fitted to the width, or (too wide for 70 %) in column blocks
            # beside the repeated row labels; the headings repeated, but
            # over a chart's picture
            fitted = sh.sheet_properties.pageSetUpPr.fitToPage
            blocks = sh.print_title_cols and (sh.page_setup.scale or 100) >= 70
            heads = sh.print_title_rows == '$3:$3' or (pictures(sh) and not sh.print_title_rows)
            if not (fitted or blocks) or not heads:
                bad('%s: %s does not print fitted to the width (or in blocks) with its headings repeated'
                    % (name, sh.title))
        d = wb.worksheets[-1]
        labels = [c.value for c in d['A'][2:] if isinstance(c.value, str) and d.cell(row=c.row, column=2).value]
        wa = d.column_dimensions['A'].width
        if not labels or wa < min(40, max(len(x) for x in labels)):
            bad('%s: Definitions column A %s narrower than its labels %r' % (name, wa, labels[:3]))
        for c in d['B'][2:]:
            if isinstance(c.value, str) and len(c.value) > d.column_dimensions['B'].width * 1.2:
                h = d.row_dimensions[c.row].height
                if not h or h < 30 or not c.alignment.wrap_text:
                    bad('%s: Definitions row %d: %d characters in a row %s high' % (name, c.row, len(c.value), h))

for m in problems[:40]:
    print(m)
if len(problems) > 40:
    print('... and %d more' % (len(problems) - 40))
sys.exit(1 if problems else 0)
