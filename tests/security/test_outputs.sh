#!/bin/sh
# test_outputs.sh — output files under attack (issue 18, attack 2): a link
# planted at the temporary name or at the destination, a FIFO or a device
# as the destination, `-o /dev/stdout`; the rejects file of a load.  Each
# refused (73) or written where it belongs, nothing outside; `-o -` writes
# to standard output; the mode follows the umask.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"
need_gen

D=$T/out
mkdir -p "$D"
"$GEN" police --rows 80 --seed 5 --years 2020-2021 --style plain -o "$T/police.csv"
ciatteh db init >/dev/null 2>&1
ciatteh load police "$T/police.csv" >/dev/null 2>&1
REPORT="report yoy --years 2020-2021 --format csv"
BEFORE=$(areas "$VICTIM")

t_begin "a link planted at the temporary name (PATH.tmp.PID) is never written through"
# the shell's own pid is the program's after exec: the name it would use
sh -c 'ln -s "$1/shadow" "$2/r.csv.tmp.$$"; exec "$3" '"$REPORT"' -o "$2/r.csv"' sh "$VICTIM" "$D" "$CIA" \
    >"$T/o" 2>"$T/e"
assert_eq "$?" 0 "exit 0: another temporary name was taken"
assert_contains "$(cat "$D/r.csv")" "police" "the report is in place"
assert_eq "$(find "$D" -name 'r.csv.tmp.*' -type l | wc -l)" 1 "the planted link is still a link"
rm -f "$D"/r.csv.tmp.*

t_begin "a destination that is a link, a FIFO, a device: refused (73), never replaced"
ln -s "$VICTIM/shadow" "$D/link.csv"
assert_exit 73 ciatteh $REPORT -o "$D/link.csv"
assert_contains "$ERR" "link.csv: refusing to replace it: a symbolic link, not a regular file"
assert_eq "$(readlink "$D/link.csv")" "$VICTIM/shadow" "still the same link"
mkfifo "$D/fifo.csv"
assert_exit 73 ciatteh $REPORT -o "$D/fifo.csv"
assert_contains "$ERR" "fifo.csv: refusing to replace it: a FIFO"
# what /dev/stdout is, a link to /proc/self/fd/1, made here: the machine's
# own is tried below only once this one is refused, so that a regression
# never replaces it (an old binary did: the rename left a regular file)
ln -s /proc/self/fd/1 "$D/stdout"
assert_exit 73 ciatteh $REPORT -o "$D/stdout"
assert_contains "$ERR" "$D/stdout: refusing to replace it: a symbolic link"
assert_eq "$(readlink "$D/stdout")" /proc/self/fd/1 "still the same link"
assert_exit 73 ciatteh $REPORT -o /dev/null
assert_contains "$ERR" "/dev/null: refusing to replace it: a device"
assert_eq "$(find "$D" -name '*.tmp.*' | wc -l)" 0 "no temporary file left"

t_begin "-o /dev/stdout: refused (73), /dev/stdout still a link"
if [ "$(find "$D/stdout" -maxdepth 0 -type l | wc -l)" != 1 ]; then
    _fail "the test's own link to /proc/self/fd/1 was replaced: /dev/stdout not tried"
elif [ ! -L /dev/stdout ]; then
    skip "this machine's /dev/stdout is not a symbolic link ($(stat -c %F /dev/stdout 2>&1)); as root: ln -sf /proc/self/fd/1 /dev/stdout"
else
    assert_exit 73 ciatteh $REPORT -o /dev/stdout
    assert_contains "$ERR" "/dev/stdout: refusing to replace it: a symbolic link"
    assert_eq "$(find /dev/stdout -maxdepth 0 -type l | wc -l)" 1 "/dev/stdout is still a link"
fi

t_begin "-o - writes to standard output"
assert_exit 0 ciatteh $REPORT -o -
assert_contains "$OUT" "police"
assert_no_file ./-
assert_exit 0 ciatteh report yoy --years 2020-2021 --format xlsx -o -
assert_eq "$(printf '%s' "$OUT" | head -c 2)" "PK" "an xlsx workbook (zip) on standard output"

t_begin "the output's mode follows the umask"
(umask 077 && "$CIA" $REPORT -o "$D/private.csv" >/dev/null 2>&1)
assert_eq "$(stat -c %a "$D/private.csv")" 600 "umask 077: 0600"
(umask 022 && "$CIA" $REPORT -o "$D/shared.csv" >/dev/null 2>&1)
assert_eq "$(stat -c %a "$D/shared.csv")" 644 "umask 022: 0644"

t_begin "the rejects file of a load: a link there is refused (73), nothing loaded"
"$GEN" police --rows 20 --seed 6 --years 2019-2019 --style plain -o "$T/p2019.csv"
printf 'bad;line\n' >>"$T/p2019.csv"
ln -s "$VICTIM/shadow" "$D/rej.csv"
assert_exit 73 ciatteh load --keep-going --rejects "$D/rej.csv" police "$T/p2019.csv"
assert_contains "$ERR" "rej.csv: refusing to replace it: a symbolic link"
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE file_name = 'p2019.csv'")" 0 "nothing loaded"

t_begin "nothing written outside the intended folders"
assert_eq "$(areas "$VICTIM")" "$BEFORE" "the stand-in /etc is untouched"
