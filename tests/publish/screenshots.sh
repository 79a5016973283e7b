#!/bin/sh
# screenshots.sh — the website's pictures in docs/img, taken with Debian's
# headless Chromium from a site built from the bundled samples:
#
#   bin/ciatteh publish --period 2023-2024 --as-of 2025-06-30 -o /tmp/site
#   sh tests/publish/screenshots.sh /tmp/site docs/img
#
# The top of each page at 1280 × 900 (what a reader sees first), and the
# French index on a 390 px phone.  Run by hand when the pages change.
set -eu
site=$1 out=$2
shot() {   # PAGE NAME WIDTH HEIGHT
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --window-size="$3,$4" --screenshot="$out/$2.png" "file://$(cd "$site" && pwd)/$1" 2>/dev/null
}
shot fr/index.html site-index-fr 1280 900
shot nl/index.html site-index-nl 1280 900
shot en/index.html site-index-en 1280 900
shot en/yoy.html site-yoy-en 1280 1500
shot fr/sentences.html site-sentences-fr 1280 1100
shot nl/victims.html site-victims-nl-phone 390 1200
