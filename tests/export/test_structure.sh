#!/bin/sh
# test_structure.sh — `ciatteh export eurostat --check-structure FILE`:
# the definition's SDMX lines checked against an SDMX-ML 2.1 structure
# message (data/eurostat_structure.xml, a fixture in that shape, not
# Eurostat's own).  Every disagreement is named at the definition's line
# and column (the positions here are computed from eurostat.q with grep and
# awk, not taken from the program); a malformed or unreadable file is an
# input error; an external entity is never loaded.  No database.
. "$(dirname "$0")/../lib.sh"
DEF=reports/data/questionnaires/eurostat.q
S=$HERE/data/eurostat_structure.xml
cd "$ROOT" || exit 1

# pos PATTERN WORD [SKIP] — "line:column" of WORD (plus SKIP characters)
# on the first line of eurostat.q matching PATTERN.
pos() {
    awk -v pat="$1" -v w="$2" -v k="${3:-0}" '$0 ~ pat { print NR ":" index($0, w) + k; exit }' "$DEF"
}

t_begin "the definition agrees with a structure that has its dataflow, dimensions and codes"
assert_exit 0 ciatteh export eurostat --check-structure "$S"
assert_match "$OUT" "^$DEF: the SDMX lines agree with .*eurostat_structure.xml \(dataflow ESTAT:CRIM_THB\(1.0\); [0-9]+ codes and components compared\)$"
assert_eq "$ERR" ""

t_begin "a code the structure's code list lacks is named at its line and column"
sed '/<str:Code id="VICT_PRE">/d' "$S" >"$T/s1.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/s1.xml"
assert_contains "$ERR" "$DEF:$(pos '^sdmx codes LEG_STAT' VICT_PRE): LEG_STAT code 'VICT_PRE' is not in the structure's code list ESTAT:CL_LEG_STAT(1.0)"
assert_contains "$ERR" "disagrees with $T/s1.xml in 1 place (listed above)"
assert_eq "$OUT" ""

t_begin "a code sent for one span of years only (sdmx period) is checked too"
sed '/<str:Code id="NEU28_FOR">/d' "$S" >"$T/s2.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/s2.xml"
assert_contains "$ERR" "$DEF:$(pos '^sdmx codes CITIZEN' NEU28_FOR): CITIZEN code 'NEU28_FOR'"
assert_contains "$ERR" "$DEF:$(pos '^sdmx period CITIZEN NEU_FOR' NEU28_FOR): CITIZEN code 'NEU28_FOR'"
assert_contains "$ERR" "in 2 places"

t_begin "a column code given as the default (sdmx columns COL=CODE) is checked"
sed '/<str:Code id="NR">/d' "$S" >"$T/s3.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/s3.xml"
assert_contains "$ERR" "$DEF:$(pos '^sdmx columns' NR): UNIT code 'NR'"
assert_contains "$ERR" "$DEF:$(pos '^sdmx codes UNIT' NR): UNIT code 'NR'"

t_begin "another dataflow version: the message says which the structure has"
sed 's/<str:Dataflow id="CRIM_THB" agencyID="ESTAT" version="1.0">/<str:Dataflow id="CRIM_THB" agencyID="ESTAT" version="1.1">/' "$S" >"$T/s4.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/s4.xml"
assert_contains "$ERR" "$DEF:$(pos '^sdmx dataflow' ESTAT): dataflow ESTAT:CRIM_THB(1.0) is not in the structure (it has: ESTAT:CRIM_THB(1.1))"

t_begin "a dimension renamed: the column the structure lacks and the dimension the columns lack"
sed 's/<str:Dimension id="EXPL"/<str:Dimension id="ICCS"/' "$S" >"$T/s5.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/s5.xml"
assert_contains "$ERR" "$DEF:$(pos '^sdmx columns' EXPL=): column EXPL is not a dimension of the structure"
assert_contains "$ERR" "$DEF:$(pos '^sdmx columns' columns): the structure's dimension ICCS is not among the columns"

t_begin "attributes: a status code and a confidentiality code the structure's lists lack"
sed '/<str:Code id="U"><com:Name xml:lang="en">Low reliability/d; /<str:Code id="A"><com:Name xml:lang="en">Primary confidentiality/d' "$S" >"$T/s6.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/s6.xml"
assert_contains "$ERR" "$DEF:$(pos '^sdmx status' u=U 2): OBS_STATUS code 'U' is not in the structure's code list SDMX:CL_OBS_STATUS(1.0)"
assert_contains "$ERR" "$DEF:$(pos '^sdmx conf' primary=A 8): CONF_STATUS code 'A' is not in the structure's code list SDMX:CL_CONF_STATUS(1.0)"
sed 's/<str:Attribute id="COMMENT_OBS"/<str:Attribute id="OBS_COMMENT"/' "$S" >"$T/s7.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/s7.xml"
assert_contains "$ERR" "$DEF:$(pos '^sdmx comment' COMMENT_OBS): attribute COMMENT_OBS is not an attribute of the structure"

t_begin "a code list taken from the concept (CoreRepresentation) is followed"
sed '/<str:Code id="BE">/d' "$S" >"$T/s8.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/s8.xml"
assert_contains "$ERR" "GEO code 'BE' is not in the structure's code list ESTAT:CL_GEO(1.0)"

t_begin "a structure without its code lists says so instead of passing"
awk '/<str:Codelist id="CL_SEX"/{skip=1} !skip{print} skip && /<\/str:Codelist>/{skip=0}' "$S" >"$T/s9.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/s9.xml"
assert_contains "$ERR" "the structure's code list for dimension SEX is not in $T/s9.xml (ask for the structure with its descendants)"

t_begin "malformed XML: the file's line and column; a missing file: 66"
head -n 40 "$S" >"$T/cut.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/cut.xml"
assert_match "$ERR" "^ciatteh: $T/cut.xml:4[0-9]:[0-9]+: not an SDMX-ML structure message: "
assert_exit 66 ciatteh export eurostat --check-structure "$T/none.xml"
assert_exit 64 ciatteh export greta --check-structure "$S"
assert_contains "$ERR" "greta sends no SDMX"

t_begin "an external entity is not loaded (no XXE): the dataflow hidden in one is not found"
awk '/<str:Dataflows>/{f=1; next} /<\/str:Dataflows>/{f=0} f' "$S" >"$T/flows.xml"
{
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<!DOCTYPE mes:Structure [ <!ENTITY flows SYSTEM \"file://$T/flows.xml\"> ]>"
    sed 1d "$S" | awk '/<str:Dataflows>/{print; print "&flows;"; skip=1; next} /<\/str:Dataflows>/{skip=0} !skip'
} >"$T/xxe.xml"
assert_exit 65 ciatteh export eurostat --check-structure "$T/xxe.xml"
assert_contains "$ERR" "dataflow ESTAT:CRIM_THB(1.0) is not in the structure (it has: no dataflow)"

t_begin "a definition file of one's own is checked the same way"
mkdir "$T/mine"
sed 's/^sdmx codes SEX F M UNK T$/sdmx codes SEX F M UNK T X/' "$DEF" >"$T/mine/eurostat.q"
assert_exit 65 ciatteh export "$T/mine/eurostat.q" --check-structure "$S"
assert_contains "$ERR" "$T/mine/eurostat.q:$(awk '/^sdmx codes SEX/ { print NR ":" index($0, " X") + 1; exit }' "$T/mine/eurostat.q"): SEX code 'X' is not in the structure's code list ESTAT:CL_SEX(1.0)"
