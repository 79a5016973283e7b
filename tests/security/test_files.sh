#!/bin/sh
# test_files.sh — hostile input files (issue 18, attacks 3 and 7): each
# opened once, without following a link or waiting on a FIFO; the hash
# recorded is that of the bytes loaded; a file that changes while it is
# read, is binary, or was cut inside its last record is refused, located,
# with nothing loaded and nothing written outside the test's folders.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"
need_gen

D=$T/files
mkdir -p "$D"
cd "$D" || exit 70
"$GEN" police --rows 300 --seed 7 --years 2021-2021 --style plain -o good.csv
"$GEN" police --rows 40 --seed 8 --years 2021-2021 --style plain -o other.csv
ndel() { sql 'SELECT count(*) FROM delivery'; }
ciatteh db init >/dev/null 2>&1
BEFORE=$(areas "$VICTIM")

t_begin "a symbolic link is refused (66), never followed nor read"
ln -s "$VICTIM/shadow" shadow.csv
ln -s good.csv good_link.csv
assert_exit 66 ciatteh load police shadow.csv
assert_contains "$ERR" "shadow.csv: refused: a symbolic link, not a regular file"
assert_not_contains "$OUT$ERR" "$SECRET" "the linked file's content is never shown"
assert_exit 66 ciatteh load police good_link.csv
assert_contains "$ERR" "good_link.csv: refused: a symbolic link"
assert_eq "$(ndel)" 0 "nothing loaded"

t_begin "a FIFO, a device, a directory: refused at once (66), the load never waits"
mkfifo pipe.csv
assert_exit 66 ciatteh load police pipe.csv
assert_contains "$ERR" "pipe.csv: refused: a FIFO (named pipe), not a regular file"
assert_exit 66 ciatteh load police /dev/zero
assert_contains "$ERR" "/dev/zero: refused: a device, not a regular file"
assert_exit 66 ciatteh load --dry-run police "$D"
assert_contains "$ERR" "refused: a directory, not a regular file"
assert_eq "$(ndel)" 0 "nothing loaded"

t_begin "NUL bytes: refused from the first block that holds one (65, located)"
truncate -s 2G sparse.csv
assert_exit 65 ciatteh load police sparse.csv
assert_contains "$ERR" "sparse.csv:1: NUL byte: this is not a text extract"
{ head -3 good.csv; printf 'x\000y\n'; tail -n +4 good.csv; } >nul4.csv
assert_exit 65 ciatteh load police nul4.csv
assert_contains "$ERR" "nul4.csv:4: NUL byte"
rm -f sparse.csv
assert_eq "$(ndel)" 0 "nothing loaded"

# load_paused FILE ACTION — load FILE, and do ACTION (shell code) while
# the load waits between its two passes; sets RC, ERR.
load_paused() {
    rm -f "$T/paused"
    CIATTEH_TEST_SLEEP_AT=scanned:2 CIATTEH_TEST_PAUSED=$T/paused \
        ciatteh load police "$1" >"$T/out" 2>"$T/err" </dev/null &
    local pid
    pid=$!
    wait_until 60 test -f "$T/paused" || _fail "the load never reached its pause"
    eval "$2"
    wait $pid
    RC=$?
    ERR=$(cat "$T/err")
}

t_begin "a file appended to while it is read: refused (65), nothing committed"
cp good.csv growing.csv
load_paused growing.csv 'tail -n 20 other.csv >>growing.csv'
assert_eq "$RC" 65 "exit 65"
assert_contains "$ERR" "growing.csv: the file changed while it was read"
assert_eq "$(ndel)" 0 "nothing loaded"

t_begin "a file rewritten in place (same size) between the passes: refused (65)"
cp good.csv rewritten.csv
# the last 2021 of the file becomes 2020, written into the same inode
load_paused rewritten.csv '/usr/bin/python3 -c "
f = open(\"rewritten.csv\", \"r+b\"); b = f.read(); i = b.rindex(b\"2021\")
f.seek(i); f.write(b\"2020\"); f.close()"'
assert_eq "$RC" 65 "exit 65"
assert_contains "$ERR" "rewritten.csv: the file changed while it was read"
assert_eq "$(ndel)" 0 "nothing loaded"

t_begin "a file replaced under its name between the passes: the opened one is loaded, with its own hash"
cp good.csv swapped.csv
SHA_GOOD=$(sha256sum <good.csv | cut -c1-64)
SHA_OTHER=$(sha256sum <other.csv | cut -c1-64)
load_paused swapped.csv 'cp other.csv swapped.new && mv swapped.new swapped.csv'
assert_eq "$RC" 0 "exit 0"
assert_eq "$(sql "SELECT sha256 || ' ' || (SELECT count(*) FROM police_record r WHERE r.delivery_id = d.id) FROM delivery d")" \
          "$SHA_GOOD 300" "the hash and the 300 records of the file that was opened"
t_begin "the file now under that name is a new delivery, not 'already loaded'"
assert_exit 0 ciatteh load police swapped.csv
assert_not_contains "$ERR" "already loaded"
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE sha256 = '$SHA_OTHER'")" 1 "its own delivery"

t_begin "a file cut inside its last record (fewer fields, no line ending): refused whole, located"
head -c -1 good.csv >cut_full.csv
n=$(wc -l <good.csv)
printf '%s' "$(head -n $((n - 1)) good.csv)
$(tail -n 1 good.csv | cut -d';' -f1-3)" >cut.csv
assert_exit 65 ciatteh load police cut.csv
assert_match "$ERR" "cut.csv:$n:[a-z_]+: the file was cut inside its last record: 3 fields where the header has 7, and no line ending"
assert_exit 65 ciatteh load --keep-going --rejects "$D/cut.rejects.csv" police cut.csv
assert_contains "$ERR" "the file was cut inside its last record"
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE file_name = 'cut.csv'")" 0 "nothing of it loaded, even with --keep-going"

t_begin "a file cut inside a quoted field: refused whole, located, even with --keep-going"
{ cat good.csv; printf '01/02/2021;"PV-21-9'; } >cutq.csv
assert_exit 65 ciatteh load --keep-going --rejects "$D/cutq.rejects.csv" police cutq.csv
assert_contains "$ERR" "cutq.csv:$((n + 1)):"
assert_contains "$ERR" "unterminated quoted field at the end of the file"
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE file_name = 'cutq.csv'")" 0 "nothing of it loaded"

t_begin "a last line without a line ending but whole still loads (the formats allow it)"
assert_exit 0 ciatteh load police cut_full.csv

t_begin "the hash recorded is that of the file's bytes"
assert_eq "$(sql "SELECT sha256 FROM delivery WHERE file_name = 'cut_full.csv'")" \
          "$(sha256sum <cut_full.csv | cut -c1-64)"

t_begin "nothing written outside the test's folders"
assert_eq "$(areas "$VICTIM")" "$BEFORE" "the stand-in /etc is untouched"
