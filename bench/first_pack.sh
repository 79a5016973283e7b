#!/bin/sh
# first_pack.sh OLD_BIN NEW_BIN BASE_HOME — the first protected pack of a
# database (2023-2024, fr) with two builds side by side, interleaved, twice,
# each on a fresh copy of BASE_HOME (a stopped CIATTEH_HOME, mode 755, with
# the samples loaded: etl/samples/demo.sh's loads), then the same pack again
# (its releases reused).  Prints wall and CPU time per pack and how many
# figures each withheld.  See BENCHMARKS.md, "Releases with continuous
# deviations".
set -u
old=${1:?usage: first_pack.sh OLD_BIN NEW_BIN BASE_HOME}
new=${2:?usage: first_pack.sh OLD_BIN NEW_BIN BASE_HOME}
base=${3:?usage: first_pack.sh OLD_BIN NEW_BIN BASE_HOME}
work=$(mktemp -d /tmp/first_pack.XXXXXX)
chmod 755 "$work"
export CIATTEH_HOME=$work/home
pack() {
    rm -rf "$work/out"
    /usr/bin/time -o "$work/time" -f "%e s wall, %U s user, %S s sys" \
        "$1" pack --period 2023-2024 --lang fr -o "$work/out" >"$work/pack.out" 2>/dev/null
    cat "$work/time"
}
for rep in 1 2; do
    for b in "$old" "$new"; do
        "$b" db stop >/dev/null 2>&1
        rm -rf "$CIATTEH_HOME"
        cp -a "$base" "$CIATTEH_HOME"
        "$b" db start >/dev/null 2>&1
        t=$(pack "$b")
        echo "$b run $rep, first pack: $t; $(grep -o '[0-9]* figures withheld' "$work/pack.out"); load $(cut -d' ' -f1 /proc/loadavg)"
        echo "$b run $rep, again: $(pack "$b")"
    done
done
"$new" db stop >/dev/null 2>&1
rm -rf "$work"
