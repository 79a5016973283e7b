#!/bin/sh
# test_folders.sh — the folders of the unattended run under attack (issue
# 18, attack 1): an uploader who can write its incoming folder replaces
# rejected/ or archive/ by a link, links to a secret file, plants a FIFO,
# takes over a folder, names a file with ESC and newlines.  Each is
# refused with its message and exit code; nothing is written outside the
# run's folders, no secret reaches the log; a good file still loads.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"
need_gen

S=$T/site
IN=$S/in/police
mkdir -p "$IN" "$S/log"
cat >"$S/ciatteh.conf" <<CONF
[run]
log = log/run.log
settle_seconds = 0
[incoming]
police = in/police
[pack]
enabled = no
CONF
"$GEN" police --rows 60 --seed 3 --years 2021-2021 --style plain -o "$T/good.csv"
CRON='* * * * * root touch /tmp/ciatteh-pwned'
printf '%s\n' "$CRON" >"$T/crontab.csv"
ciatteh db init >/dev/null 2>&1
go() { run ciatteh run --config "$S/ciatteh.conf" --no-pack; LOG=$(cat "$S/log/run.log" 2>/dev/null); }
ndel() { sql 'SELECT count(*) FROM delivery'; }
reset_site() { rm -rf "$IN" "$S/log/run.log"; mkdir -p "$IN"; chmod 755 "$IN"; }
BEFORE=$(areas "$VICTIM")

t_begin "rejected/ replaced by a link to /etc/cron.d: the folder is refused (73), nothing written there"
reset_site
ln -s "$VICTIM/cron.d" "$IN/rejected"
cp "$T/crontab.csv" "$IN/police_evil.csv"
go
assert_eq "$RC" 73 "exit 73"
assert_contains "$LOG" "rejected: refused: 'rejected' in it is a symbolic link"
assert_file "$IN/police_evil.csv"
assert_eq "$(ls "$VICTIM/cron.d")" "real" "nothing new in the stand-in cron.d"

t_begin "archive/ replaced by a link: refused the same way, the good file stays for the next run"
reset_site
ln -s "$VICTIM/cron.d" "$IN/archive"
cp "$T/good.csv" "$IN/police_2021.csv"
go
assert_eq "$RC" 73 "exit 73"
assert_contains "$LOG" "archive: refused: 'archive' in it is a symbolic link"
assert_file "$IN/police_2021.csv"
assert_eq "$(ndel)" 0 "nothing loaded from a folder refused"
assert_eq "$(ls "$VICTIM/cron.d")" "real" "nothing new in the stand-in cron.d"

t_begin "the incoming folder itself a link: refused"
reset_site
mv "$IN" "$S/in/real_police"
ln -s real_police "$IN"
go
assert_eq "$RC" 66 "exit 66"
assert_contains "$LOG" "'police' in it is a symbolic link"
rm "$IN"; mv "$S/in/real_police" "$IN"

t_begin "a link to /etc/shadow inside incoming: never followed, never printed (66)"
reset_site
ln -s "$VICTIM/shadow" "$IN/police_2021.csv"
go
assert_eq "$RC" 66 "exit 66"
assert_contains "$LOG" "police_2021.csv: refused: a symbolic link, not a regular file; never followed nor read"
assert_not_contains "$LOG$ERR$OUT" "$SECRET" "the secret's content is nowhere"
assert_no_file "$IN/rejected/police_2021.csv.errors.txt"
assert_eq "$(ndel)" 0 "nothing loaded"

t_begin "a FIFO inside incoming: refused at once (66), the run does not hang"
reset_site
mkfifo "$IN/police_pipe.csv"
go
assert_eq "$RC" 66 "exit 66"
assert_contains "$LOG" "police_pipe.csv: refused: a FIFO (named pipe), not a regular file"

t_begin "archive/ owned by another user, or writable by its group: refused (73)"
reset_site
cp "$T/good.csv" "$IN/police_2021.csv"
mkdir -m 750 "$IN/archive"
chown nobody "$IN/archive"
go
assert_eq "$RC" 73 "exit 73"
assert_match "$LOG" "archive: refused: owned by uid [0-9]+, not by the run's user \(uid 0\) or root"
chown root "$IN/archive"
chmod 770 "$IN/archive"
go
assert_eq "$RC" 73 "exit 73"
assert_contains "$LOG" "archive: refused: writable by its group (mode 0770)"
assert_file "$IN/police_2021.csv"
assert_eq "$(ndel)" 0 "nothing loaded"

t_begin "an incoming folder writable by every local user: refused (66)"
reset_site
chmod 777 "$IN"
cp "$T/good.csv" "$IN/police_2021.csv"
go
assert_eq "$RC" 66 "exit 66"
assert_contains "$LOG" "police: refused: writable by every local user (mode 0777)"
assert_eq "$(ndel)" 0 "nothing loaded"

t_begin "ESC and newlines in a file name: escaped in the log and on stderr, no line forged"
reset_site
NAME=$(printf 'police_\033[31mred\nFORGED info: all fine.csv')
printf 'not;an;extract\n' >"$IN/$NAME"
go
assert_eq "$RC" 65 "exit 65 (rejected)"
assert_contains "$LOG" 'police_\x1B[31mred\x0AFORGED info: all fine.csv: '
assert_eq "$(printf '%s\n' "$LOG" | grep -c '^FORGED')" 0 "no forged line in the log"
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^FORGED')" 0 "no forged line on stderr"
assert_eq "$(printf '%s%s' "$LOG" "$ERR" | tr -d -c '\033' | wc -c)" 0 "no ESC byte reaches the log or the terminal"
assert_contains "$(cat "$IN/rejected/$NAME.errors.txt")" 'police_\x1B[31mred\x0AFORGED'

t_begin "a planted link at the errors report's name: refused (73), not followed"
reset_site
mkdir -m 750 "$IN/rejected"
ln -s "$VICTIM/shadow" "$IN/rejected/police_bad.csv.errors.txt"
printf 'not;an;extract\n' >"$IN/police_bad.csv"
go
assert_eq "$RC" 73 "exit 73"
assert_contains "$LOG" "police_bad.csv.errors.txt: refusing to replace it: a symbolic link"
assert_file "$IN/police_bad.csv"

t_begin "a good file still loads; archive/ made 0750; copied whole to an archive on another file system"
reset_site
cp "$T/good.csv" "$IN/police_2021.csv"
go
assert_eq "$RC" 0 "exit 0"
assert_file "$IN/archive/police_2021.csv"
assert_no_file "$IN/police_2021.csv"
assert_eq "$(stat -c %a "$IN/archive")" 750 "archive/ 0750"
# Another file system: /dev/shm, or /tmp when $T is in /dev/shm
# (tests/run puts the suites there when it can).
OTHER=""
for d in /dev/shm /tmp; do
    [ -z "$OTHER" ] && [ -d "$d" ] && [ "$(stat -c %d "$d")" != "$(stat -c %d "$T")" ] && OTHER=$d
done
if [ -n "$OTHER" ]; then
    SHM=$(mktemp -d "$OTHER/ciatteh-test.XXXXXX")
    on_teardown "rm -rf '$SHM'"
    printf '[run]\narchive = %s\n' "$SHM" >>"$S/ciatteh.conf"
    "$GEN" police --rows 30 --seed 4 --years 2020-2020 --style plain -o "$IN/police_2020.csv"
    SUM=$(sha256sum <"$IN/police_2020.csv")
    go
    assert_eq "$RC" 0 "exit 0"
    assert_eq "$(sha256sum <"$SHM/police_2020.csv")" "$SUM" "the copy is whole"
    assert_no_file "$IN/police_2020.csv"
else
    skip "neither /dev/shm nor /tmp is on another file system than $T"
fi

t_begin "nothing written outside the run's folders"
assert_eq "$(areas "$VICTIM")" "$BEFORE" "the stand-in /etc is untouched"
assert_no_file /tmp/ciatteh-pwned
