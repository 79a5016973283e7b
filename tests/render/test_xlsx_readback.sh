#!/bin/sh
# test_xlsx_readback.sh — writes the sample workbooks with the unit-test
# binary (test_render xlsx_sample), reads every cell back with openpyxl
# (readback.py) and, when LibreOffice is installed, converts one workbook
# to PDF and PNG pages so a person can look at what an analyst would see.
#
# Usage: sh tests/render/test_xlsx_readback.sh [BUILD_DIR]   (default: build)
#   OUT=DIR keeps the workbooks, PDF and PNGs there (default: a temp dir,
#   removed at the end).
# Ends with "N passed, N failed" (", 1 skipped" without LibreOffice); exits
# non-zero on any failure.  tests/run picks it up like any test_*.sh.
# Python: /usr/bin/python3, because Debian's python3-openpyxl lives there and
# the python3 first on PATH may not see it.
PY=${CIATTEH_PYTHON:-/usr/bin/python3}

B=${1:-${B:-build}}
BIN=$B/asan/tests/test_render
HERE=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if [ -n "$OUT" ]; then
    mkdir -p "$OUT" || exit 1
    keep=1
else
    OUT=$(mktemp -d /tmp/cia-xlsx-XXXXXX) || exit 1
    keep=0
fi
cleanup() { [ "$keep" = 1 ] || rm -rf "$OUT"; }
trap cleanup EXIT

if [ ! -x "$BIN" ]; then
    bad "$BIN not built (make B=$B asan)"
    echo "$pass passed, $fail failed"
    exit 1
fi

if CIA_XLSX_OUT=$OUT "$BIN" xlsx_sample >"$OUT/unit.log" 2>&1; then ok
else bad "test_render xlsx_sample: $(cat "$OUT/unit.log")"; fi

if ! $PY -c 'import openpyxl' 2>/dev/null; then
    bad "openpyxl not importable by $PY (apt-get install python3-openpyxl)"
else
    $PY "$HERE/readback.py" "$OUT" >"$OUT/readback.log" 2>&1
    rc=$?
    grep -v ' passed, .* failed$' "$OUT/readback.log"
    line=$(tail -n 1 "$OUT/readback.log")
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then bad "readback.py crashed"; else
        pass=$((pass + p)); fail=$((fail + f))
        [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || bad "readback.py exit $rc"
    fi
fi

# The look of it: LibreOffice renders the workbook as a printout would.
if command -v soffice >/dev/null 2>&1; then
    # A private profile, so a desktop session's LibreOffice is not disturbed.
    if HOME="$OUT/lo-home" timeout 180 soffice --headless --norestore \
           -env:UserInstallation=file://"$OUT/lo-profile" \
           --convert-to pdf --outdir "$OUT" "$OUT/sample_fr.xlsx" >"$OUT/lo.log" 2>&1 \
       && [ -s "$OUT/sample_fr.pdf" ]; then ok
    else bad "LibreOffice could not convert sample_fr.xlsx: $(cat "$OUT/lo.log")"; fi
    if command -v pdftoppm >/dev/null 2>&1 && [ -s "$OUT/sample_fr.pdf" ]; then
        if pdftoppm -png -r 80 "$OUT/sample_fr.pdf" "$OUT/sample_fr" && \
           ls "$OUT"/sample_fr*.png >/dev/null 2>&1; then ok
        else bad "pdftoppm failed"; fi
        [ "$keep" = 1 ] && echo "pages: $(ls "$OUT"/sample_fr*.png | tr '\n' ' ')"
    fi
else
    echo "skip PDF preview: LibreOffice not installed (apt-get install libreoffice-calc)"
    skip=1
fi

if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"
else echo "$pass passed, $fail failed"; fi
[ "$fail" -eq 0 ]
