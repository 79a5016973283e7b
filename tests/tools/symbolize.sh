#!/bin/sh
# tests/tools/symbolize.sh — names the frames of a sanitizer report.
#
#     sh tests/tools/symbolize.sh < REPORT
#
# tests/lib.sh runs the integration suites with symbolize=0: asked to name a
# frame, the sanitizer runtime starts llvm-symbolizer on the 50 MB
# instrumented binary, and every drawing command pays it at exit for the
# fontconfig leaks that tests/lsan.supp drops anyway (~0.17 s of CPU each,
# 40 % of a `chart` run).  Suppressions match fontconfig by module name,
# which needs no symbols.  So reports arrive as `(OBJECT+0xOFFSET)` and this
# script, run only when a report fails a suite, names each frame with
# addr2line (binutils, always beside gcc): function and file:line, inlined
# frames included.  Lines that are not frames pass through unchanged.
while IFS= read -r line; do
    case $line in
    *'#'[0-9]*' ('*'+0x'*')'*)
        loc=${line##*\(}; loc=${loc%%\)*}
        obj=${loc%+0x*}; off=${loc##*+}
        if [ -r "$obj" ]; then
            names=$(addr2line -f -i -C -p -e "$obj" "$off" 2>/dev/null | tr '\n' ';')
            case $names in ''|'??'*) printf '%s\n' "$line" ;;
            *) printf '%s in %s\n' "$line" "${names%;}" ;; esac
        else
            printf '%s\n' "$line"
        fi ;;
    *) printf '%s\n' "$line" ;;
    esac
done
