# tests/chart/common.sh — sourced by tests/chart/test_*.sh after
# tests/lib.sh: loads the fixture extracts (tests/chart/data, see its
# README) into the script's private cluster and offers helpers.
#
# Load times are fixed: everything on 2024-03-01 but the police's
# 2022-2023 delivery, loaded on 2024-06-01 — so --as-of 2024-04-30 sees
# the police's 2019-2020 only.

DATA=$HERE/data
CHECK=$HERE/check_chart.py
NAMES="trend sentences sentences-bands victims referrals documents sectors nationalities"

load_fixtures() {
    local f s
    for f in police_2019_2020 prosecution_2019_2023 convictions_2019_2023 immigration_2019_2023 \
             inspectorates_2019_2023 shelters_payoke_2019_2023 shelters_surya_2019_2023; do
        s=${f%%_*}
        ciatteh -q load --loaded-at '2024-03-01 09:00:00+00' "$s" "$DATA/$f.csv" || return 1
    done
    ciatteh -q load --loaded-at '2024-06-01 09:00:00+00' police "$DATA/police_2022_2023.csv"
}

# check WHAT ARGS... — run check_chart.py; one assertion named after its output.
check() {
    run $PY "$CHECK" "$@"
    if [ "$RC" = 0 ]; then _pass "$1: $OUT"
    else _fail "check_chart.py $*" "$OUT$ERR"; fi
}
