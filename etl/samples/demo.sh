#!/bin/sh
# demo.sh — README's run command (`make run`): the main job on the bundled
# sample extracts.  Loads every service's multi-year sample into the
# database (the private cluster under $CIATTEH_HOME unless one is
# configured), then prints what an analyst looks at first.  Outputs land in
# ./out/.  Safe to run twice: identical files are recognised and skipped.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cia=${CIATTEH_BIN:-$root/bin/ciatteh}
data=$here/multi-year
out=${OUT:-$root/out}
mkdir -p "$out"

"$cia" db init
for svc in police prosecution inspectorates convictions immigration; do
    "$cia" load "$svc" "$data/${svc}_2016-2024.csv"
done
"$cia" load shelters "$data"/shelter_*_2016-2024.csv

echo
"$cia" deliveries
echo
echo "== conviction.prison by suspension, 2022-2024"
"$cia" query conviction.prison --years 2022-2024 --by suspension
echo
echo "== shelter.victims_admitted by form, 2024"
"$cia" query shelter.victims_admitted --year 2024 --by form

# Reports, charts and questionnaire answers for the last two full years.
echo
"$cia" report yoy --years 2019-2024 --lang en
"$cia" report yoy       --years 2019-2024 --lang fr -o "$out/yoy-fr.xlsx"
"$cia" report sentences --years 2019-2024 --lang nl -o "$out/sentences-nl.xlsx"
"$cia" report victims   --years 2019-2024 --lang en -o "$out/victims-en.xlsx"
"$cia" chart trend      --years 2016-2024 --lang en -o "$out/trend-en.png"
"$cia" chart sentences  --years 2016-2024 --lang fr -o "$out/sentences-fr.pdf"
"$cia" chart victims    --years 2022-2024 --lang nl -o "$out/victims-nl.svg"
"$cia" export eurostat --year 2023 --format sdmx-csv -o "$out/eurostat-2023.csv"
"$cia" export greta    --year 2023 --format xlsx     -o "$out/greta-2023.xlsx"
"$cia" export tip      --year 2024 --format text     -o "$out/tip-2024.txt"
echo
cat "$out/tip-2024.txt"
"$cia" check --years 2016-2024 || [ $? -eq 1 ]     # warnings do not stop the demo
"$cia" report biennial --period 2023-2024 --lang fr -o "$out/pack-2023-2024"
echo
echo "Outputs in $out:"
ls -l "$out"
