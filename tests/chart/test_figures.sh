#!/bin/sh
# test_figures.sh — every figure a chart draws is the one `ciatteh query`
# gives (through --dump, the JSON account of what was drawn), with its
# marks: a year nobody delivered not known (never 0), a code without
# records 0 where the service delivered, provisional years p, lower
# bounds u; and the value labels written on the chart (PDF text) are those
# figures, formatted in the chart's language.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

t_begin "fixtures load"
assert_exit 0 load_fixtures

for n in $NAMES; do
    t_begin "$n: figures = ciatteh query, 2018-2023 and 2022-2023"
    for y in 2018-2023 2022-2023; do
        assert_exit 0 ciatteh chart "$n" --years "$y" -o "$T/$n.svg" --dump "$T/$n-$y.json"
        check figures "$T/$n-$y.json" --cia "$CIA"
    done
done

t_begin "other items, breakdowns and filters"
assert_exit 0 ciatteh chart trend --years 2019-2023 --items police.victims,shelter.referrals \
    --where form=LAB -o "$T/t1.png" --dump "$T/t1.json"
check figures "$T/t1.json" --cia "$CIA"
# the title names the items chosen, never the default's "Key figures"
assert_not_contains "$(cat "$T/t1.json")" "Key figures"
assert_match "$(cat "$T/t1.json")" '"title":"[^"]* and [^"]*, by year'
assert_exit 0 ciatteh chart trend --years 2019-2023 --lang fr -o "$T/t0.png" --dump "$T/t0.json"
assert_contains "$(cat "$T/t0.json")" '"title":"Chiffres clés par année'
assert_exit 0 ciatteh chart trend --years 2019-2023 --lang nl -o "$T/t5.png" --dump "$T/t5.json" \
    --items police.facts,police.suspects,police.victims,prosecution.cases_in
assert_contains "$(cat "$T/t5.json")" '"title":"Gekozen items per jaar'
assert_exit 0 ciatteh chart trend --years 2019-2023 --items shelter.referrals --by referrer -o "$T/t2.png" --dump "$T/t2.json"
check figures "$T/t2.json" --cia "$CIA"
assert_exit 0 ciatteh chart sentences --years 2019-2023 --where sex=M -o "$T/s1.png" --dump "$T/s1.json"
check figures "$T/s1.json" --cia "$CIA"
assert_contains "$(cat "$T/s1.json")" '"where":"sex=M"'
assert_exit 0 ciatteh chart victims --years 2019-2023 --by age_group -o "$T/v1.png" --dump "$T/v1.json"
check figures "$T/v1.json" --cia "$CIA"
assert_exit 0 ciatteh chart victims --years 2022-2023 --by referrer,sex --items shelter.referrals -o "$T/v2.png" --dump "$T/v2.json"
check figures "$T/v2.json" --cia "$CIA"
# --where on a split chart: each bar's where is the split's code and the
# request's (a definition written as text once refused two where= there)
assert_exit 0 ciatteh chart victims --years 2019-2023 --where age_group=MINOR -o "$T/v3.png" --dump "$T/v3.json"
check figures "$T/v3.json" --cia "$CIA"
assert_contains "$(cat "$T/v3.json")" '"where":"age_group=MINOR"'
assert_exit 0 ciatteh chart bars --years 2021-2023 --items conviction.persons --by form -o "$T/b1.png" --dump "$T/b1.json"
check figures "$T/b1.json" --cia "$CIA"

t_begin "--as-of: the data as they stood (police 2022-2023 loaded later)"
assert_exit 0 ciatteh chart trend --years 2019-2023 --items police.facts --as-of 2024-04-30 -o "$T/a.png" --dump "$T/a.json"
check figures "$T/a.json" --cia "$CIA" --as-of 2024-04-30
assert_exit 0 ciatteh chart trend --years 2019-2023 --items police.facts -o "$T/b.png" --dump "$T/b.json"
# the later delivery is there without --as-of, not with it
assert_contains "$(tr -d ' \n' < "$T/b.json")" '{"known":true,"value":' 
assert_eq "$(tr -d ' \n' < "$T/a.json" | grep -o '"known":true' | wc -l)" 2 "two years known as of 2024-04-30"
assert_eq "$(tr -d ' \n' < "$T/b.json" | grep -o '"known":true' | wc -l)" 4 "four years known today (2021 never delivered)"

t_begin "a year not delivered is not known, never 0"
assert_exit 0 ciatteh chart trend --years 2019-2023 --items police.facts -o "$T/g.png" --dump "$T/g.json"
run $PY -c "import json,sys; d=json.load(open('$T/g.json')); c=[x['key'] for x in d['categories']].index('2021'); v=d['values'][0][c]; sys.exit(0 if (not v['known'] and v['value'] is None) else 1)"
assert_eq "$RC" 0 "2021 of police.facts is not known in the chart"

t_begin "value labels on the chart are the figures, in each language"
for l in en fr nl; do
    assert_exit 0 ciatteh chart sentences --years 2019-2023 --lang "$l" -o "$T/s-$l.pdf" --dump "$T/s-$l.json"
    run pdftotext -enc UTF-8 "$T/s-$l.pdf" "$T/s-$l.txt"
    check labels "$T/s-$l.json" "$T/s-$l.txt"
    assert_exit 0 ciatteh chart documents --years 2022-2023 --lang "$l" -o "$T/d-$l.pdf" --dump "$T/d-$l.json"
    run pdftotext -enc UTF-8 "$T/d-$l.pdf" "$T/d-$l.txt"
    check labels "$T/d-$l.json" "$T/d-$l.txt"
done
