#!/bin/sh
# lint_layers.sh [ROOT] — fails when an #include crosses the layers the
# wrong way.  Layers, bottom up:
#
#   0 core      src/core/       shared helpers (errors, buffers, dates, home,
#                                countries, test hooks)
#   1 schema    schema/         the database: cluster, connection, migrations
#   2 etl       etl/            reading, validating, loading extracts
#   2 reports   reports/*/      figures, tables, charts, answers, the pack
#                               (one sub-folder per concern, reports/README.md)
#   3 pipeline  src/pipeline/   the unattended run, above etl and reports
#   4 cli       src/*.c         one file per subcommand: prints and exits
#
# A file may include headers of its own layer or of a lower one; etl and
# reports, side by side, never include each other.  A header
# include/ciatteh/X.h belongs to the layer of the X.c that implements it
# (or to the layer the table below gives).  And nothing above the figure
# layer reads item facts (see the end).  `make lint-layers`; `make test`
# runs it first.  Exit 0 clean, 1 with one line per crossing.
ROOT=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT" || exit 2

exceptions="render:reports reader:etl cli:cli cli_options:cli programs:cli load_run:etl"

# One awk over every file (a shell loop forking per include took 7 s of
# CPU, and test_layers runs this ten times).  Its first input, "-", names
# the headers' implementations in the order they are looked for: the
# table's exceptions, then X.c in src/core, schema, etl, reports,
# reports/*, src/pipeline, src (the first found gives X.h its layer).
srcs=$(find src schema etl reports -name '*.c' -o -name '*.h' 2>/dev/null | sort)
hdrs=$(for h in include/ciatteh/*.h; do [ -f "$h" ] && echo "$h"; done)
{
    for x in $exceptions; do echo "${x%%:*} =${x#*:}"; done
    for d in src/core schema etl reports reports/* src/pipeline src; do
        for c in "$d"/*.c; do [ -f "$c" ] && echo "$c"; done
    done
} | awk '
function layer_of_file(p) {
    if (p ~ /^src\/core\//) return "core"
    if (p ~ /^schema\//) return "schema"
    if (p ~ /^etl\//) return "etl"
    if (p ~ /^reports\//) return "reports"
    if (p ~ /^src\/pipeline\//) return "pipeline"
    if (p ~ /^src\//) return "cli"
    return ""
}
function rank(l) {
    return l == "core" ? 0 : l == "schema" ? 1 : (l == "etl" || l == "reports") ? 2 : l == "pipeline" ? 3 : l == "cli" ? 4 : 9
}
function base(p) { sub(/.*\//, "", p); sub(/\.[ch]$/, "", p); return p }
function wrong(hl, fl) { return rank(hl) > rank(fl) || (hl != fl && rank(hl) == rank(fl)) }
FILENAME == "-" {
    if ($2 ~ /^=/) { if (!($1 in hl)) hl[$1] = substr($2, 2) }
    else { n = base($1); if (!(n in hl)) hl[n] = layer_of_file($1) }
    next
}
FNR == 1 {
    hdr = FILENAME ~ /^include\/ciatteh\//
    fl = hdr ? (base(FILENAME) in hl ? hl[base(FILENAME)] : "") : layer_of_file(FILENAME)
}
fl != "" && /^[ \t]*#[ \t]*include[ \t]*"ciatteh\/[a-z_0-9]*\.h"/ {
    h = $0; sub(/^[^"]*"ciatteh\//, "", h); sub(/\.h".*/, "", h)
    l = h in hl ? hl[h] : ""
    if (l == "") {
        if (!hdr) { printf "%s: includes ciatteh/%s.h, which belongs to no layer (implement it in X.c or add it to lint_layers.sh'"'"'s table)\n", FILENAME, h; bad = 1 }
    } else if (wrong(l, fl)) {
        printf "%s (%s) includes ciatteh/%s.h (%s): layers point down only (tests/hygiene/lint_layers.sh)\n", FILENAME, fl, h, l
        bad = 1
    }
}
END { exit bad }
' - $srcs $hdrs || bad=1
bad=${bad:-0}

# hits PATTERN FILES... — "FILE:LINE" of each line matching PATTERN that is
# not a comment.
hits() {
    pat=$1; shift
    [ $# -gt 0 ] || return 0
    grep -Hn "$pat" "$@" | grep -v '^[^:]*:[0-9]*:[[:space:]]*\(/\*\|\*\|//\|--\|#\)' | cut -d: -f1,2
}
for hit in $([ -n "$srcs" ] && grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*/' $srcs |
                grep -v '"ciatteh/' | cut -d: -f1,2); do
    echo "$hit: includes another folder's private header: include ciatteh/X.h, or move the file"
    bad=1
done
for hit in $(hits 'item_fact' $(find reports src -type f 2>/dev/null \( -name '*.c' -o -name '*.h' -o -name '*.sql' \
                                     -o -name '*.rule' -o -name '*.def' -o -name '*.q' \) | sort)); do
    echo "$hit: reads item_fact: go through the figure layer (figures(), facts_as_of(): schema/0009, 0015)"
    bad=1
done
for hit in $(hits 'JOIN code [a-z]* *ON [a-z]*\.list *= *[a-z]*\.list' \
                  $(find reports src -type f -name '*.c' 2>/dev/null | grep -v '^reports/figures/' | sort)); do
    echo "$hit: reads a code list itself: use cia_cat_dim_codes (catalogue.h)"
    bad=1
done
exit $bad
