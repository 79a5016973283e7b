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

# Headers whose implementation is not X.c.
exceptions="render:reports reader:etl cli:cli cli_options:cli programs:cli load_run:etl"

rank() {   # rank LAYER
    case $1 in core) echo 0 ;; schema) echo 1 ;; etl|reports) echo 2 ;; pipeline) echo 3 ;; cli) echo 4 ;; *) echo 9 ;; esac
}
layer_of_file() {   # layer_of_file PATH.c
    case $1 in
        src/core/*) echo core ;; schema/*) echo schema ;; etl/*) echo etl ;;
        reports/*) echo reports ;; src/pipeline/*) echo pipeline ;; src/*) echo cli ;; *) echo "" ;;
    esac
}
layer_of_header() {   # layer_of_header NAME (without .h)
    for x in $exceptions; do
        [ "${x%%:*}" = "$1" ] && { echo "${x#*:}"; return; }
    done
    for d in src/core schema etl reports reports/* src/pipeline src; do
        [ -f "$d/$1.c" ] && { layer_of_file "$d/$1.c"; return; }
    done
    echo ""
}

bad=0
for f in $(find src schema etl reports -name '*.c' -o -name '*.h' | sort); do
    fl=$(layer_of_file "$f")
    [ -n "$fl" ] || continue
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"ciatteh\/\([a-z_0-9]*\)\.h".*/\1/p' "$f"); do
        hl=$(layer_of_header "$h")
        if [ -z "$hl" ]; then
            echo "$f: includes ciatteh/$h.h, which belongs to no layer (implement it in X.c or add it to lint_layers.sh's table)"
            bad=1
        elif [ "$(rank "$hl")" -gt "$(rank "$fl")" ] || { [ "$hl" != "$fl" ] && [ "$(rank "$hl")" = "$(rank "$fl")" ]; }; then
            echo "$f ($fl) includes ciatteh/$h.h ($hl): layers point down only (tests/hygiene/lint_layers.sh)"
            bad=1
        fi
    done
done
# Headers themselves: a header of a lower layer may not include a higher one.
for f in include/ciatteh/*.h; do
    n=$(basename "$f" .h)
    fl=$(layer_of_header "$n")
    [ -n "$fl" ] || continue
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"ciatteh\/\([a-z_0-9]*\)\.h".*/\1/p' "$f"); do
        hl=$(layer_of_header "$h")
        [ -n "$hl" ] || continue
        if [ "$(rank "$hl")" -gt "$(rank "$fl")" ] || { [ "$hl" != "$fl" ] && [ "$(rank "$hl")" = "$(rank "$fl")" ]; }; then
            echo "$f ($fl) includes ciatteh/$h.h ($hl): layers point down only (tests/hygiene/lint_layers.sh)"
            bad=1
        fi
    done
done
# A folder's private header (reports/charts/chart_int.h, reports/tables/
# report_int.h: internals shared by the files of one concern) is included
# by the files beside it only, never reached from another folder.
for f in $(find src schema etl reports -name '*.c' -o -name '*.h' | sort); do
    grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*/' "$f" | grep -v '"ciatteh/' |
    while IFS= read -r hit; do
        echo "$f:${hit%%:*}: includes another folder's private header: include ciatteh/X.h, or move the file"
    done | grep . && bad=1
done
# The figure layer alone reads item facts (issue 13): figures() and
# facts_as_of() in schema/ decide what a cell is; reports, charts, checks,
# the pack, questionnaires and the CLI read them, never item_fact or an
# item's view item_fact_X.  Comments may name them.
for f in $(find reports src -type f \( -name '*.c' -o -name '*.h' -o -name '*.sql' -o -name '*.rule' \
                                        -o -name '*.def' -o -name '*.q' \) | sort); do
    grep -n 'item_fact' "$f" | grep -v '^[0-9]*:[[:space:]]*\(/\*\|\*\|//\|--\|#\)' |
    while IFS= read -r hit; do
        echo "$f:${hit%%:*}: reads item_fact: go through the figure layer (figures(), facts_as_of(): schema/0009, 0015)"
    done | grep . && bad=1
done
# The catalogue is read once, by the figure layer (reports/figures/,
# catalogue.h): a dimension's code list comes from cia_cat_dim_codes,
# never from a join of the catalogue tables of its own elsewhere in C.
for f in $(find reports src -type f -name '*.c' | grep -v '^reports/figures/' | sort); do
    grep -n 'JOIN code [a-z]* *ON [a-z]*\.list *= *[a-z]*\.list' "$f" | grep -v '^[0-9]*:[[:space:]]*\(/\*\|\*\|//\)' |
    while IFS= read -r hit; do
        echo "$f:${hit%%:*}: reads a code list itself: use cia_cat_dim_codes (catalogue.h)"
    done | grep . && bad=1
done
exit $bad
