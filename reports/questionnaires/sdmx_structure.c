/* sdmx_structure.c — owns the check of a questionnaire definition's SDMX
 * lines against the recipient's own structure: an SDMX-ML 2.1 structure
 * message (the dataflow, its data structure definition and the code lists
 * it uses, as Eurostat sends them with each data collection round or as
 * its registry gives them with `?references=descendants`).
 *
 * Why: the codes a definition sends (`sdmx dataflow|columns|codes|period|
 * status|conf|comment`) are data, typed in from documents.  Nobody can
 * vouch for them without the structure itself, and a wrong code is only
 * found when the recipient's validator rejects the file.  With the
 * structure in hand this check names every disagreement at the definition
 * line and column to correct, before anything is sent.
 *
 * The XML is read with libxml2, never from the network and without
 * entity expansion (XML_PARSE_NONET, no XML_PARSE_NOENT); the file is
 * capped like every file read whole (CIA_READ_FILE_MAX).  Elements are
 * matched by local name: SDMX puts `Ref` in no namespace and the others in
 * the structure and common namespaces, under whatever prefixes. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/questionnaire.h"
#include "ciatteh/util.h"

struct sx {
    const cia_qdef *q;
    const char *xml_path;
    FILE *out;
    size_t findings, checked;
    xmlNode *root;
};

static int is(const xmlNode *n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, local);
}

static const char *attr(const xmlNode *n, const char *name)
{
    /* xmlHasProp's value lives as long as the document: no copy to free. */
    xmlAttr *a = n ? xmlHasProp((xmlNode *)n, (const xmlChar *)name) : NULL;
    return a && a->children && a->children->content ? (const char *)a->children->content : NULL;
}

static xmlNode *child(const xmlNode *n, const char *local)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, local)) return c;
    return NULL;
}

/* The first element named LOCAL below N (depth first) with attribute
 * id = ID (and agencyID/version when given), or NULL. */
static xmlNode *find(xmlNode *n, const char *local, const char *id, const char *agency, const char *version)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (is(c, local) && (!id || (attr(c, "id") && !strcmp(attr(c, "id"), id))) &&
            (!agency || !attr(c, "agencyID") || !strcmp(attr(c, "agencyID"), agency)) &&
            (!version || !attr(c, "version") || !strcmp(attr(c, "version"), version)))
            return c;
        xmlNode *r = find(c, local, id, agency, version);
        if (r) return r;
    }
    return NULL;
}

static void finding(struct sx *x, int line, const char *word, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void finding(struct sx *x, int line, const char *word, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int col = 1;
    if (line && !cia_qdef_locate(x->q, line, 0, word, &col)) col = 1;
    fprintf(x->out, "%s:%d:%d: ", x->q->path, line, col);
    vfprintf(x->out, fmt, ap);
    fputc('\n', x->out);
    va_end(ap);
    x->findings++;
}

/* The code list a component (Dimension, Attribute) is enumerated by: its
 * local representation, else its concept's core representation. */
static xmlNode *codelist_of(struct sx *x, const xmlNode *comp)
{
    xmlNode *ref = child(child(child(comp, "LocalRepresentation"), "Enumeration"), "Ref");
    if (!ref) {
        xmlNode *cref = child(child(comp, "ConceptIdentity"), "Ref");
        if (!cref) return NULL;
        xmlNode *scheme = find(x->root, "ConceptScheme", attr(cref, "maintainableParentID"),
                               attr(cref, "agencyID"), attr(cref, "maintainableParentVersion"));
        xmlNode *concept = find(scheme ? scheme : x->root, "Concept", attr(cref, "id"), NULL, NULL);
        ref = child(child(child(concept, "CoreRepresentation"), "Enumeration"), "Ref");
        if (!ref) return NULL;
    }
    return find(x->root, "Codelist", attr(ref, "id"), attr(ref, "agencyID"), attr(ref, "version"));
}

static void ref_name(const xmlNode *n, char *buf, size_t size)
{
    snprintf(buf, size, "%s:%s(%s)", attr(n, "agencyID") ? attr(n, "agencyID") : "?",
             attr(n, "id") ? attr(n, "id") : "?", attr(n, "version") ? attr(n, "version") : "?");
}

/* CODE must be in COMP's code list. */
static void check_code(struct sx *x, const xmlNode *comp, const char *what, const char *code, int line)
{
    xmlNode *cl = codelist_of(x, comp);
    x->checked++;
    if (!cl) return;   /* reported once per component by the caller */
    if (!find(cl, "Code", code, NULL, NULL)) {
        char name[256];
        ref_name(cl, name, sizeof name);
        finding(x, line, code, "%s code '%s' is not in the structure's code list %s", what, code, name);
    }
}

static xmlNode *component(xmlNode *dsd, const char *list, const char *kind, const char *id)
{
    xmlNode *l = find(dsd, list, NULL, NULL, NULL);
    for (xmlNode *c = l ? l->children : NULL; c; c = c->next)
        if (is(c, kind) && attr(c, "id") && !strcmp(attr(c, "id"), id)) return c;
    return NULL;
}

static void check_dimensions(struct sx *x, xmlNode *dsd)
{
    const cia_qdef *q = x->q;
    xmlNode *dims = find(dsd, "DimensionList", NULL, NULL, NULL);
    for (int i = 0; i < q->nsdmx; i++) {
        xmlNode *d = component(dsd, "DimensionList", "Dimension", q->sdmx[i].k);
        if (!d) {
            finding(x, q->columns_line, q->sdmx[i].k, "column %s is not a dimension of the structure", q->sdmx[i].k);
            continue;
        }
        if (!codelist_of(x, d)) {
            finding(x, q->columns_line, q->sdmx[i].k, "the structure's code list for dimension %s is not in %s "
                    "(ask for the structure with its descendants)", q->sdmx[i].k, x->xml_path);
            continue;
        }
        check_code(x, d, q->sdmx[i].k, q->sdmx[i].v, q->columns_line);
        for (size_t k = 0; k < q->ncodes; k++)
            if (!strcmp(q->codes[k].col, q->sdmx[i].k))
                for (size_t j = 0; j < q->codes[k].codes.n; j++)
                    check_code(x, d, q->sdmx[i].k, q->codes[k].codes.v[j], q->codes[k].line);
        for (size_t k = 0; k < q->nperiods; k++)
            if (!strcmp(q->periods[k].col, q->sdmx[i].k))
                check_code(x, d, q->sdmx[i].k, q->periods[k].to_code, q->periods[k].line);
    }
    for (xmlNode *c = dims ? dims->children : NULL; c; c = c->next) {
        const char *id = attr(c, "id");
        if (is(c, "TimeDimension")) {
            if (id && strcmp(id, "TIME_PERIOD"))
                finding(x, q->columns_line, "columns", "the structure's time dimension is %s; SDMX-CSV is "
                        "written with TIME_PERIOD", id);
            continue;
        }
        if (!is(c, "Dimension") || !id) continue;
        int sent = 0;
        for (int i = 0; i < q->nsdmx; i++) sent |= !strcmp(q->sdmx[i].k, id);
        if (!sent) finding(x, q->columns_line, "columns", "the structure's dimension %s is not among the columns", id);
    }
}

static void check_attribute(struct sx *x, xmlNode *dsd, const char *col, int line, const char *const *codes,
                            size_t ncodes)
{
    if (!col) return;
    xmlNode *a = component(dsd, "AttributeList", "Attribute", col);
    if (!a) {
        finding(x, line, col, "attribute %s is not an attribute of the structure", col);
        return;
    }
    if (ncodes && !codelist_of(x, a)) {
        finding(x, line, col, "the structure gives %s no code list in %s, but the definition sends codes", col,
                x->xml_path);
        return;
    }
    for (size_t i = 0; i < ncodes; i++)
        if (codes[i]) check_code(x, a, col, codes[i], line);
}

int cia_qdef_check_structure(const cia_qdef *q, const char *xml_path, FILE *out, size_t *nchecked, cia_err *e)
{
    if (!q->has_sdmx || !q->dataflow)
        return cia_fail(e, CIA_EUSAGE, "%s sends no SDMX (no `sdmx dataflow` and `sdmx columns`): nothing to check",
                        q->id);
    char *data;
    size_t len;
    int rc = cia_read_file(xml_path, &data, &len, e);
    if (rc) return rc;
    xmlResetLastError();
    xmlDoc *doc = xmlReadMemory(data, (int)len, xml_path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                XML_PARSE_NOWARNING);
    free(data);
    if (!doc) {
        const xmlError *xe = xmlGetLastError();
        char col[32];
        snprintf(col, sizeof col, "%d", xe ? xe->int2 : 0);
        char msg[512];
        snprintf(msg, sizeof msg, "%s", xe && xe->message ? xe->message : "not well-formed XML");
        msg[strcspn(msg, "\n")] = '\0';
        return cia_fail_at(e, CIA_EDATA, xml_path, xe ? xe->line : 0, col, "not an SDMX-ML structure message: %s",
                           msg);
    }
    struct sx x = {q, xml_path, out, 0, 0, xmlDocGetRootElement(doc)};
    /* AGENCY:ID(VERSION) */
    char agency[128], id[128], version[64];
    if (sscanf(q->dataflow, "%127[^:]:%127[^(](%63[^)])", agency, id, version) != 3) {
        xmlFreeDoc(doc);
        return cia_fail(e, CIA_EINTERNAL, "dataflow '%s' passed the parser but not this check", q->dataflow);
    }
    xmlNode *flow = find(x.root, "Dataflow", id, agency, version);
    x.checked++;
    if (!flow || !attr(flow, "version") || !attr(flow, "agencyID")) {
        char have[1024] = "";
        size_t used = 0;
        for (xmlNode *f = find(x.root, "Dataflows", NULL, NULL, NULL), *c = f ? f->children : NULL; c; c = c->next) {
            if (!is(c, "Dataflow") || used >= sizeof have - 200) continue;
            char name[256];
            ref_name(c, name, sizeof name);
            used += (size_t)snprintf(have + used, sizeof have - used, "%s%s", used ? ", " : "", name);
        }
        finding(&x, q->dataflow_line, q->dataflow, "dataflow %s is not in the structure (it has: %s)", q->dataflow,
                *have ? have : "no dataflow");
    }
    xmlNode *sref = flow ? child(child(flow, "Structure"), "Ref") : NULL;
    xmlNode *dsd = sref ? find(x.root, "DataStructure", attr(sref, "id"), attr(sref, "agencyID"),
                               attr(sref, "version"))
                        : NULL;
    if (!dsd && !flow) {
        /* Without the dataflow, a file with a single data structure is
         * still worth checking code by code. */
        xmlNode *only = find(x.root, "DataStructure", NULL, NULL, NULL);
        xmlNode *list = only ? only->parent : NULL;
        int n = 0;
        for (xmlNode *c = list ? list->children : NULL; c; c = c->next) n += is(c, "DataStructure");
        if (n == 1) dsd = only;
    }
    if (!dsd) {
        finding(&x, q->dataflow_line, q->dataflow, "the data structure of %s is not in %s", q->dataflow, xml_path);
    } else {
        check_dimensions(&x, dsd);
        const char *scodes[8];
        size_t ns = 0;
        for (int i = 0; i < q->nstatus && ns < 8; i++) scodes[ns++] = q->status_map[i].v;
        check_attribute(&x, dsd, q->att_status, q->status_line, scodes, ns);
        const char *ccodes[3] = {q->conf_free, q->conf_primary, q->conf_secondary};
        check_attribute(&x, dsd, q->att_conf, q->conf_line, ccodes, 3);
        check_attribute(&x, dsd, q->att_comment, q->comment_line, NULL, 0);
        x.checked += 3;
        xmlNode *m = find(dsd, "PrimaryMeasure", NULL, NULL, NULL);
        if (m && attr(m, "id") && strcmp(attr(m, "id"), "OBS_VALUE"))
            finding(&x, q->columns_line, "columns", "the structure's measure is %s; SDMX-CSV is written with OBS_VALUE",
                    attr(m, "id"));
    }
    xmlFreeDoc(doc);
    if (nchecked) *nchecked = x.checked;
    if (x.findings)
        return cia_fail(e, CIA_EDATA, "%s disagrees with %s in %zu place%s (listed above); correct the definition",
                        q->path, xml_path, x.findings, x.findings == 1 ? "" : "s");
    return CIA_OK;
}
