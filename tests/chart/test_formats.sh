#!/bin/sh
# test_formats.sh — every chart in every format and language, from the
# fixture extracts: the PNG decodes (size, 300 dpi recorded), the SVG
# parses as XML, the PDF has one page whose text shows the title in the
# chart's language and the source and as-of note in that language.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

t_begin "fixtures load"
assert_exit 0 load_fixtures

# title LANG NAME — a part of the title every reader of LANG must see
# (the catalogue's item label, or the word of a multi-item trend).
title() {
    case $1:$2 in
    en:trend) echo "Key figures by year" ;;
    fr:trend) echo "Chiffres clés par année" ;;
    nl:trend) echo "Kerncijfers per jaar" ;;
    en:sentences*) echo "Persons sentenced to prison" ;;
    fr:sentences*) echo "Personnes condamnées à une peine de prison" ;;
    nl:sentences*) echo "Personen veroordeeld tot een gevangenisstraf" ;;
    en:victims|en:nationalities) echo "Victims taken into care" ;;
    fr:victims|fr:nationalities) echo "Victimes accueillies" ;;
    nl:victims|nl:nationalities) echo "Opgenomen slachtoffers" ;;
    en:referrals) echo "Persons referred to a specialised centre" ;;
    fr:referrals) echo "Personnes orientées vers un centre spécialisé" ;;
    nl:referrals) echo "Personen doorverwezen naar een gespecialiseerd centrum" ;;
    en:documents) echo "Residence documents issued to victims" ;;
    fr:documents) echo "Documents de séjour délivrés aux victimes" ;;
    nl:documents) echo "Verblijfsdocumenten afgegeven aan slachtoffers" ;;
    en:sectors) echo "Potential victims referred by inspectorates" ;;
    fr:sectors) echo "Victimes potentielles orientées par les inspections" ;;
    nl:sectors) echo "Potentiële slachtoffers doorverwezen door inspectiediensten" ;;
    esac
}
source_word() { case $1 in en) echo "Source:" ;; fr) echo "Source :" ;; nl) echo "Bron:" ;; esac; }
asof_words() {
    case $1 in
    en) echo "Data as of: 30 April 2024" ;;
    fr) echo "Situation des données : 30 avril 2024" ;;
    nl) echo "Stand van de gegevens: 30 april 2024" ;;
    esac
}

for n in $NAMES; do
    t_begin "$n: PNG, SVG and PDF in en, fr, nl"
    for l in en fr nl; do
        f=$T/$n-$l
        assert_exit 0 ciatteh chart "$n" --years 2019-2023 --lang "$l" -o "$f.png"
        check png "$f.png" --dpi 300
        assert_exit 0 ciatteh chart "$n" --years 2019-2023 --lang "$l" -o "$f.svg"
        check svg "$f.svg" --text "$(title "$l" "$n")" --text "$(source_word "$l")"
        assert_exit 0 ciatteh chart "$n" --years 2019-2023 --lang "$l" --as-of 2024-04-30 -o "$f.pdf"
        check pdf "$f.pdf" --pages 1 --text "$(title "$l" "$n")" --text "$(source_word "$l")" \
            --text "$(asof_words "$l")"
    done
    # the language really changes the chart: no English title in French
    assert_exit 1 sh -c "pdftotext '$T/$n-fr.pdf' - | grep -qF '$(title en "$n")'"
done

t_begin "sizes: A4 at 300 dpi, a 16:9 slide, pixels asked for"
assert_exit 0 ciatteh chart trend --years 2019-2023 -o "$T/a4.png"
check png "$T/a4.png" --size 2008x1299 --dpi 300
assert_exit 0 ciatteh chart trend --years 2019-2023 --size slide -o "$T/slide.png"
check png "$T/slide.png" --size 1920x1080 --dpi 192
assert_exit 0 ciatteh chart victims --years 2022-2023 --width 1200px --height 800px --dpi 150 -o "$T/px.png"
check png "$T/px.png" --size 1200x800 --dpi 150
assert_exit 0 ciatteh chart sentences --years 2019-2023 --width 16cm --height 9cm -o "$T/cm.pdf"
run pdfinfo "$T/cm.pdf"
assert_match "$OUT" "Page size: +453.5[0-9]* x 255.1[0-9]* pts"

t_begin "the same data and as-of date give the same PDF and SVG bytes"
for x in pdf svg; do
    assert_exit 0 ciatteh chart sentences --years 2019-2023 --as-of 2024-04-30 -o "$T/d1.$x"
    assert_exit 0 ciatteh chart sentences --years 2019-2023 --as-of 2024-04-30 -o "$T/d2.$x"
    assert_exit 0 cmp "$T/d1.$x" "$T/d2.$x"
done
run pdfinfo "$T/d1.pdf"
assert_match "$OUT" "CreationDate: .*Apr 30 .*2024"
