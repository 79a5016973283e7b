# tests/unattended/common.sh — sourced after tests/lib.sh by the tests of
# `ciatteh run`: the extract generator, a site (configuration, incoming
# folders, output) and a set of good and bad extracts, and a summary of
# the final figures to compare two runs by.


GEN=""
for g in "${CIATTEH_GEN:-}" "$B/bin/ciatteh-gen" "$ROOT/bin/ciatteh-gen"; do
    [ -n "$g" ] && [ -x "$g" ] && { GEN=$g; break; }
done
if [ -z "$GEN" ]; then
    t_begin "extract generator"
    _fail "no ciatteh-gen (make all builds bin/ciatteh-gen; or set CIATTEH_GEN)"
    exit 1
fi

# make_extracts DIR — the extracts of one delivery round, written once and
# copied into each site: nine good files (the police twice, the second a
# newer 2021 file that replaces the first for 2021), three bad ones, and
# two that are never picked up (hidden, being uploaded).  Their mtimes set
# the loading order.
make_extracts() {
    local d
    d=$1
    mkdir -p "$d/police" "$d/drop"
    "$GEN" police --rows 400 --seed 11 --years 2018-2021 -o "$d/police/police_2018_2021.csv" &&
    "$GEN" police --rows 150 --seed 12 --years 2021-2021 -o "$d/police/police_2021_update.csv" &&
    "$GEN" prosecution --rows 400 --seed 11 --years 2018-2021 -o "$d/drop/parquet_2018_2021.csv" &&
    "$GEN" inspectorates --rows 200 --seed 11 --years 2018-2021 -o "$d/drop/inspections_2018_2021.csv" &&
    "$GEN" convictions --rows 400 --seed 11 --years 2018-2021 -o "$d/drop/cjc_2018_2021.csv" &&
    "$GEN" immigration --rows 300 --seed 11 --years 2018-2021 -o "$d/drop/ovo_2018_2021.csv" &&
    "$GEN" shelters --centre PAYOKE --rows 150 --seed 11 --years 2018-2021 -o "$d/drop/shelter_payoke.csv" &&
    "$GEN" shelters --centre SURYA --rows 120 --seed 11 --years 2018-2021 -o "$d/drop/shelter_surya.csv" &&
    "$GEN" shelters --centre PAGASA --rows 100 --seed 11 --years 2018-2021 -o "$d/drop/shelter_pagasa.csv" ||
        return 1
    cp "$ROOT/tests/ingest/data/bad/police_bad_date.csv" "$d/police/police_bad_date.csv"
    printf 'centre;person_ref;referral_date;admitted\nPAYOKE;P-1;2021-02-01;no\nBRUGGE;P-2;2021-02-03;no\n' \
        >"$d/drop/shelter_brugge.csv"
    printf 'minutes of the meeting\n' >"$d/drop/notes.txt"
    printf 'x\n' >"$d/drop/.hidden.csv"
    printf 'registration_date;fact_ref\n' >"$d/drop/upload.csv.part"
    # loading order: oldest first
    touch -d '2024-01-10 08:00' "$d"/drop/* "$d"/police/*
    touch -d '2024-01-09 08:00' "$d/police/police_2018_2021.csv"
    touch -d '2024-01-11 08:00' "$d/police/police_2021_update.csv"
}
GOOD="police/police_2018_2021.csv police/police_2021_update.csv drop/parquet_2018_2021.csv
      drop/inspections_2018_2021.csv drop/cjc_2018_2021.csv drop/ovo_2018_2021.csv
      drop/shelter_payoke.csv drop/shelter_surya.csv drop/shelter_pagasa.csv"
BAD="police/police_bad_date.csv drop/shelter_brugge.csv drop/notes.txt"
NEVER="drop/.hidden.csv drop/upload.csv.part"

# make_site DIR EXTRACTS [EXTRA CONFIG LINES] — a site: DIR/ciatteh.conf,
# DIR/in/{police,drop} filled from EXTRACTS, DIR/out for the packs.
make_site() {
    local s
    s=$1
    mkdir -p "$s/in" "$s/out"
    cp -a "$2/police" "$2/drop" "$s/in/"
    cat >"$s/ciatteh.conf" <<EOF
# test site
[run]
log = log/run.log
settle_seconds = 0

[incoming]
police = in/police
auto = in/drop

[patterns]
prosecution = parquet_*.csv
inspectorates = inspections_*.csv
convictions = cjc_*.csv, casier_*.csv
immigration = ovo_*.csv
shelters = shelter_*.csv

[check]
fail_on = error
unknown_value.unknown_share = 0.5

[pack]
output = out
period = 2020-2021
languages = ${PACK_LANGS:-fr}
as_of = today
${3:-}
EOF
}

# figures_of DB — every item's figures in database DB, broken down by all
# its dimensions, with their states: what `query` reads (figures()), in
# one statement (a `query` process per item cost a minute under ASan).
# What two runs must agree on.
figures_of() {
    sql "SELECT i.code || ' ' || f::text FROM item i
         CROSS JOIN LATERAL figures(i.code, now(), 2013, 2022, i.dims) f
         ORDER BY i.code, f::text" "$1" || echo "figures of $1 failed"
}

# site_state SITE — where every extract ended up (incoming, archive,
# rejected), names only, sorted.
site_state() {
    (cd "$1/in" && find . -type f ! -name '*.errors.txt' | sort)
}
