/* render_html.c — owns the HTML rendering of a built pack (site.h): the
 * pages of one language (index, one per chapter, checks, deliveries),
 * the language choice at the top of the site and the style sheet.
 *
 * Why it looks the way it does:
 *  - every table is a real <table>: a caption, column headings with
 *    scope="col", row labels with scope="row", and under it a legend of
 *    exactly the marks it uses, in the words of the other outputs
 *    (cia_word, cia_state_word/mark), then its notes;
 *  - each cell state looks different and says what it is: a figure, a
 *    delivered 0, "≥ 12" for a lower bound, the marks n.d. / incompl. /
 *    n.k. / conf. as <abbr> with the state's word, provisional with a
 *    raised p; data-state and data-key attributes let a program (the
 *    browser test) read the cells back without parsing the layout;
 *  - a chart is the SVG the chart module writes (real text, <title>,
 *    <desc> with its figures), inlined, then its table: the text
 *    alternative a screen reader and a copy-paste both use;
 *  - no script: the pages read in any browser, offline;
 *  - every text that comes from data or the catalogue goes through
 *    cia_buf_add_xml, so no label can open markup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/render.h"
#include "ciatteh/site.h"
#include "ciatteh/util.h"

static const char *W(const char *key, const char *lang) { return cia_word(key, lang); }

static void esc(cia_buf *b, const char *s) { cia_buf_add_xml(b, s); }

/* "Situation des données : <time datetime="2025-06-30">30 juin 2025</time>":
 * the day as the annex and the charts write it (one date format per
 * language), the ISO day for programs. */
static void as_of_line(cia_buf *b, const char *lang, const char *as_of)
{
    char day[64];
    cia_format_date(lang, as_of, day, sizeof day);
    esc(b, cia_word("as_of", lang));
    esc(b, cia_word("colon", lang));
    cia_buf_adds(b, "<time datetime=\"");
    esc(b, as_of);
    cia_buf_adds(b, "\">");
    esc(b, day);
    cia_buf_adds(b, "</time>");
}

/* A language's name as its speakers write it, for the switch. */
static const char *lang_name(const char *lang)
{
    return !strcmp(lang, "fr") ? "Fran\xc3\xa7" "ais" : !strcmp(lang, "nl") ? "Nederlands" : "English";
}

/* Ids and file names from table and report ids: [a-z0-9_-] only. */
static void add_slug(cia_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-';
        cia_buf_addc(b, ok ? (char)*p : (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : '_');
    }
}

static char *slug(const char *prefix, const char *s, const char *suffix)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, prefix);
    add_slug(&b, s);
    cia_buf_adds(&b, suffix);
    return cia_buf_steal(&b);
}

/* ---- one page ------------------------------------------------------------ */

struct page {
    cia_buf b;
    const struct cia_pack_view *v;
    struct cia_html_site *s;
    const char *lang;
    const char *file;                /* this page's file name in LANG/ */
    int nfig;                        /* charts on the page, for unique SVG ids */
};

static const char *const CSS =
    ":root{--ink:#1b1b1b;--muted:#4a4a4a;--accent:#0a4a85;--band:#12355b;--line:#c4c9cf;"
    "--head:#e8eef4;--zebra:#f5f7f9;--warn:#7a4100}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;font:16px/1.5 \"DejaVu Sans\",\"Segoe UI\",system-ui,sans-serif;color:var(--ink);background:#fff}\n"
    "a{color:var(--accent)}\n"
    "a:focus-visible,.table-wrap:focus-visible,main:focus-visible{outline:3px solid #b35c00;outline-offset:2px}\n"
    ".skip{position:absolute;left:-9999px;top:.5rem;z-index:10;background:#fff;color:var(--accent);"
    "padding:.5rem 1rem;font-weight:bold}\n"
    ".skip:focus{left:.5rem}\n"
    "header{background:var(--band);color:#fff}\n"
    "header a{color:#fff}\n"
    ".bar{max-width:80rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 2rem;"
    "align-items:center;justify-content:space-between}\n"
    ".site{margin:0;font-weight:bold;font-size:1.05rem}\n"
    ".site a{text-decoration:none}\n"
    ".langs ul{list-style:none;margin:0;padding:0;display:flex;gap:.4rem}\n"
    ".langs a{display:inline-block;padding:.15rem .6rem;border:1px solid #fff;border-radius:3px;"
    "text-decoration:none}\n"
    ".langs a[aria-current]{background:#fff;color:var(--band);font-weight:bold}\n"
    ".page{max-width:80rem;margin:0 auto;padding:0 1rem;display:grid;grid-template-columns:15rem minmax(0,1fr);"
    "gap:2.5rem}\n"
    "nav.chapters{padding-top:1.5rem;font-size:.95rem}\n"
    "nav.chapters h2{font-size:1rem;margin:0 0 .4rem}\n"
    "nav.chapters ul{list-style:none;margin:0 0 1rem;padding:0}\n"
    "nav.chapters li{margin:.15rem 0}\n"
    "nav.chapters a{display:block;padding:.2rem .5rem;border-left:3px solid transparent;text-decoration:none}\n"
    "nav.chapters a:hover{text-decoration:underline}\n"
    "nav.chapters a[aria-current]{border-left-color:var(--accent);background:var(--head);font-weight:bold;"
    "color:var(--ink)}\n"
    "main{padding:1.5rem 0 3rem;min-width:0}\n"
    "h1{font-size:1.7rem;line-height:1.25;margin:0 0 .5rem}\n"
    "h2{font-size:1.3rem;margin:2rem 0 .5rem}\n"
    ".lead{font-size:1.1rem;margin:.25rem 0}\n"
    ".asof{color:var(--muted)}\n"
    ".warn{border-left:5px solid var(--warn);background:#fff5e6;padding:.6rem 1rem;font-weight:bold}\n"
    ".chapter-list{padding-left:1.2rem}\n"
    ".chapter-list li{margin:.3rem 0}\n"
    ".count{color:var(--muted);font-size:.9rem}\n"
    ".block{margin:2rem 0 2.5rem}\n"
    ".table-wrap{overflow-x:auto;border:1px solid var(--line);margin:.5rem 0}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.92rem}\n"
    ".table-wrap{width:max-content;max-width:100%}\n"
    "caption{caption-side:top;text-align:left;font-weight:bold;font-size:1rem;padding:.5rem .7rem;"
    "background:var(--head)}\n"
    "caption .sub{display:block;font-weight:normal;font-size:.9rem;color:var(--muted)}\n"
    "th,td{padding:.3rem .6rem;border-top:1px solid var(--line);vertical-align:top}\n"
    "thead th{background:var(--head);text-align:left;vertical-align:bottom;border-bottom:2px solid #56616d}\n"
    "thead th.num{text-align:right}\n"
    "tbody th{text-align:left;font-weight:normal;min-width:9rem;max-width:24rem}\n"
    "tbody th[scope=rowgroup]{font-weight:bold;background:#fff;border-right:1px solid var(--line);min-width:0}\n"
    "tbody.g{border-top:2px solid #56616d}\n"
    "tbody.g>tr:first-child>th:first-child{font-weight:bold}\n"
    "td{white-space:nowrap}\n"
    "td.long{white-space:normal;min-width:18rem;max-width:36rem}\n"
    "tbody tr:nth-child(even){background:var(--zebra)}\n"
    "td.n{text-align:right;white-space:nowrap}\n"
    "td.st-nd,td.st-inc,td.st-nk{color:var(--muted);font-style:italic}\n"
    "td.st-conf{background:repeating-linear-gradient(135deg,#fff 0 4px,#e4e4e4 4px 6px);font-weight:bold}\n"
    "td.st-zero{color:var(--ink)}\n"
    ".ge{font-weight:bold;margin-right:.15em}\n"
    "abbr[title]{text-decoration:underline dotted;cursor:help}\n"
    "abbr.ge,sup.mk abbr{text-decoration:none}\n"
    "sup.mk{font-size:.72em;margin-left:.2em;color:var(--muted);font-style:normal}\n"
    ".legend{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.5rem 0;font-size:.9rem}\n"
    ".legend dt{text-align:right;font-weight:bold}\n"
    ".legend dd{margin:0}\n"
    ".notes{font-size:.9rem;margin:.4rem 0;padding-left:1.2rem;color:var(--ink)}\n"
    ".files{font-size:.9rem;margin:.3rem 0}\n"
    "figure.chart{margin:1rem 0 .5rem}\n"
    "figure.chart svg{display:block;width:100%;max-width:46rem;height:auto;border:1px solid var(--line)}\n"
    "figure.chart figcaption{font-size:.9rem;margin-top:.3rem}\n"
    ".defs{font-size:.95rem;padding-left:1.2rem}\n"
    ".defs li{margin:.25rem 0}\n"
    ".downloads li{margin:.3rem 0}\n"
    ".visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap;border:0}\n"
    "footer{border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}\n"
    "footer p{max-width:80rem;margin:0 auto;padding:.8rem 1rem}\n"
    ".front{max-width:60rem;margin:0 auto;padding:2rem 1rem}\n"
    ".front ul{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));"
    "gap:1rem}\n"
    ".front li a{display:block;padding:1rem;border:2px solid var(--accent);border-radius:4px;text-decoration:none}\n"
    ".front li a span{display:block;font-size:1.2rem;font-weight:bold}\n"
    "@media (max-width:52rem){.page{grid-template-columns:1fr;gap:0}nav.chapters{border-bottom:1px solid var(--line)}"
    "nav.chapters ul{display:flex;flex-wrap:wrap;gap:.2rem .8rem}h1{font-size:1.4rem}}\n"
    "@media print{header,nav,.skip,.files{display:none}.page{display:block}.table-wrap{overflow:visible;border:0}}\n";

static void page_head(struct page *p, const char *title)
{
    cia_buf *b = &p->b;
    const char *lang = p->lang;
    cia_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", lang);
    cia_buf_adds(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(b, title);
    cia_buf_adds(b, " \xe2\x80\x94 ");
    esc(b, W("pack_title", lang));
    cia_buf_adds(b, "</title>\n<link rel=\"stylesheet\" href=\"../style.css\">\n");
    for (size_t i = 0; i < p->s->nlangs; i++)
        if (strcmp(p->s->langs[i], lang))
            cia_buf_printf(b, "<link rel=\"alternate\" hreflang=\"%s\" href=\"../%s/%s\">\n", p->s->langs[i],
                           p->s->langs[i], p->file);
    cia_buf_adds(b, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
    esc(b, W("site_skip", lang));
    cia_buf_adds(b, "</a>\n<header>\n<div class=\"bar\">\n<p class=\"site\"><a href=\"index.html\">");
    esc(b, W("pack_title", lang));
    cia_buf_adds(b, "</a></p>\n<nav class=\"langs\" aria-label=\"");
    esc(b, W("site_language", lang));
    cia_buf_adds(b, "\">\n<ul>\n");
    for (size_t i = 0; i < p->s->nlangs; i++) {
        const char *l = p->s->langs[i];
        cia_buf_printf(b, "<li><a href=\"../%s/%s\" hreflang=\"%s\" lang=\"%s\"%s>%s</a></li>\n", l, p->file, l, l,
                       strcmp(l, lang) ? "" : " aria-current=\"true\"", lang_name(l));
    }
    cia_buf_adds(b, "</ul>\n</nav>\n</div>\n</header>\n<div class=\"page\">\n");
}

/* The chapters of the pack as lists under a heading per offence:
 * trafficking, smuggling, then the charts that belong to no report. */
static void chapter_lists(struct page *p, const char *ul_attr,
                          void (*item)(struct page *p, const struct cia_pack_chapter *c))
{
    cia_buf *b = &p->b;
    static const char *const groups[3][2] = {{"THB", "site_thb"}, {"SMUG", "site_smug"}, {NULL, "site_other"}};
    for (int g = 0; g < 3; g++) {
        int any = 0;
        for (size_t i = 0; i < p->v->nchapters; i++) {
            const struct cia_pack_chapter *c = &p->v->chapters[i];
            if (groups[g][0] ? !c->offence || strcmp(c->offence, groups[g][0]) : c->offence != NULL) continue;
            if (!any) {
                cia_buf_adds(b, "<h2>");
                esc(b, W(groups[g][1], p->lang));
                cia_buf_printf(b, "</h2>\n<ul%s>\n", ul_attr);
                any = 1;
            }
            item(p, c);
        }
        if (any) cia_buf_adds(b, "</ul>\n");
    }
}

static void nav_item(struct page *p, const struct cia_pack_chapter *c)
{
    cia_buf *b = &p->b;
    char *f = slug("", c->id, ".html");
    cia_buf_printf(b, "<li><a href=\"%s\"%s>", f, strcmp(p->file, f) ? "" : " aria-current=\"page\"");
    /* the title without " · offence, period": the group says both */
    const char *dot = strstr(c->title, " \xc2\xb7 ");
    char *shortt = dot ? cia_xstrndup(c->title, (size_t)(dot - c->title)) : cia_xstrdup(c->title);
    esc(b, shortt);
    free(shortt);
    cia_buf_adds(b, "</a></li>\n");
    free(f);
}

/* The chapters of the pack, grouped by offence, on every page. */
static void page_nav(struct page *p)
{
    cia_buf *b = &p->b;
    const char *lang = p->lang;
    cia_buf_adds(b, "<nav class=\"chapters\" aria-label=\"");
    esc(b, W("site_chapters", lang));
    cia_buf_printf(b, "\">\n<ul>\n<li><a href=\"index.html\"%s>", strcmp(p->file, "index.html") ? "" : " aria-current=\"page\"");
    esc(b, W("site_home", lang));
    cia_buf_adds(b, "</a></li>\n</ul>\n");
    chapter_lists(p, "", nav_item);
    cia_buf_adds(b, "<ul>\n");
    static const char *const more[2][2] = {{"checks.html", "pack_checks"}, {"deliveries.html", "deliveries"}};
    for (int k = 0; k < 2; k++) {
        cia_buf_printf(b, "<li><a href=\"%s\"%s>", more[k][0], strcmp(p->file, more[k][0]) ? "" : " aria-current=\"page\"");
        esc(b, W(more[k][1], lang));
        cia_buf_adds(b, "</a></li>\n");
    }
    cia_buf_adds(b, "</ul>\n</nav>\n<main id=\"main\" tabindex=\"-1\">\n");
}

static void page_begin(struct page *p, const char *file, const char *title)
{
    cia_buf_init(&p->b);
    p->file = file;
    p->nfig = 0;
    page_head(p, title);
    page_nav(p);
}

static int page_end(struct page *p, const char *dir, cia_err *e)
{
    cia_buf *b = &p->b;
    cia_buf_adds(b, "</main>\n</div>\n<footer>\n<p>");
    as_of_line(b, p->lang, p->v->as_of);
    cia_buf_adds(b, " \xc2\xb7 ");
    esc(b, p->v->title);
    cia_buf_adds(b, " \xc2\xb7 ");
    esc(b, W("site_made", p->lang));
    cia_buf_printf(b, " (ciatteh %s)</p>\n</footer>\n</body>\n</html>\n", CIATTEH_VERSION);
    char *path = cia_xasprintf("%s/%s", dir, p->file);
    cia_outfile f;
    int rc = cia_outfile_open(&f, path, e);
    if (!rc) {
        fwrite(b->data, 1, b->len, f.fp);
        rc = cia_outfile_commit(&f, e);
    }
    free(path);
    cia_buf_free(b);
    if (!rc) p->s->npages++;
    return rc;
}

/* ---- tables -------------------------------------------------------------- */

/* The pack file whose path starts with dir/ and ends with tail, or NULL. */
static const char *pack_file(const struct cia_pack_view *v, const char *dir, const char *tail)
{
    size_t dl = strlen(dir), tl = strlen(tail);
    for (size_t i = 0; i < v->nfiles; i++) {
        const char *f = v->files[i];
        size_t fl = strlen(f);
        if (fl > dl + tl && !strncmp(f, dir, dl) && f[dl] == '/' && !strcmp(f + fl - tl, tail)) return f;
    }
    return NULL;
}

static void link_file(struct page *p, const char *rel, const char *text)
{
    cia_buf_printf(&p->b, "<a href=\"%s/", p->s->pack_rel);
    esc(&p->b, rel);
    cia_buf_adds(&p->b, "\">");
    esc(&p->b, text);
    cia_buf_adds(&p->b, "</a>");
}

/* What the legend of a table must explain. */
struct used {
    int st[CIA_ST_COUNT];
    int prov, derived_u;
    long long n_unknown;
};

static const char *const state_class[CIA_ST_COUNT] = {
    [CIA_ST_KNOWN] = "known", [CIA_ST_ZERO] = "zero", [CIA_ST_LOWER] = "lower", [CIA_ST_NOT_DELIVERED] = "nd",
    [CIA_ST_INCOMPLETE] = "inc", [CIA_ST_WITHHELD] = "conf", [CIA_ST_NOT_KNOWN] = "nk",
};

static void abbr(cia_buf *b, const char *mark, const char *word)
{
    cia_buf_adds(b, "<abbr title=\"");
    esc(b, word);
    cia_buf_adds(b, "\">");
    esc(b, mark);
    cia_buf_adds(b, "</abbr>");
}

static void put_number(struct page *p, const cia_cell *c, struct used *u)
{
    cia_buf *b = &p->b;
    const char *lang = p->lang;
    enum cia_state st = cia_cell_state(c);
    int prov = cia_cell_has_flag(c, 'p');
    int derived = c->type != CIA_CELL_COUNT;
    cia_buf_printf(b, "<td class=\"n st-%s%s\" data-state=\"%s\" data-flags=\"%s\">", state_class[st],
                   prov ? " prov" : "", state_class[st], c->flags);
    char num[128];
    cia_format_cell(c, lang, num, sizeof num);
    switch (st) {
    case CIA_ST_KNOWN:
    case CIA_ST_ZERO:
        esc(b, num);
        break;
    case CIA_ST_LOWER:
        if (derived) {
            /* a change or share from a lower bound is not itself one */
            esc(b, num);
            cia_buf_adds(b, "<sup class=\"mk\">");
            abbr(b, "u", W("site_derived_u", lang));
            cia_buf_adds(b, "</sup>");
            u->derived_u = 1;
        } else {
            cia_buf_adds(b, "<abbr class=\"ge\" title=\"");
            esc(b, W("st_lower", lang));
            cia_buf_adds(b, "\">");
            esc(b, cia_state_mark(st, lang));
            cia_buf_adds(b, "</abbr>");
            esc(b, num);
            u->n_unknown += c->n_unknown;
        }
        break;
    default:
        abbr(b, cia_state_mark(st, lang), cia_state_word(st, lang));
    }
    if (prov) {
        cia_buf_adds(b, "<sup class=\"mk\">");
        abbr(b, "p", W("flag_p", lang));
        cia_buf_adds(b, "</sup>");
    }
    cia_buf_adds(b, "</td>");
    if (!(st == CIA_ST_LOWER && derived)) u->st[st] = 1;
    u->prov |= prov;
}

static void legend(struct page *p, const struct used *u)
{
    cia_buf *b = &p->b;
    const char *lang = p->lang;
    int any = u->prov || u->derived_u;
    for (int s = 1; s < CIA_ST_COUNT; s++) any |= u->st[s] && s != CIA_ST_ZERO;
    if (!any) return;
    cia_buf_adds(b, "<dl class=\"legend\" aria-label=\"");
    esc(b, W("legend", lang));
    cia_buf_adds(b, "\">\n");
    /* the order of the states' precedence, as the other outputs list them */
    static const enum cia_state order[] = {CIA_ST_ZERO, CIA_ST_LOWER, CIA_ST_NOT_KNOWN, CIA_ST_NOT_DELIVERED,
                                           CIA_ST_INCOMPLETE, CIA_ST_WITHHELD};
    /* A 0 needs saying only beside the marks it could be mistaken for (a
     * year not delivered, incomplete, not known): then it is "delivered
     * zero"; a count of findings that is 0 needs no legend. */
    int zero_matters = u->st[CIA_ST_NOT_DELIVERED] || u->st[CIA_ST_INCOMPLETE] || u->st[CIA_ST_NOT_KNOWN];
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        enum cia_state st = order[k];
        if (!u->st[st] || (st == CIA_ST_ZERO && !zero_matters)) continue;
        cia_buf_adds(b, "<dt>");
        esc(b, cia_state_mark(st, lang));
        cia_buf_adds(b, "</dt><dd>");
        esc(b, st == CIA_ST_LOWER ? W("flag_u", lang) : cia_state_word(st, lang));
        if (st == CIA_ST_LOWER && u->n_unknown > 0)
            cia_buf_printf(b, " (%lld %s)", u->n_unknown,
                           W(u->n_unknown == 1 ? "records_unknown_1" : "records_unknown", lang));
        cia_buf_adds(b, "</dd>\n");
    }
    if (u->derived_u) {
        cia_buf_adds(b, "<dt>u</dt><dd>");
        esc(b, W("site_derived_u", lang));
        cia_buf_adds(b, "</dd>\n");
    }
    if (u->prov) {
        cia_buf_adds(b, "<dt>p</dt><dd>");
        esc(b, W("st_provisional", lang));
        cia_buf_adds(b, "</dd>\n");
    }
    cia_buf_adds(b, "</dl>\n");
}

/* The text of a label cell ("" for anything else). */
static const char *head_text(const cia_table *t, size_t r, size_t c)
{
    const cia_cell *cell = cia_table_cell_c(t, r, c);
    return cell && cell->type == CIA_CELL_TEXT && cell->text ? cell->text : "";
}

static void put_table(struct page *p, const cia_table *t)
{
    cia_buf *b = &p->b;
    const char *lang = p->lang;
    char *id = slug("", t->id, "");
    cia_buf_printf(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-%s\" tabindex=\"0\">\n", id);
    cia_buf_printf(b, "<table id=\"t-%s\" data-table=\"", id);
    esc(b, t->id);
    cia_buf_printf(b, "\">\n<caption id=\"cap-%s\">", id);
    esc(b, t->title);
    if (t->subtitle && *t->subtitle) {
        cia_buf_adds(b, "<span class=\"sub\">");
        esc(b, t->subtitle);
        cia_buf_adds(b, "</span>");
    }
    cia_buf_adds(b, "</caption>\n<thead>\n<tr>");
    for (size_t c = 0; c < t->ncols; c++) {
        int num = 0;   /* a column of numbers: its heading right-aligned above them */
        for (size_t r = 0; r < t->nrows && !num; r++) {
            const cia_cell *cell = cia_table_cell_c(t, r, c);
            num = cell && cell->type != CIA_CELL_NONE && cell->type != CIA_CELL_TEXT;
        }
        cia_buf_printf(b, "<th scope=\"col\"%s data-key=\"", num ? " class=\"num\"" : "");
        esc(b, t->col_keys[c]);
        cia_buf_adds(b, "\">");
        esc(b, t->col_heads[c]);
        cia_buf_adds(b, "</th>");
    }
    cia_buf_adds(b, "</tr>\n</thead>\n");
    struct used u;
    memset(&u, 0, sizeof u);
    /* A label repeated down the first column (the year, the service, the
     * indicator of a breakdown) is said once: a row group of its own,
     * headed by a rowspan cell with scope="rowgroup". */
    int grouped = 0;
    for (size_t r = 1; r < t->nrows && t->nhead >= 2 && !grouped; r++)
        grouped = !strcmp(head_text(t, r, 0), head_text(t, r - 1, 0)) && *head_text(t, r, 0);
    if (!grouped) cia_buf_adds(b, "<tbody>\n");
    for (size_t r = 0, span = 0; r < t->nrows; r++) {
        size_t first = 0;
        if (grouped && !span) {
            span = 1;
            while (*head_text(t, r, 0) && r + span < t->nrows && !strcmp(head_text(t, r + span, 0), head_text(t, r, 0)))
                span++;
            cia_buf_adds(b, r ? "</tbody>\n<tbody class=\"g\">\n" : "<tbody class=\"g\">\n");
        }
        cia_buf_adds(b, "<tr data-key=\"");
        esc(b, t->row_keys[r]);
        cia_buf_adds(b, "\">");
        if (grouped) {
            if (span > 1 && (r == 0 || strcmp(head_text(t, r, 0), head_text(t, r - 1, 0)))) {
                cia_buf_printf(b, "<th scope=\"rowgroup\" rowspan=\"%zu\">", span);
                esc(b, head_text(t, r, 0));
                cia_buf_adds(b, "</th>");
                first = 1;
            } else if (span > 1) {
                first = 1;   /* under the group's heading */
            }
            if (r + 1 >= t->nrows || strcmp(head_text(t, r + 1, 0), head_text(t, r, 0)) || !*head_text(t, r, 0))
                span = 0;
        }
        for (size_t c = first; c < t->ncols; c++) {
            const cia_cell *cell = cia_table_cell_c(t, r, c);
            if (cell && cell->type != CIA_CELL_NONE && cell->type != CIA_CELL_TEXT) {
                put_number(p, cell, &u);
                continue;
            }
            const char *text = head_text(t, r, c);
            if (c < t->nhead && *text) {
                cia_buf_adds(b, "<th scope=\"row\">");
                esc(b, text);
                cia_buf_adds(b, "</th>");
            } else {
                /* short texts (codes, dates) stay on one line, sentences wrap */
                cia_buf_adds(b, cia_text_width(text) > 40 ? "<td class=\"long\">" : "<td>");
                esc(b, text);
                cia_buf_adds(b, "</td>");
            }
        }
        cia_buf_adds(b, "</tr>\n");
    }
    if (!t->nrows) {
        cia_buf_printf(b, "<tr><td colspan=\"%zu\">", t->ncols ? t->ncols : 1);
        esc(b, W("no_rows", lang));
        cia_buf_adds(b, "</td></tr>\n");
    }
    cia_buf_adds(b, "</tbody>\n</table>\n</div>\n");
    legend(p, &u);
    if (t->nnotes) {
        cia_buf_adds(b, "<ul class=\"notes\">\n");
        for (size_t k = 0; k < t->nnotes; k++) {
            cia_buf_adds(b, "<li>");
            esc(b, t->notes[k]);
            cia_buf_adds(b, "</li>\n");
        }
        cia_buf_adds(b, "</ul>\n");
    }
    char *tail = slug("-", t->id, ".csv");
    const char *csv = pack_file(p->v, "tables", tail);
    if (csv) {
        cia_buf_adds(b, "<p class=\"files\">");
        link_file(p, csv, W("site_table_csv", lang));
        cia_buf_adds(b, "</p>\n");
    }
    free(tail);
    free(id);
    p->s->ntables++;
}

/* ---- charts --------------------------------------------------------------- */

/* cairo's SVG inlined: without its XML declaration, every id (and each
 * reference to one) prefixed so two charts on a page never share an id. */
static void inline_svg(cia_buf *b, const char *svg, const char *prefix)
{
    const char *p = strstr(svg, "<svg");
    if (!p) return;
    static const char *const refs[] = {"id=\"", "url(#", "href=\"#"};
    while (*p) {
        size_t k, hit = 0;
        for (k = 0; k < 3; k++)
            if (!strncmp(p, refs[k], strlen(refs[k]))) { hit = strlen(refs[k]); break; }
        if (hit && (p == svg || p[-1] == ' ' || p[-1] == ':' || p[-1] == '(' || p[-1] == ';' || k == 1)) {
            cia_buf_add(b, p, hit);
            cia_buf_adds(b, prefix);
            p += hit;
            continue;
        }
        cia_buf_addc(b, *p++);
    }
}

static int put_chart(struct page *p, const struct cia_pack_figure *f, const char *lang_dir, cia_err *e)
{
    cia_buf *b = &p->b;
    const char *lang = p->lang;
    const cia_table *t = f->table;
    char *name = slug("", f->chart_name, "");
    char *dir = cia_xasprintf("%s/charts", lang_dir);
    char *rel = cia_xasprintf("charts/%s.svg", name);
    char *path = cia_xasprintf("%s/%s", lang_dir, rel);
    int rc = cia_mkdirs(dir, 0755, e);
    cia_chart_spec spec = *f->chart;
    spec.path = path;
    spec.geom = NULL;
    if (!rc) rc = cia_chart_render(&spec, t, e);
    char *svg = NULL;
    size_t len = 0;
    if (!rc) rc = cia_read_file(path, &svg, &len, e);
    if (!rc) {
        char *id = slug("", t->id, "");
        char *prefix = cia_xasprintf("c%d-", ++p->nfig);
        cia_buf_printf(b, "<figure class=\"chart\" id=\"f-%s\">\n", id);
        inline_svg(b, svg, prefix);
        cia_buf_adds(b, "<figcaption><span class=\"visually-hidden\">");
        esc(b, spec.title ? spec.title : t->title);
        cia_buf_adds(b, ". </span>");
        cia_buf_printf(b, "<a href=\"#t-%s\">", id);
        esc(b, W("site_chart_figures", lang));
        cia_buf_adds(b, "</a>");
        if (spec.value_label && *spec.value_label) {
            cia_buf_adds(b, " \xc2\xb7 ");
            esc(b, W("site_unit", lang));
            esc(b, W("colon", lang));
            esc(b, spec.value_label);
        }
        cia_buf_adds(b, " \xc2\xb7 ");
        esc(b, W("site_chart_files", lang));
        cia_buf_adds(b, " <a href=\"");
        esc(b, rel);
        cia_buf_adds(b, "\">SVG</a>");
        for (int k = 0; k < 2; k++) {
            char *tail = slug("-", f->chart_name, k ? ".pdf" : ".png");
            const char *pf = pack_file(p->v, "charts", tail);
            if (pf) {
                cia_buf_adds(b, ", ");
                link_file(p, pf, k ? "PDF" : "PNG");
            }
            free(tail);
        }
        cia_buf_adds(b, "</figcaption>\n</figure>\n");
        free(prefix);
        free(id);
        p->s->ncharts++;
    }
    free(svg);
    free(path);
    free(rel);
    free(dir);
    free(name);
    return rc;
}

/* ---- the pages -------------------------------------------------------------- */

static int chapter_page(struct page *p, const struct cia_pack_chapter *c, const char *lang_dir, cia_err *e)
{
    char *file = slug("", c->id, ".html");
    page_begin(p, file, c->title);
    cia_buf *b = &p->b;
    cia_buf_adds(b, "<h1>");
    esc(b, c->title);
    cia_buf_adds(b, "</h1>\n<p class=\"asof\">");
    as_of_line(b, p->lang, p->v->as_of);
    cia_buf_adds(b, "</p>\n");
    if (p->v->provisional) {
        cia_buf_adds(b, "<p class=\"warn\">");
        esc(b, W("pack_provisional", p->lang));
        cia_buf_adds(b, "</p>\n");
    }
    int rc = CIA_OK;
    for (size_t i = 0; i < c->nfigures && !rc; i++) {
        const struct cia_pack_figure *f = &c->figures[i];
        char *id = slug("", f->table->id, "");
        cia_buf_printf(b, "<section class=\"block\" aria-labelledby=\"cap-%s\">\n", id);
        free(id);
        if (f->chart) rc = put_chart(p, f, lang_dir, e);
        put_table(p, f->table);
        cia_buf_adds(b, "</section>\n");
    }
    if (!rc && c->ndefs) {
        cia_buf_adds(b, "<h2>");
        esc(b, W("definitions", p->lang));
        cia_buf_adds(b, "</h2>\n<ul class=\"defs\">\n");
        for (size_t d = 0; d < c->ndefs; d++) {
            cia_buf_adds(b, "<li>");
            esc(b, c->definitions[d]);
            cia_buf_adds(b, "</li>\n");
        }
        cia_buf_adds(b, "</ul>\n");
    }
    if (!rc) rc = page_end(p, lang_dir, e);
    else cia_buf_free(&p->b);
    free(file);
    return rc;
}

static void count_line(cia_buf *b, size_t n, const char *one, const char *many, const char *lang)
{
    cia_buf_printf(b, "%zu ", n);
    esc(b, W(n == 1 ? one : many, lang));
}

static void download(struct page *p, const char *rel, const char *word)
{
    if (!rel) return;
    cia_buf_adds(&p->b, "<li>");
    link_file(p, rel, W(word, p->lang));
    cia_buf_adds(&p->b, "</li>\n");
}


static void index_item(struct page *p, const struct cia_pack_chapter *c)
{
    cia_buf *b = &p->b;
    const char *lang = p->lang;
    size_t nc = 0;
    for (size_t k = 0; k < c->nfigures; k++) nc += c->figures[k].chart != NULL;
    char *f = slug("", c->id, ".html");
    cia_buf_printf(b, "<li><a href=\"%s\">", f);
    esc(b, c->title);
    cia_buf_adds(b, "</a> <span class=\"count\">(");
    count_line(b, c->nfigures, "site_table_1", "site_tables", lang);
    if (nc) {
        cia_buf_adds(b, ", ");
        count_line(b, nc, "site_chart_1", "site_charts", lang);
    }
    cia_buf_adds(b, ")</span></li>\n");
    free(f);
}

static int index_page(struct page *p, const char *lang_dir, cia_err *e)
{
    const struct cia_pack_view *v = p->v;
    const char *lang = p->lang;
    page_begin(p, "index.html", v->title);
    cia_buf *b = &p->b;
    cia_buf_adds(b, "<h1>");
    esc(b, W("pack_title", lang));
    cia_buf_adds(b, "</h1>\n<p class=\"lead\">");
    esc(b, v->title);
    cia_buf_adds(b, "</p>\n<p class=\"asof\">");
    as_of_line(b, lang, v->as_of);
    cia_buf_adds(b, " (");
    esc(b, W("pack_as_of_note", lang));
    cia_buf_adds(b, ")</p>\n");
    if (v->provisional) {
        cia_buf_adds(b, "<p class=\"warn\">");
        esc(b, W("pack_provisional", lang));
        cia_buf_adds(b, "</p>\n");
    }
    cia_buf_adds(b, "<p>");
    esc(b, W("site_intro", lang));
    cia_buf_adds(b, "</p>\n");
    chapter_lists(p, " class=\"chapter-list\"", index_item);
    cia_buf_adds(b, "<h2>");
    esc(b, W("pack_checks", lang));
    cia_buf_adds(b, "</h2>\n<p><a href=\"checks.html\">");
    count_line(b, v->check_errors, "check_error", "check_errors", lang);
    cia_buf_adds(b, ", ");
    count_line(b, v->check_warnings, "check_warning", "check_warnings", lang);
    cia_buf_adds(b, "</a></p>\n<h2>");
    esc(b, W("deliveries", lang));
    cia_buf_adds(b, "</h2>\n<p><a href=\"deliveries.html\">");
    esc(b, W("pack_deliveries_used", lang));
    esc(b, W("colon", lang));
    cia_buf_printf(b, "%zu</a></p>\n<h2>", v->deliveries ? v->deliveries->nrows : 0);
    esc(b, W("site_downloads", lang));
    cia_buf_adds(b, "</h2>\n<ul class=\"downloads\">\n");
    for (size_t i = 0; i < v->nfiles; i++) {
        const char *f = v->files[i];
        if (strchr(f, '/')) continue;
        size_t fl = strlen(f);
        if (fl > 5 && !strcmp(f + fl - 5, ".xlsx")) download(p, f, "site_workbook");
    }
    for (size_t i = 0; i < v->nfiles; i++) {
        const char *f = v->files[i];
        size_t fl = strlen(f);
        if (!strchr(f, '/') && fl > 4 && !strcmp(f + fl - 4, ".pdf")) download(p, f, "site_annex");
    }
    for (size_t i = 0; i < v->nfiles; i++)
        if (!strcmp(v->files[i], "checks.csv")) download(p, v->files[i], "site_checks_csv");
    download(p, "MANIFEST", "site_manifest");
    cia_buf_adds(b, "</ul>\n");
    return page_end(p, lang_dir, e);
}

static int tables_page(struct page *p, const char *file, const char *title, const char *intro,
                       const cia_table *const *tabs, size_t n, const char *lang_dir, cia_err *e)
{
    page_begin(p, file, title);
    cia_buf *b = &p->b;
    cia_buf_adds(b, "<h1>");
    esc(b, title);
    cia_buf_adds(b, "</h1>\n");
    if (intro) {
        cia_buf_adds(b, "<p>");
        esc(b, intro);
        cia_buf_adds(b, "</p>\n");
    }
    for (size_t i = 0; i < n; i++)
        if (tabs[i]) {
            cia_buf_adds(b, "<section class=\"block\">\n");
            put_table(p, tabs[i]);
            cia_buf_adds(b, "</section>\n");
        }
    return page_end(p, lang_dir, e);
}

int cia_html_pages(const struct cia_pack_view *v, const char *lang_dir, struct cia_html_site *s, cia_err *e)
{
    struct page p;
    memset(&p, 0, sizeof p);
    p.v = v;
    p.s = s;
    p.lang = v->lang;
    int rc = cia_mkdirs(lang_dir, 0755, e);
    if (!rc) rc = index_page(&p, lang_dir, e);
    for (size_t i = 0; i < v->nchapters && !rc; i++) rc = chapter_page(&p, &v->chapters[i], lang_dir, e);
    const cia_table *checks[2] = {v->rules, v->checks};
    if (!rc)
        rc = tables_page(&p, "checks.html", W("pack_checks", v->lang), W("pack_checks_intro", v->lang), checks, 2,
                         lang_dir, e);
    if (!rc) rc = tables_page(&p, "deliveries.html", W("deliveries", v->lang), NULL, &v->deliveries, 1, lang_dir, e);
    return rc;
}

/* ---- the site's front page and style sheet ------------------------------------ */

static int write_text(const char *path, const char *text, size_t len, cia_err *e)
{
    cia_outfile f;
    int rc = cia_outfile_open(&f, path, e);
    if (rc) return rc;
    fwrite(text, 1, len, f.fp);
    return cia_outfile_commit(&f, e);
}

int cia_html_front(const char *dir, struct cia_html_site *s, cia_err *e)
{
    char *css = cia_xasprintf("%s/style.css", dir);
    int rc = write_text(css, CSS, strlen(CSS), e);
    free(css);
    if (rc || !s->nlangs) return rc;
    cia_buf b;
    cia_buf_init(&b);
    const char *first = s->langs[0];
    cia_buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", first);
    for (size_t i = 0; i < s->nlangs; i++) {
        if (i) cia_buf_adds(&b, " \xc2\xb7 ");
        esc(&b, W("pack_title", s->langs[i]));
    }
    cia_buf_adds(&b, "</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n"
                     "<main class=\"front\" id=\"main\">\n<h1>");
    for (size_t i = 0; i < s->nlangs; i++) {
        if (i) cia_buf_adds(&b, " \xc2\xb7 ");
        cia_buf_printf(&b, "<span lang=\"%s\">", s->langs[i]);
        esc(&b, W("site_thb", s->langs[i]));
        cia_buf_adds(&b, "</span>");
    }
    cia_buf_adds(&b, "</h1>\n<ul>\n");
    for (size_t i = 0; i < s->nlangs; i++) {
        const char *l = s->langs[i];
        cia_buf_printf(&b, "<li lang=\"%s\"><a href=\"%s/index.html\" hreflang=\"%s\"><span>%s</span>", l, l, l,
                       lang_name(l));
        esc(&b, W("pack_title", l));
        cia_buf_adds(&b, "</a></li>\n");
    }
    cia_buf_adds(&b, "</ul>\n</main>\n</body>\n</html>\n");
    char *path = cia_xasprintf("%s/index.html", dir);
    rc = write_text(path, b.data, b.len, e);
    free(path);
    cia_buf_free(&b);
    if (!rc) s->npages++;
    return rc;
}
