#!/bin/sh
# test_smaller.sh — the smaller findings of issue 18 (point 7): a delivery
# is dated at its commit (an --as-of answer for a moment before never
# changes), the 200-character reference limit counts characters,
# `--where form,district=...` is refused with the right hint, and a failed
# big load is followed by a checkpoint.
. "$(dirname "$0")/../lib.sh"
need_gen

D=$T/small
mkdir -p "$D"
"$GEN" police --rows 50 --seed 9 --years 2021-2021 --style plain -o "$D/p.csv"
ciatteh db init >/dev/null 2>&1

t_begin "a delivery is dated at its commit: an as-of answer for a moment before it never changes"
rm -f "$T/paused"
CIATTEH_TEST_SLEEP_AT=stamp:2 CIATTEH_TEST_PAUSED=$T/paused ciatteh load police "$D/p.csv" >"$T/out" 2>"$T/err" &
pid=$!
wait_until 60 test -f "$T/paused" || _fail "the load never reached its pause"
T0=$(sql "SELECT clock_timestamp()")
asof() { sql "SELECT count(*) FROM coverage_as_of('$T0')"; }
BEFORE=$(asof)
wait $pid
assert_eq "$?" 0 "the load committed"
assert_eq "$(asof)" "$BEFORE" "the as-of answer for a moment during the load is what it was then"
assert_eq "$(sql "SELECT loaded_at > '$T0' FROM delivery")" t "loaded_at is the commit's moment, after T0"

t_begin "the 200-character reference limit counts characters, not bytes"
E=$(printf 'é%.0s' $(seq 1 200))
{ head -1 "$D/p.csv"; sed -n 2p "$D/p.csv" | awk -F';' -v OFS=';' -v r="$E" '{$2 = r; print}'; } >"$D/accents.csv"
assert_exit 0 ciatteh load police "$D/accents.csv"
{ head -1 "$D/p.csv"; sed -n 2p "$D/p.csv" | awk -F';' -v OFS=';' -v r="${E}é" '{$2 = r; print}'; } >"$D/accents201.csv"
assert_exit 65 ciatteh load police "$D/accents201.csv"
assert_contains "$ERR" "accents201.csv:2:fact_ref: reference longer than 200 characters"

t_begin "--where with two dimensions in one: refused (64) with the right hint"
assert_exit 64 ciatteh query police.facts --where form,district=ANT
assert_contains "$ERR" "--where 'form,district=ANT': one dimension per --where (e.g. --where form=CODE --where district=CODE)"

# A rolled-back load leaves its WAL until the next checkpoint: failed big
# loads in a row once filled a small disk until the server stopped.  After
# a failed load of more than 64 MB the loader asks for a checkpoint, so the
# WAL is recycled at once (docs/RELIABILITY.md section 9); not after a
# small one, where the WAL is small.
t_begin "a failed load of more than 64 MB is followed by a checkpoint (its WAL recycled at once)"
ckpts() { sql "SELECT checkpoints_req FROM pg_stat_bgwriter"; }
"$GEN" police --rows 1100000 --seed 5 --years 2010-2012 -o "$D/big.csv"
sed -i '2s/^[^;,]*/notadate/' "$D/big.csv"
assert_eq "$(( $(stat -c %s "$D/big.csv") > 64 * 1024 * 1024 ))" 1 "the extract is over 64 MB"
sed -n 1,3000p "$D/big.csv" >"$D/small.csv"
before=$(ckpts)
assert_exit 65 ciatteh load police "$D/small.csv"
assert_eq "$(ckpts)" "$before" "no checkpoint after a small failed load"
assert_exit 65 ciatteh load police "$D/big.csv"
assert_contains "$ERR" "big.csv:2:"
# (the checkpointer reports its count just after the checkpoint ends)
n=0; while [ "$(ckpts)" = "$before" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
assert_eq "$(ckpts)" "$((before + 1))" "one checkpoint after the big failed load"
rm -f "$D/big.csv"
