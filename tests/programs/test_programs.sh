#!/bin/sh
# test_programs.sh — `ciatteh` is four programs (src/prog/): the entry
# point runs ciatteh-query for `query`, ciatteh-data for db, admin, load,
# deliveries and items, and ciatteh-full for everything else, from its own
# folder, with the same arguments (`query --release` to ciatteh-full too);
# the light two load none of the renderers' or GLPK's libraries (what makes
# a query or a load start fast, BENCHMARKS.md).
. "$(dirname "$0")/../lib.sh"

D=$T/progs
mkdir -m 755 "$D"
cp "$CIA" "$D/ciatteh"
# Stand-ins that say which program ran, and with what.
for p in ciatteh-query ciatteh-data ciatteh-full; do
    printf '#!/bin/sh\necho "%s $*"\nexit 3\n' "$p" > "$D/$p"
    chmod 755 "$D/$p"
done

t_begin "query goes to ciatteh-query, with every argument"
assert_exit 3 "$D/ciatteh" --db "host=/x dbname=y" -q query police.victims --by form --years 2019-2023
assert_eq "$OUT" "ciatteh-query --db host=/x dbname=y -q query police.victims --by form --years 2019-2023"
assert_exit 3 "$D/ciatteh" --db=query query x
assert_eq "$OUT" "ciatteh-query --db=query query x"

t_begin "query --release (GLPK's) goes to ciatteh-full, in any spelling"
for r in "--release 3" "--release=3" "--rel 3" "--r=3"; do
    assert_exit 3 "$D/ciatteh" query police.victims $r
    assert_eq "$OUT" "ciatteh-full query police.victims $r"
done
assert_exit 3 "$D/ciatteh" query -- --release
assert_eq "$OUT" "ciatteh-query query -- --release" "after --, not an option"

t_begin "the store's and the extracts' commands go to ciatteh-data"
for c in "load police f.csv" "db start" "admin roles" "deliveries" "items --lang fr"; do
    assert_exit 3 "$D/ciatteh" -q $c
    assert_eq "$OUT" "ciatteh-data -q $c"
done
assert_exit 3 "$D/ciatteh" loads police f.csv
assert_eq "$OUT" "ciatteh-full loads police f.csv" "only exact names: the rest is ciatteh-full's to refuse"

t_begin "every other command, help and the version go to ciatteh-full"
assert_exit 3 "$D/ciatteh" --db query report yoy
assert_eq "$OUT" "ciatteh-full --db query report yoy" "a --db named query is not the command"
assert_exit 3 "$D/ciatteh" check --period 2020-2021
assert_eq "$OUT" "ciatteh-full check --period 2020-2021"
assert_exit 3 "$D/ciatteh" --db load report load
assert_eq "$OUT" "ciatteh-full --db load report load" "a --db named load is not the command"
assert_exit 3 "$D/ciatteh" help query
assert_eq "$OUT" "ciatteh-full help query"
assert_exit 3 "$D/ciatteh" --version
assert_eq "$OUT" "ciatteh-full --version"
assert_exit 3 "$D/ciatteh" --bogus query
assert_eq "$OUT" "ciatteh-full --bogus query" "a bad option is ciatteh-full's to report"
assert_exit 3 "$D/ciatteh"
assert_eq "$OUT" "ciatteh-full "

t_begin "a program missing beside ciatteh: exit 70 and what to install"
rm "$D/ciatteh-query"
assert_exit 70 "$D/ciatteh" query police.victims
assert_contains "$ERR" "cannot run $D/ciatteh-query"
assert_contains "$ERR" "installed together"

t_begin "the built programs answer as one ciatteh"
assert_exit 0 ciatteh --version
assert_match "$OUT" '^ciatteh [0-9]'
assert_exit 0 ciatteh query --help
assert_contains "$OUT" "usage: ciatteh query ITEM"
assert_exit 64 ciatteh query
assert_contains "$ERR" "expected one ITEM"
assert_exit 64 ciatteh nosuch
assert_contains "$ERR" "no such command 'nosuch'"
assert_exit 64 ciatteh load police
assert_contains "$ERR" "load: expected SERVICE"
for c in db admin load deliveries items; do
    assert_exit 0 "${CIA%/*}/ciatteh-data" $c --help
    assert_contains "$OUT" "usage: ciatteh $c" "ciatteh-data runs $c itself"
done
assert_exit 64 "${CIA%/*}/ciatteh-data" report yoy
assert_contains "$ERR" "no such command 'report'" "ciatteh-data holds only its own commands"

t_begin "ciatteh-query run directly refuses --release (ciatteh-full applies it)"
assert_exit 64 "${CIA%/*}/ciatteh-query" query police.victims --release 1
assert_contains "$ERR" "run it as \`ciatteh query\`"

t_begin "ciatteh-query and ciatteh-data link none of the renderers' libraries"
if command -v readelf >/dev/null; then
    for p in ciatteh-query ciatteh-data; do
        run readelf -d "${CIA%/*}/$p"
        assert_contains "$OUT" "libpq.so"
        for lib in libcairo libpango libqpdf libxml2 libpng libglpk libxlsxwriter; do
            assert_not_contains "$OUT" "[$lib" "$p does not load $lib"
        done
    done
    run readelf -d "${CIA%/*}/ciatteh-full"
    assert_contains "$OUT" "[libcairo" "ciatteh-full does (the check can see one)"
else
    skip "no readelf"
fi
