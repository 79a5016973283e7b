#!/bin/sh
# test_publish.sh — `ciatteh publish`: the website of the pack, built from
# the bundled samples, loaded page by page in headless Chromium (Debian's,
# driven by puppeteer-core): every page of the three languages, their
# links, axe-core with zero violations at WCAG 2.0/2.1 A and AA, every
# table with a caption and scoped headings, no page wider than a phone,
# the charts as SVG with real text and their figures, a file name full of
# markup shown as text and never run, every number cell equal to the
# pack's CSV of its table (value, state, flags: what the pack withholds
# is withheld), and every figure of the year-on-year and trend tables
# equal to `ciatteh query` for that cell.
# publish builds three protected packs (GLPK): over the default 120 s per
# command under the sanitizers on a busy machine (seen at load 10-14).
CIA_TIMEOUT=${CIA_TIMEOUT:-400}
. "$(dirname "$0")/../lib.sh"
S=$ROOT/etl/samples/multi-year
ASOF=2025-06-30
SITE=$T/site
NODE_MODULES=$ROOT/tests/tools/node/node_modules
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}

t_begin "the bundled samples, and an immigration delivery whose file name is markup"
load_samples
# One record fewer than the sample: a delivery of its own, which replaces
# the sample's and is listed on every deliveries page.
EVIL="imm<script>&\"'<img src=x onerror=window.__pwned=1>.csv"
mkdir -p "$T/in"
head -n -1 "$S/immigration_2016-2024.csv" > "$T/in/$EVIL"
assert_exit 0 ciatteh -q load --loaded-at '2025-01-16 09:00:00' immigration "$T/in/$EVIL"

t_begin "usage errors"
assert_exit 64 ciatteh publish --period 2023-2024
assert_contains "$ERR" "-o DIR is required"
assert_exit 64 ciatteh publish --period 2023-2024 --lang de -o "$T/x"
assert_contains "$ERR" "'de' is not en, fr or nl"
assert_exit 64 ciatteh publish --period 2023-2024 --lang fr,fr -o "$T/x"
assert_exit 64 ciatteh publish --period 2024-2023 -o "$T/x"
assert_exit 64 ciatteh publish --period 2023-2024 --as-of 2025-02-30 -o "$T/x"
assert_no_file "$T/x"

t_begin "publish: three languages, a page per chapter, each language's pack inside"
assert_exit 0 ciatteh publish --period 2023-2024 --as-of $ASOF -o "$SITE"
assert_match "$OUT" "^$SITE: 25 pages in 3 languages \([0-9]+ tables, [0-9]+ charts\), period 2023-2024, data as of $ASOF$"
assert_file "$SITE/index.html" "$SITE/style.css"
for l in fr nl en; do
    assert_file "$SITE/$l/index.html" "$SITE/$l/yoy.html" "$SITE/$l/smug_yoy.html" "$SITE/$l/checks.html" \
        "$SITE/$l/deliveries.html" "$SITE/$l/pack/annex-2023-2024-$l.xlsx" "$SITE/$l/pack/annex-2023-2024-$l.pdf"
    run sh -c "cd '$SITE/$l/pack' && sha256sum -c --strict --quiet MANIFEST"
    assert_eq "$RC" 0 "$l/pack: sha256sum -c MANIFEST"
    assert_contains "$(cat "$SITE/$l/index.html")" "$ASOF"
done
assert_contains "$(cat "$SITE/fr/index.html")" "Traite des êtres humains"
assert_contains "$(cat "$SITE/nl/index.html")" "Mensensmokkel"
assert_contains "$(cat "$SITE/en/index.html")" "Smuggling of human beings"
assert_eq "$(grep -l '<script' "$SITE"/*.html "$SITE"/*/*.html | wc -l)" 0 "no page has a script"
assert_eq "$(ls -a "$T" | grep -c '^\.site\.')" 0 "nothing left beside the site"

t_begin "one pattern for the three languages: the same releases, stored (the site's transaction committed)"
rel=$(grep '^# release' "$SITE/fr/pack/MANIFEST")
for l in nl en; do
    assert_eq "$(grep '^# release' "$SITE/$l/pack/MANIFEST")" "$rel" "$l names the releases fr names"
done
if [ -n "$rel" ]; then
    run ciatteh release list
    for id in $(printf '%s\n' "$rel" | sed -n 's/^# release [0-9]*: #\([0-9]*\) .*/\1/p'); do
        assert_match "$OUT" "^$id " "release #$id is stored"
    done
fi

t_begin "the workbooks in the site: years as numbers, printed to the width or in blocks, language, readable definitions"
run "$PY" "$HERE/check_site.py" workbook "$SITE" /dev/null "$CIA" "$ASOF"
assert_eq "$RC" 0 "workbook: $OUT $ERR"

if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
    t_begin "the site in a browser"
    skip "chromium is not installed (Debian package chromium; .ci/bootstrap installs it): the pages were not loaded in a browser"
    exit 0
fi

t_begin "every page loads in headless Chromium (axe-core and puppeteer-core from npm)"
if [ ! -d "$NODE_MODULES/axe-core" ] || [ ! -d "$NODE_MODULES/puppeteer-core" ]; then
    _fail "tests/tools/node/node_modules lacks axe-core or puppeteer-core: run .ci/bootstrap (npm ci --prefix tests/tools/node)"
    exit 1
fi
run node "$HERE/browse.js" "$SITE" "$T/browse.json" "$CHROMIUM"
assert_eq "$RC" 0 "browse.js: $ERR"
[ "$RC" = 0 ] || exit 1

# check WHAT — one of check_site.py's checks, passed when it finds nothing.
check() {
    run "$PY" "$HERE/check_site.py" "$1" "$SITE" "$T/browse.json" "$CIA" "$ASOF"
    assert_eq "$RC" 0 "$1: $OUT $ERR"
    [ -n "${TEST_VERBOSE:-}" ] && printf '%s\n' "$OUT"
    return 0
}
check pages

t_begin "every link leads to a file of the site (and every #anchor to an id)"
check links

t_begin "axe-core: no violation of WCAG 2.0/2.1 A and AA on any page"
check axe

t_begin "every table has a caption, column headings scope=col, row headings scope=row"
check structure

t_begin "no page is wider than a 360 px phone (tables scroll in their own box)"
check narrow

t_begin "charts: inline SVG, role=img, a title, real <text>, figures in the text alternative"
check charts

t_begin "a file name full of markup is shown as text and never runs"
check inert

t_begin "one date format per language: days in words, deliveries' dates included (no ISO day in any page's text)"
run "$PY" "$HERE/check_site.py" dates "$SITE" /dev/null "$CIA" "$ASOF"
assert_eq "$RC" 0 "dates: $OUT $ERR"

t_begin "every figure of every table, in every language, equals the pack's own CSV of it (withheld where the pack withholds)"
check pack

t_begin "the figures the browser shows equal ciatteh query, cell by cell, state and flags"
check figures
