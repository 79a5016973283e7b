# tests/security/common.sh — sourced after tests/lib.sh by the hostile-file
# tests: a stand-in for the system's secret files (VICTIM: an "/etc" with a
# "shadow" and a "cron.d") and a listing of the file-system areas a test set
# up, to compare before and after an attack (nothing may be written outside
# the intended folders).

VICTIM=$T/victim
mkdir -p "$VICTIM/cron.d"
printf 'root:$6$SECRET-HASH-LINE:19000:0:99999:7:::\n' >"$VICTIM/shadow"
chmod 600 "$VICTIM/shadow"
printf '# the real crontab\n' >"$VICTIM/cron.d/real"
SECRET='SECRET-HASH-LINE'

# areas DIR... — every entry under DIR with its type, mode, owner, size,
# content hash and link target: two listings differ when anything was
# created, removed, replaced or written there.
areas() {
    local d
    for d; do
        find "$d" -printf '%y %m %u %s %p -> %l\n' 2>/dev/null | sort
        find "$d" -type f -exec sha256sum {} + 2>/dev/null | sort
    done
}
