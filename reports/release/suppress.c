/* suppress.c — owns the integer programs of disclosure control (GLPK):
 * the outsider's attack on one group of counts and the choice of
 * complementary cells.  See suppress.h for the model.
 *
 * Why integer and not linear programs: counts are whole numbers, and an
 * interval an LP finds wide can be narrow over the integers (a withheld
 * pair adding up to 1 is {0,1} either way, but a cell between 1.5 and 2.5
 * is exactly 2).  The attack is what the sdcTable attack() does;
 * the choice is the classic "protection by deviation vectors" model
 * (Fischetti and Salazar): two data sets, both non-negative, both agreeing
 * with every published cell, differing by width - 1 on the cell to protect;
 * a published cell must be unchanged by both deviations unless it is
 * withheld (binary s_c, big-M).
 *
 * Why the deviations are first continuous: with whole-number deviations
 * the choice is a hard integer program (a 576-atom conviction group took
 * seconds per cell and hit the node limit); with continuous ones only the
 * s_c are integer, as in Fischetti and Salazar's own model, and a choice
 * takes milliseconds.  A continuous choice can leave a cell wide for the
 * linear relaxation but narrow over the integers; the integer attack that
 * follows every round finds it, and that cell's next choice uses whole
 * deviations.  The audit, not the choice, is what guarantees the width. */
#include <glpk.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/suppress.h"
#include "ciatteh/util.h"

static void quiet(void)
{
    glp_term_out(GLP_OFF);
}

static const char *cell_name(const cia_sup *g, size_t c, char *buf, size_t n)
{
    if (g->name) return g->name(g->arg, c);
    snprintf(buf, n, "cell %zu", c);
    return buf;
}

static int must_show(const cia_sup *g, size_t c)
{
    return !g->can_hide[c] || (g->fixed && g->fixed[c] == CIA_SUP_KEEP_SHOWN);
}

/* ---- the attack ---------------------------------------------------------- */

/* The known equations between atoms (parts' totals), on the columns from
 * `base` on. */
static void link_rows(glp_prob *p, const cia_sup *g, int base, int *ind, double *val)
{
    for (size_t l = 0; l < g->nlinks; l++) {
        int n = 0;
        for (size_t a = 0; a < g->natoms; a++)
            if (g->link[l * g->natoms + a]) {
                ind[++n] = base + (int)a;
                val[n] = g->link[l * g->natoms + a];
            }
        int r = glp_add_rows(p, 1);
        glp_set_mat_row(p, r, n, ind, val);
        glp_set_row_bnds(p, r, GLP_FX, 0.0, 0.0);
    }
}

/* Atoms as integer columns >= 0; one equality row per published cell. */
static glp_prob *attack_model(const cia_sup *g)
{
    glp_prob *p = glp_create_prob();
    glp_add_cols(p, (int)g->natoms);
    for (size_t a = 0; a < g->natoms; a++) {
        glp_set_col_kind(p, (int)a + 1, GLP_IV);
        glp_set_col_bnds(p, (int)a + 1, GLP_LO, 0.0, 0.0);
    }
    int *ind = cia_xcalloc(g->natoms + 1, sizeof *ind);
    double *val = cia_xcalloc(g->natoms + 1, sizeof *val);
    for (size_t c = 0; c < g->ncells; c++) {
        if (g->withheld[c]) continue;
        int n = 0;
        for (size_t a = 0; a < g->natoms; a++)
            if (g->member[c * g->natoms + a]) {
                ind[++n] = (int)a + 1;
                val[n] = 1.0;
            }
        if (!n) continue;
        int r = glp_add_rows(p, 1);
        glp_set_mat_row(p, r, n, ind, val);
        glp_set_row_bnds(p, r, GLP_FX, (double)g->value[c], (double)g->value[c]);
    }
    link_rows(p, g, 1, ind, val);
    free(ind);
    free(val);
    return p;
}

/* Min or max of cell c over the model: CIA_OK and *out, or unbounded.
 * The linear relaxation first, warm-started from the previous objective's
 * basis (one model serves every withheld cell): when its optimum is whole
 * it is the integer optimum; otherwise branch and bound from there. */
static int extreme(cia_sup *g, glp_prob *p, size_t c, int dir, long long *out, cia_err *e)
{
    for (size_t a = 0; a < g->natoms; a++)
        glp_set_obj_coef(p, (int)a + 1, g->member[c * g->natoms + a] ? 1.0 : 0.0);
    glp_set_obj_dir(p, dir);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    g->n_ilp++;
    int rc = glp_simplex(p, &sp);
    if (rc != 0) {
        glp_adv_basis(p, 0);
        rc = glp_simplex(p, &sp);
    }
    char nb[64];
    int st = glp_get_status(p);
    if (rc == 0 && st == GLP_UNBND && dir == GLP_MAX) {
        *out = CIA_SUP_UNBOUNDED;
        return CIA_OK;
    }
    if (rc != 0 || st != GLP_OPT)
        return cia_fail(e, CIA_EINTERNAL, "disclosure audit: the attack on %s found no solution "
                        "(glp_simplex %d, status %d)", cell_name(g, c, nb, sizeof nb), rc, st);
    int whole = 1;
    for (size_t a = 0; a < g->natoms && whole; a++) {
        double x = glp_get_col_prim(p, (int)a + 1);
        whole = x - (double)(long long)(x + 0.5) < 1e-9 && (double)(long long)(x + 0.5) - x < 1e-9;
    }
    double v = glp_get_obj_val(p);
    if (!whole) {
        glp_iocp parm;
        glp_init_iocp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        /* Gomory and MIR cuts: the relaxation of a sum of counts is
         * loose, and cuts halve the attack's time on the samples. */
        parm.gmi_cuts = GLP_ON;
        parm.mir_cuts = GLP_ON;
        rc = glp_intopt(p, &parm);
        if (rc != 0 || glp_mip_status(p) != GLP_OPT)
            return cia_fail(e, CIA_EINTERNAL, "disclosure audit: the attack on %s found no integer "
                            "solution (glp_intopt %d, status %d)", cell_name(g, c, nb, sizeof nb), rc,
                            glp_mip_status(p));
        v = glp_mip_obj_val(p);
    }
    *out = (long long)(v < 0 ? v - 0.5 : v + 0.5);
    return CIA_OK;
}

int cia_sup_audit(cia_sup *g, int width, size_t *narrow, cia_err *e)
{
    quiet();
    *narrow = 0;
    glp_prob *p = attack_model(g);
    int rc = CIA_OK;
    for (size_t c = 0; c < g->ncells && rc == CIA_OK; c++) {
        if (!g->withheld[c]) continue;
        rc = extreme(g, p, c, GLP_MIN, &g->lo[c], e);
        if (!rc) rc = extreme(g, p, c, GLP_MAX, &g->hi[c], e);
        if (!rc && g->hi[c] - g->lo[c] < width - 1) (*narrow)++;
    }
    glp_delete_prob(p);
    glp_free_env();
    return rc;
}

/* ---- the choice of complements -------------------------------------------- */

/* Deviation bound per atom: enough to move any cell by width - 1. */
static long long dev_max(int width)
{
    return width > 1 ? width : 2;
}

/* Row r := sum over c's atoms of the deviation columns from `base`, plus
 * coef * column s (s = 0: none). */
static void dev_row(glp_prob *p, const cia_sup *g, size_t c, int base, int s, double coef,
                    int *ind, double *val, int type, double bound)
{
    int n = 0;
    for (size_t a = 0; a < g->natoms; a++)
        if (g->member[c * g->natoms + a]) {
            ind[++n] = base + (int)a;
            val[n] = 1.0;
        }
    if (s) {
        ind[++n] = s;
        val[n] = coef;
    }
    int r = glp_add_rows(p, 1);
    glp_set_mat_row(p, r, n, ind, val);
    glp_set_row_bnds(p, r, type, bound, bound);
}

/* Stop a choice MIP after a number of nodes (not a time: the same data
 * must give the same pattern on a busy machine as on an idle one). */
struct node_limit {
    int nodes, max;
};

static void count_nodes(glp_tree *t, void *info)
{
    struct node_limit *l = info;
    if (glp_ios_reason(t) == GLP_ISELECT && ++l->nodes > l->max) glp_ios_terminate(t);
}

/* Cheapest further cells to withhold so that cell w's interval holds
 * `width` values, with whole (`integral`) or continuous deviations.
 * *added = how many; CIA_EDATA when no choice exists. */
static int choose(cia_sup *g, size_t w, int width, int integral, size_t *added, cia_err *e)
{
    *added = 0;
    size_t na = g->natoms;
    long long Y = dev_max(width);
    glp_prob *p = glp_create_prob();
    glp_set_obj_dir(p, GLP_MIN);
    /* columns: s_c for candidates, then yp (na), then ym (na) */
    int *scol = cia_xcalloc(g->ncells, sizeof *scol);
    int ncand = 0;
    for (size_t c = 0; c < g->ncells; c++)
        if (!g->withheld[c] && !must_show(g, c)) scol[c] = ++ncand;
    if (ncand) glp_add_cols(p, ncand);
    for (size_t c = 0; c < g->ncells; c++)
        if (scol[c]) {
            glp_set_col_kind(p, scol[c], GLP_BV);
            glp_set_obj_coef(p, scol[c], g->cost ? g->cost[c] : 1.0);
        }
    int yp = glp_add_cols(p, (int)na), ym = glp_add_cols(p, (int)na);
    for (size_t a = 0; a < na; a++) {
        double lo = -(double)g->atom[a];
        glp_set_col_kind(p, yp + (int)a, integral ? GLP_IV : GLP_CV);
        glp_set_col_bnds(p, yp + (int)a, GLP_DB, lo, (double)Y);
        glp_set_col_kind(p, ym + (int)a, integral ? GLP_IV : GLP_CV);
        glp_set_col_bnds(p, ym + (int)a, GLP_DB, lo, (double)Y);
    }
    int *ind = cia_xcalloc(2 * na + 3, sizeof *ind);
    double *val = cia_xcalloc(2 * na + 3, sizeof *val);
    for (size_t c = 0; c < g->ncells; c++) {
        if (g->withheld[c]) continue;
        if (!scol[c]) {
            dev_row(p, g, c, yp, 0, 0, ind, val, GLP_FX, 0.0);
            dev_row(p, g, c, ym, 0, 0, ind, val, GLP_FX, 0.0);
            continue;
        }
        double M = 0;
        for (size_t a = 0; a < na; a++)
            if (g->member[c * na + a]) M += (double)(g->atom[a] > Y ? g->atom[a] : Y);
        dev_row(p, g, c, yp, scol[c], -M, ind, val, GLP_UP, 0.0);
        dev_row(p, g, c, yp, scol[c], M, ind, val, GLP_LO, 0.0);
        dev_row(p, g, c, ym, scol[c], -M, ind, val, GLP_UP, 0.0);
        dev_row(p, g, c, ym, scol[c], M, ind, val, GLP_LO, 0.0);
    }
    link_rows(p, g, yp, ind, val);
    link_rows(p, g, ym, ind, val);
    /* the two data sets give w values width - 1 apart */
    int n = 0;
    for (size_t a = 0; a < na; a++)
        if (g->member[w * na + a]) {
            ind[++n] = yp + (int)a;
            val[n] = 1.0;
            ind[++n] = ym + (int)a;
            val[n] = -1.0;
        }
    int r = glp_add_rows(p, 1);
    glp_set_mat_row(p, r, n, ind, val);
    glp_set_row_bnds(p, r, GLP_LO, (double)(width - 1), 0.0);
    free(ind);
    free(val);

    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    struct node_limit lim = {0, g->mip_nodes > 0 ? g->mip_nodes : CIA_SUP_MIP_NODES};
    parm.cb_func = count_nodes;
    parm.cb_info = &lim;
    parm.mip_gap = 0.0;
    g->n_mip++;
    int rc = glp_intopt(p, &parm);
    int st = glp_mip_status(p);
    int out = CIA_OK;
    char nb[64];
    if ((rc == 0 || rc == GLP_ESTOP) && (st == GLP_OPT || st == GLP_FEAS)) {
        for (size_t c = 0; c < g->ncells; c++)
            if (scol[c] && glp_mip_col_val(p, scol[c]) > 0.5) {
                g->withheld[c] = 1;
                (*added)++;
            }
    } else if (rc == GLP_ESTOP) {
        /* No choice found within the nodes allowed: withhold every candidate sharing an
         * atom with w (the audit that follows decides if it is enough). */
        for (size_t c = 0; c < g->ncells; c++) {
            if (!scol[c]) continue;
            for (size_t a = 0; a < na; a++)
                if (g->member[c * na + a] && g->member[w * na + a]) {
                    g->withheld[c] = 1;
                    (*added)++;
                    break;
                }
        }
    } else {
        out = cia_fail(e, CIA_EDATA, "disclosure control: %s cannot be protected: whatever else "
                       "is withheld, the figures that must stay published (published by an earlier "
                       "release, or not known) pin it to fewer than %d values",
                       cell_name(g, w, nb, sizeof nb), width);
    }
    free(scol);
    glp_delete_prob(p);
    return out;
}

int cia_sup_protect(cia_sup *g, int width, cia_err *e)
{
    quiet();
    for (;;) {
        size_t narrow = 0;
        int rc = cia_sup_audit(g, width, &narrow, e);
        if (rc || !narrow) return rc;
        size_t total = 0;
        glp_prob *p = NULL;
        for (size_t w = 0; w < g->ncells && rc == CIA_OK; w++) {
            if (!g->withheld[w] || g->hi[w] - g->lo[w] >= width - 1) continue;
            if (total) {
                /* Cells withheld for an earlier one may protect it too. */
                if (!p) p = attack_model(g);
                rc = extreme(g, p, w, GLP_MIN, &g->lo[w], e);
                if (!rc) rc = extreme(g, p, w, GLP_MAX, &g->hi[w], e);
                if (rc || g->hi[w] - g->lo[w] >= width - 1) continue;
            }
            size_t added = 0;
            rc = choose(g, w, width, 0, &added, e);
            /* wide for the relaxation, narrow over the integers */
            if (!rc && !added) rc = choose(g, w, width, 1, &added, e);
            total += added;
            if (added && p) {
                glp_delete_prob(p);
                p = NULL;
            }
        }
        if (p) glp_delete_prob(p);
        glp_free_env();
        if (rc) return rc;
        if (!total) {
            /* Every narrow cell got a choice, yet nothing was added: the
             * audit and the choice disagree (cannot happen with exact
             * integer programs; stop rather than loop). */
            for (size_t w = 0; w < g->ncells; w++)
                if (g->withheld[w] && g->hi[w] - g->lo[w] < width - 1) {
                    char nb[64];
                    return cia_fail(e, CIA_EDATA, "disclosure control: %s cannot be protected "
                                    "(its interval is %lld..%lld)", cell_name(g, w, nb, sizeof nb),
                                    g->lo[w], g->hi[w]);
                }
            return CIA_OK;
        }
    }
}
