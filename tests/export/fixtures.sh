# fixtures.sh — sourced by tests/export/test_*.sh after tests/lib.sh: loads
# the extracts of data/ (see data/make_fixtures.py for what they hold).
# Everything but the convictions is back-dated to 15 January 2022; the
# convictions of 2019-2020 arrive on 1 July 2021, those of 2021 on
# 1 February 2022 (provisional then), and load_revision adds the revised
# 2019-2020 file on 1 March 2022.
FIX=$HERE/data
# check.py keeps `ciatteh query` answers here while the data stay the same.
CHECK_CACHE=$T/query-cache.json
export CIA CHECK_CACHE

load_fixtures() {
    local f
    assert_exit 0 ciatteh -q load --loaded-at '2021-07-01 10:00' convictions "$FIX/convictions_2020.csv" || return 1
    for f in prosecution:prosecution_2021 police:police_2021 immigration:immigration_2021; do
        assert_exit 0 ciatteh -q load --loaded-at '2022-01-15 09:00' "${f%%:*}" "$FIX/${f#*:}.csv" || return 1
    done
    assert_exit 0 ciatteh -q load --loaded-at '2022-01-15 09:00' shelters "$FIX/shelter_pagasa_2021.csv" \
        "$FIX/shelter_payoke_2021.csv" "$FIX/shelter_surya_2021.csv" || return 1
    assert_exit 0 ciatteh -q load --loaded-at '2022-02-01 10:00' convictions "$FIX/convictions_2021.csv"
}

load_revision() {
    CHECK_CACHE=$T/query-cache-revised.json
    assert_exit 0 ciatteh -q load --loaded-at '2022-03-01 10:00' convictions "$FIX/convictions_2020_revised.csv"
}

# check ARGS...: run check.py; passes when it exits 0 and says "0 problems".
check() {
    assert_exit 0 "$PY" "$HERE/check.py" "$@" && assert_contains "$OUT" ", 0 problems"
}
