/* test_table.c — the table model (building, flags, ownership) and the
 * number formatting in English, French and Dutch. */
#include <math.h>
#include "unit.h"
#include "ciatteh/table.h"
#include "ciatteh/render.h"

#define NNBSP "\xe2\x80\xaf"

static const char *cnt(double v, const char *lang)
{
    static char buf[64];
    cia_format_count(v, lang, buf, sizeof buf);
    return buf;
}

static const char *pct(double v, int d, const char *lang)
{
    static char buf[64];
    cia_format_percent(v, d, lang, buf, sizeof buf);
    return buf;
}

static const char *dlt(double v, const char *lang)
{
    static char buf[64];
    cia_format_delta(v, lang, buf, sizeof buf);
    return buf;
}

static void count_en(void)
{
    CHECK_STR(cnt(0, "en"), "0");
    CHECK_STR(cnt(7, "en"), "7");
    CHECK_STR(cnt(999, "en"), "999");
    CHECK_STR(cnt(1000, "en"), "1,000");
    CHECK_STR(cnt(1234, "en"), "1,234");
    CHECK_STR(cnt(1234567, "en"), "1,234,567");
    CHECK_STR(cnt(-1234, "en"), "-1,234");
    CHECK_STR(cnt(1234.6, "en"), "1,235");
    CHECK_STR(cnt(-0.2, "en"), "0");               /* no "-0" */
    CHECK_STR(cnt(1234, NULL), "1,234");           /* no language → en */
    CHECK_STR(cnt(1234, "de"), "1,234");
}

static void count_fr_nl(void)
{
    CHECK_STR(cnt(1234, "fr"), "1" NNBSP "234");
    CHECK_STR(cnt(1234567, "fr"), "1" NNBSP "234" NNBSP "567");
    CHECK_STR(cnt(999, "fr"), "999");
    CHECK_STR(cnt(1234, "nl"), "1.234");
    CHECK_STR(cnt(-1234567, "nl"), "-1.234.567");
}

static void percent_3(void)
{
    CHECK_STR(pct(0.125, 1, "en"), "12.5%");
    CHECK_STR(pct(0.125, 1, "fr"), "12,5" NNBSP "%");
    CHECK_STR(pct(0.125, 1, "nl"), "12,5%");
    CHECK_STR(pct(0.5, 0, "en"), "50%");
    CHECK_STR(pct(1, 2, "nl"), "100,00%");
    CHECK_STR(pct(-0.0536, 1, "en"), "-5.4%");
    CHECK_STR(pct(-0.0001, 1, "en"), "0.0%");      /* rounds to zero: no sign */
    CHECK_STR(pct(12.3456, 1, "en"), "1,234.6%");
    CHECK_STR(pct(12.3456, 1, "fr"), "1" NNBSP "234,6" NNBSP "%");
    CHECK_STR(pct(0.125, 99, "en"), "12.500000%"); /* decimals clamped */
}

static void delta_3(void)
{
    CHECK_STR(dlt(66, "en"), "+66");
    CHECK_STR(dlt(-66, "en"), "-66");
    CHECK_STR(dlt(0, "en"), "0");
    CHECK_STR(dlt(1234, "fr"), "+1" NNBSP "234");
    CHECK_STR(dlt(-1234, "nl"), "-1.234");
}

static void not_finite_is_not_known(void)
{
    CHECK_STR(cnt(NAN, "en"), "n.k.");
    CHECK_STR(cnt(INFINITY, "fr"), "inc.");
    CHECK_STR(pct(NAN, 1, "nl"), "onb.");
    CHECK_STR(dlt(NAN, "en"), "n.k.");
}

static void short_buffer(void)
{
    char buf[4];
    cia_format_count(1234, "fr", buf, sizeof buf);
    CHECK_STR(buf, "1");                           /* never half a U+202F */
    cia_format_count(1234, "en", buf, sizeof buf);
    CHECK_STR(buf, "1,2");
    cia_format_count(1234, "en", buf, 0);          /* n = 0: nothing written */
}

static void build_table(void)
{
    cia_table *t = cia_table_new("yoy", "Year on year", 3, 1);
    cia_table_set_col(t, 0, "item", "Item");
    cia_table_set_col(t, 1, "2021", NULL);
    CHECK_STR(t->col_heads[1], "2021");            /* heading falls back to key */
    cia_table_set_col(t, 1, "2021", "Year 2021");  /* replacing frees the old */
    CHECK_STR(t->col_heads[1], "Year 2021");
    for (int i = 0; i < 40; i++) {
        char key[16];
        snprintf(key, sizeof key, "r%d", i);
        size_t r = cia_table_add_row(t, key);
        CHECK_INT(r, i);
        cia_table_set_text(t, r, 0, key);
        cia_table_set_count(t, r, 1, i * 10, 1, NULL);
    }
    CHECK_INT(t->nrows, 40);
    CHECK_STR(t->row_keys[39], "r39");
    CHECK_STR(cia_table_cell(t, 39, 0)->text, "r39");
    CHECK(cia_table_cell(t, 39, 1)->value == 390);
    CHECK(cia_table_cell(t, 0, 2)->type == CIA_CELL_NONE);  /* new rows are empty */
    CHECK(cia_table_cell(t, 40, 0) == NULL);
    CHECK(cia_table_cell_c(t, 0, 3) == NULL);
    /* A text cell overwritten by a number must not leak its text. */
    cia_table_set_count(t, 0, 0, 5, 1, "");
    CHECK(cia_table_cell(t, 0, 0)->type == CIA_CELL_COUNT);
    CHECK(cia_table_cell(t, 0, 0)->text == NULL);
    cia_table_set_subtitle(t, "sub");
    cia_table_set_subtitle(t, "sub 2");
    CHECK_STR(t->subtitle, "sub 2");
    cia_table_add_note(t, "a note");
    CHECK_INT(t->nnotes, 1);
    cia_table_free(t);
    cia_table_free(NULL);
}

static void flags_normalised(void)
{
    cia_table *t = cia_table_new("f", "Flags", 2, 0);
    cia_table_add_row(t, "r");
    cia_table_set_count(t, 0, 0, 12, 1, "pu");
    CHECK_STR(cia_table_cell(t, 0, 0)->flags, "up");
    CHECK(cia_cell_has_flag(cia_table_cell(t, 0, 0), 'u'));
    CHECK(!cia_cell_has_flag(cia_table_cell(t, 0, 0), 'c'));
    CHECK(!cia_cell_has_flag(NULL, 'u'));
    cia_table_set_count(t, 0, 0, 12, 1, "xzcc");
    CHECK_STR(cia_table_cell(t, 0, 0)->flags, "c");
    /* Withheld: the figure is gone from the model itself. */
    CHECK(cia_table_cell(t, 0, 0)->value == 0);
    CHECK(cia_table_cell(t, 0, 0)->known == 0);
    cia_table_set_percent(t, 0, 1, NAN, 1, NULL);
    CHECK(cia_table_cell(t, 0, 1)->known == 0);
    cia_table_free(t);
}

static void format_cell_not_known_never_zero(void)
{
    cia_table *t = cia_table_new("f", "F", 5, 0);
    cia_table_add_row(t, "r");
    cia_table_set_count(t, 0, 0, 0, 0, NULL);     /* not known */
    cia_table_set_count(t, 0, 1, 0, 1, NULL);     /* a real zero */
    cia_table_set_count(t, 0, 2, 3, 1, "c");      /* withheld */
    cia_table_set_percent(t, 0, 3, 0.0536, 1, NULL);
    cia_table_set_delta(t, 0, 4, 1000, 0, "p");
    char buf[64];
    const char *langs[] = { "en", "fr", "nl" }, *nk[] = { "n.k.", "inc.", "onb." };
    for (int i = 0; i < 3; i++) {
        cia_format_cell(cia_table_cell_c(t, 0, 0), langs[i], buf, sizeof buf);
        CHECK_STR(buf, nk[i]);
        cia_format_cell(cia_table_cell_c(t, 0, 4), langs[i], buf, sizeof buf);
        CHECK_STR(buf, nk[i]);
    }
    cia_format_cell(cia_table_cell_c(t, 0, 1), "en", buf, sizeof buf);
    CHECK_STR(buf, "0");
    cia_format_cell(cia_table_cell_c(t, 0, 2), "en", buf, sizeof buf);
    CHECK_STR(buf, "");
    cia_format_cell(cia_table_cell_c(t, 0, 3), "fr", buf, sizeof buf);
    CHECK_STR(buf, "5,4" NNBSP "%");
    cia_format_cell(NULL, "en", buf, sizeof buf);
    CHECK_STR(buf, "");
    cia_table_free(t);
}

/* Every state decided in one place, by its precedence; n, i and c leave
 * no figure behind; the words and marks exist in the three languages. */
static void states(void)
{
    cia_table *t = cia_table_new("s", "States", 9, 0);
    cia_table_add_row(t, "r");
    cia_table_set_count(t, 0, 0, 12, 1, NULL);
    cia_table_set_count(t, 0, 1, 0, 1, "");
    cia_table_set_count(t, 0, 2, 9, 1, "u");
    cia_table_set_n_unknown(t, 0, 2, 4);
    cia_table_set_count(t, 0, 3, 5, 1, "n");
    cia_table_set_count(t, 0, 4, 5, 1, "pi");
    cia_table_set_count(t, 0, 5, 5, 1, "icun");
    cia_table_set_count(t, 0, 6, 0, 0, NULL);
    cia_table_set_count(t, 0, 7, 0, 1, "p");
    cia_table_set_count(t, 0, 8, 0, 1, "u");
    const cia_cell *c = cia_table_cell_c(t, 0, 0);
    CHECK_INT(cia_cell_state(c), CIA_ST_KNOWN);
    CHECK_INT(cia_cell_state(cia_table_cell_c(t, 0, 1)), CIA_ST_ZERO);
    CHECK_INT(cia_table_cell_c(t, 0, 1)->known, 1);
    CHECK_INT(cia_cell_state(cia_table_cell_c(t, 0, 2)), CIA_ST_LOWER);
    CHECK_INT(cia_table_cell_c(t, 0, 2)->n_unknown, 4);
    CHECK_INT(cia_cell_state(cia_table_cell_c(t, 0, 3)), CIA_ST_NOT_DELIVERED);
    CHECK_INT(cia_table_cell_c(t, 0, 3)->known, 0);
    CHECK(cia_table_cell_c(t, 0, 3)->value == 0);
    CHECK_INT(cia_cell_state(cia_table_cell_c(t, 0, 4)), CIA_ST_INCOMPLETE);
    CHECK_STR(cia_table_cell_c(t, 0, 4)->flags, "pi");
    CHECK(cia_table_cell_c(t, 0, 4)->value == 0);
    CHECK_STR(cia_table_cell_c(t, 0, 5)->flags, "unic");
    CHECK_INT(cia_cell_state(cia_table_cell_c(t, 0, 5)), CIA_ST_WITHHELD);
    CHECK_INT(cia_cell_state(cia_table_cell_c(t, 0, 6)), CIA_ST_NOT_KNOWN);
    /* Provisional is orthogonal: a provisional zero is still a zero. */
    CHECK_INT(cia_cell_state(cia_table_cell_c(t, 0, 7)), CIA_ST_ZERO);
    CHECK(cia_cell_has_flag(cia_table_cell_c(t, 0, 7), 'p'));
    CHECK_INT(cia_cell_state(cia_table_cell_c(t, 0, 8)), CIA_ST_LOWER);
    CHECK_INT(cia_cell_state(NULL), CIA_ST_KNOWN);
    char buf[64];
    cia_format_cell(cia_table_cell_c(t, 0, 3), "fr", buf, sizeof buf);
    CHECK_STR(buf, "n.l.");
    cia_format_cell(cia_table_cell_c(t, 0, 4), "nl", buf, sizeof buf);
    CHECK_STR(buf, "onvoll.");
    cia_format_cell(cia_table_cell_c(t, 0, 6), "en", buf, sizeof buf);
    CHECK_STR(buf, "n.k.");
    /* A lower bound's own gap, in each language; none without a count,
     * none for a cell that is not a lower bound. */
    cia_format_gap(cia_table_cell_c(t, 0, 2), "en", buf, sizeof buf);
    CHECK_STR(buf, "4 n.k.");
    cia_format_gap(cia_table_cell_c(t, 0, 2), "fr", buf, sizeof buf);
    CHECK_STR(buf, "4 inc.");
    cia_format_gap(cia_table_cell_c(t, 0, 2), "nl", buf, sizeof buf);
    CHECK_STR(buf, "4 onb.");
    cia_format_gap(cia_table_cell_c(t, 0, 8), "en", buf, sizeof buf);
    CHECK_STR(buf, "");
    cia_format_gap(cia_table_cell_c(t, 0, 0), "en", buf, sizeof buf);
    CHECK_STR(buf, "");
    /* Withholding a lower bound takes its count of unknown records with
     * it (a trace or a renderer would publish it), and a count given to a
     * withheld cell is dropped. */
    cia_table_set_count(t, 0, 2, 0, 0, "uc");
    CHECK_INT(cia_table_cell_c(t, 0, 2)->n_unknown, 0);
    cia_table_set_n_unknown(t, 0, 2, 4);
    CHECK_INT(cia_table_cell_c(t, 0, 2)->n_unknown, 0);
    const char *langs[] = { "en", "fr", "nl" };
    for (int l = 0; l < 3; l++)
        for (int s = CIA_ST_ZERO; s < CIA_ST_COUNT; s++) {
            CHECK(*cia_state_word((enum cia_state)s, langs[l]));
            CHECK(*cia_state_mark((enum cia_state)s, langs[l]));
            CHECK(strncmp(cia_state_word((enum cia_state)s, langs[l]), "st_", 3) != 0);
        }
    /* "n.k." means one thing: not delivered has another mark. */
    CHECK(strcmp(cia_state_mark(CIA_ST_NOT_DELIVERED, "en"), cia_state_mark(CIA_ST_NOT_KNOWN, "en")) != 0);
    CHECK_STR(cia_state_word(CIA_ST_NOT_DELIVERED, "nl"), "niet geleverd");
    CHECK(strncmp(cia_word("st_provisional", "fr"), "provisoire", 10) == 0);
    cia_table_free(t);
}

static void report_owns_tables(void)
{
    cia_report *r = cia_report_new("annual", "Annual", NULL, NULL);
    CHECK_STR(r->lang, "en");
    CHECK_STR(r->as_of, "current");
    cia_report_add_table(r, cia_table_new("a", "A", 1, 1));
    cia_report_add_table(r, cia_table_new("b", "B", 2, 1));
    cia_report_add_provenance(r, "police 2021 delivery 7");
    cia_report_add_definition(r, "Victim: a person");
    CHECK_INT(r->ntables, 2);
    CHECK_INT(r->nprov, 1);
    CHECK_INT(r->ndefs, 1);
    cia_report_free(r);                            /* ASan: frees the tables too */
    cia_report_free(NULL);
}

UNIT_MAIN(T(count_en), T(count_fr_nl), T(percent_3), T(delta_3),
          T(not_finite_is_not_known), T(short_buffer), T(build_table),
          T(flags_normalised), T(format_cell_not_known_never_zero),
          T(states), T(report_owns_tables))
