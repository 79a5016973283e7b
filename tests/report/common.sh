# tests/report/common.sh — sourced by tests/report/test_*.sh after
# tests/lib.sh: loads the fixture extracts into the script's private
# cluster and offers helpers to build a report in every language and
# format and to check it with check_report.py.
#
# Fixtures (tests/report/data, made by tests/tools/ciatteh-gen, see
# data/README) and the bundled samples (etl/samples), loaded with fixed
# load times so provenance lines are the same on every run:
#   2024-01-10  the samples: convictions 2020, others 2021 (Payoke, Sürya)
#   2024-03-01  every service 2019-2023 (shelters: Payoke and Sürya
#               2019-2023, Pag-Asa 2019-2021 only)
#   2024-06-01  a newer convictions delivery for 2022-2023
# So: 2018 is delivered by nobody (not known), Pag-Asa sent nothing for
# 2022-2023, conviction years 2022-2023 are provisional, and --as-of
# 2024-04-30 / 2024-02-01 see the earlier states.

DATA=$HERE/data
CHECK=$HERE/check_report.py

load_fixtures() {
    local s f
    for f in "$ROOT"/etl/samples/*.csv; do
        s=$(basename "$f" .csv); s=${s%%_*}
        [ "$s" = shelter ] && s=shelters
        ciatteh -q load --loaded-at '2024-01-10 09:00:00+00' "$s" "$f" || return 1
    done
    for s in police prosecution inspectorates convictions immigration; do
        ciatteh -q load --loaded-at '2024-03-01 09:00:00+00' "$s" "$DATA/${s}_2019_2023.csv" || return 1
    done
    for f in shelters_payoke_2019_2023 shelters_surya_2019_2023 shelters_pagasa_2019_2021; do
        ciatteh -q load --loaded-at '2024-03-01 09:30:00+00' shelters "$DATA/$f.csv" || return 1
    done
    ciatteh -q load --loaded-at '2024-06-01 09:00:00+00' convictions "$DATA/convictions_2022_2023_update.csv"
}

# build_all REPORT YEARS OUTDIR [EXTRA OPTIONS...] — the report in every
# language and format, with its trace: OUTDIR/{en,fr,nl}.{txt,csv,loc.csv,
# xlsx,trace.csv}.  Asserts that each run exits 0.
build_all() {
    local rep years dir l
    rep=$1 years=$2 dir=$3
    shift 3
    mkdir -p "$dir"
    for l in en fr nl; do
        assert_exit 0 ciatteh report "$rep" --years "$years" --lang "$l" --trace "$dir/$l.trace.csv" \
            -o "$dir/$l.txt" "$@"
        assert_exit 0 ciatteh report "$rep" --years "$years" --lang "$l" --format csv -o "$dir/$l.csv" "$@"
        assert_exit 0 ciatteh report "$rep" --years "$years" --lang "$l" --format csv --localized \
            -o "$dir/$l.loc.csv" "$@"
        assert_exit 0 ciatteh report "$rep" --years "$years" --lang "$l" -o "$dir/$l.xlsx" "$@"
    done
}

# check_all DIR [--as-of DATE] — every figure of the trace against
# `ciatteh query`, then every rendered cell (text, CSV, localised CSV,
# XLSX) of every language against the trace.
check_all() {
    local dir l
    dir=$1
    shift
    assert_exit 0 cmp "$dir/en.trace.csv" "$dir/fr.trace.csv"
    assert_exit 0 cmp "$dir/en.trace.csv" "$dir/nl.trace.csv"
    run $PY "$CHECK" --cia "$CIA" --trace "$dir/en.trace.csv" --queries "$@"
    if [ "$RC" = 0 ]; then _pass "figures = ciatteh query ($(printf '%s' "$OUT" | tail -n 1))"
    else _fail "figures differ from ciatteh query" "$OUT$ERR"; fi
    for l in en fr nl; do
        run $PY "$CHECK" --trace "$dir/$l.trace.csv" --lang "$l" --text "$dir/$l.txt" --csv "$dir/$l.csv" \
            --loc-csv "$dir/$l.loc.csv" --xlsx "$dir/$l.xlsx"
        if [ "$RC" = 0 ]; then _pass "$l outputs = trace ($(printf '%s' "$OUT" | tail -n 1))"
        else _fail "$l: rendered figures differ from the trace" "$OUT$ERR"; fi
    done
}

# cell DIR LANG TABLE ROWKEY COLKEY — a figure of the trace: "value|flags".
cell() {
    awk -F, -v t="$3" -v r="$4" -v c="$5" '$1 == t && $4 == r && $5 == c { print $13 "|" $14 }' "$1/$2.trace.csv"
}
