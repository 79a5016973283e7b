/* load_dups.c — owns duplicate detection in a load: the unique key's
 * keyed hash per record, a blocked Bloom filter of them (a few bits per
 * record, so memory stays flat at any size), the candidates it reports
 * confirmed exactly (one query on the key hashes the delivery stored,
 * then, only when a duplicate is real or under --keep-going/--dry-run, a
 * second read of the file that names them), and under --keep-going the
 * later duplicates taken back out of the delivery. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/load_run.h"
#include "ciatteh/testpoint.h"

/* Blocked Bloom filter: all BLOOM_K bits of a key lie in one 64-byte
 * block (one cache line), chosen by the high bits of the key's first 8
 * bytes; the bits within it are 9-bit slices of its next 8 bytes and of
 * the low bits of the first (independent slices: with one start and one
 * step, two keys of a block would share all their bits once in 2^17).  A
 * plain filter spreads its bits over the whole array, and its ten cache
 * misses per record were, profiled, the largest cost of a load outside the
 * parser.  Blocking costs a few more false candidates at the same size;
 * those are only checked exactly afterwards. */
#define BLOOM_WORDS 8
#define BLOOM_K 12

static uint64_t *bloom_block(const struct load_run *r, const unsigned char *h)
{
    uint64_t a;
    memcpy(&a, h, 8);
    return r->bloom + (size_t)(((unsigned __int128)a * r->bloom_blocks) >> 64) * BLOOM_WORDS;
}

/* Sets the key's bits; 1 if they were all set already (a candidate). */
static int bloom_add(struct load_run *r, const unsigned char *h)
{
    uint64_t *blk = bloom_block(r, h), slices[2];
    memcpy(&slices[0], h + 8, 8);
    memcpy(&slices[1], h, 8);
    int present = 1;
    for (int k = 0; k < BLOOM_K; k++) {
        unsigned bit = (unsigned)(slices[k / 7] >> (9 * (k % 7))) & (BLOOM_WORDS * 64 - 1);
        uint64_t mask = 1ULL << (bit & 63);
        if (!(blk[bit >> 6] & mask)) { present = 0; blk[bit >> 6] |= mask; }
    }
    return present;
}

/* The filter is far larger than the caches: a record's block is fetched
 * ahead (prefetch) and its bits are set when the next record comes, by
 * which time the block has arrived.  Keys go in in the same order, so the
 * candidates are the same.  ld_bloom_flush() adds the last one. */
void ld_bloom_flush(struct load_run *r)
{
    if (!r->pending) return;
    r->pending = 0;
    if (!bloom_add(r, r->pend_h)) return;
    if (r->ncands == r->capcands) {
        r->capcands = r->capcands ? r->capcands * 2 : 64;
        r->cands = cia_xrealloc(r->cands, r->capcands * sizeof *r->cands);
    }
    r->cands[r->ncands].line = r->pend_line;
    memcpy(r->cands[r->ncands].h, r->pend_h, CIA_PSEUDO_LEN);
    r->ncands++;
}

void ld_bloom_defer(struct load_run *r, const unsigned char *h, long line)
{
    __builtin_prefetch(bloom_block(r, h), 1);
    ld_bloom_flush(r);
    memcpy(r->pend_h, h, CIA_PSEUDO_LEN);
    r->pend_line = line;
    r->pending = 1;
}

/* Bloom filter: ~24 bits per expected record (records of at least 24
 * bytes), at least 1 Mbit, at most 256 Mbit (32 MiB). */
void ld_bloom_alloc(struct load_run *r)
{
    double expect = (double)r->scan.size / 24.0 + 1024;
    double bits = expect * 24.0;
    if (bits < 1 << 20) bits = 1 << 20;
    if (bits > 256.0 * 1024 * 1024) bits = 256.0 * 1024 * 1024;
    /* Tests shrink the filter to make false candidates in a small file. */
    r->bloom_blocks = cia_test_size("BLOOM_BLOCKS", (size_t)bits / (BLOOM_WORDS * 64));
    r->bloom_mem = cia_xcalloc(r->bloom_blocks * BLOOM_WORDS + BLOOM_WORDS, sizeof *r->bloom);
    r->bloom = (uint64_t *)(((uintptr_t)r->bloom_mem + 63) & ~(uintptr_t)63);
}

void ld_key_hash(struct load_run *r, const cia_record *rec, unsigned char out[CIA_PSEUDO_LEN])
{
    const cia_spec *s = r->l->spec;
    const char *parts[9];
    size_t lens[9];
    parts[0] = s->service;
    lens[0] = strlen(s->service);
    for (size_t k = 0; k < s->nunique && k < 8; k++) {
        int f = s->unique[k];
        if (s->fields[f].type == CIA_T_REF) {
            /* the reference as written, trimmed (and cut at 255 bytes) */
            int c = r->field_col[f];
            const char *v = rec->fields[c];
            size_t n = rec->lens[c];
            while (n && (*v == ' ' || *v == '\t')) { v++; n--; }
            while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
            if (n > 255) n = 255;
            parts[k + 1] = v;
            lens[k + 1] = n;
        } else {
            parts[k + 1] = r->vals[f].text;
            lens[k + 1] = strlen(r->vals[f].text);
        }
    }
    cia_pseudonym(r->l->hasher, parts, lens, s->nunique + 1, out);
}

/* *dup = 1 when two records of this delivery share one of the candidates'
 * key hashes (the records are all in the table, COPY has ended). */
int ld_any_duplicate(struct load_run *r, int *dup, cia_err *e)
{
    cia_db *db = r->l->db;
    /* bytea[] in text form: {"\\x...","\\x..."} */
    cia_buf arr;
    cia_buf_init(&arr);
    cia_buf_addc(&arr, '{');
    char hex[2 * CIA_PSEUDO_LEN + 1];
    for (size_t i = 0; i < r->ncands; i++) {
        cia_hex(r->cands[i].h, CIA_PSEUDO_LEN, hex);
        cia_buf_printf(&arr, "%s\"\\\\x%s\"", i ? "," : "", hex);
    }
    cia_buf_addc(&arr, '}');
    char id[32];
    snprintf(id, sizeof id, "%lld", r->delivery_id);
    char *t = PQescapeIdentifier(db->conn, r->l->spec->table, strlen(r->l->spec->table));
    /* One table, one pass: the candidates are a constant array when the
     * statement is planned, which PostgreSQL tests with a hash table; a
     * join here could be planned as one scan of the delivery per
     * candidate (the table's statistics do not know the new rows yet). */
    char *sql = cia_xasprintf("SELECT EXISTS (SELECT 1 FROM %s WHERE delivery_id = $1 AND ref_hash = ANY($2::bytea[]) "
                              "GROUP BY ref_hash HAVING count(*) > 1)", t);
    PQfreemem(t);
    const char *p[2] = {id, arr.data};
    PGresult *q;
    int rc = cia_db_query(db, e, &q, sql, 2, p);
    free(sql);
    cia_buf_free(&arr);
    if (rc) return rc;
    *dup = PQgetvalue(q, 0, 0)[0] == 't';
    PQclear(q);
    return CIA_OK;
}

/* Before the second read: the candidates, by their hashes in hex. */
void ld_dups_prepare(struct load_run *r)
{
    char hex[2 * CIA_PSEUDO_LEN + 1];
    for (size_t i = 0; i < r->ncands; i++) {
        cia_hex(r->cands[i].h, CIA_PSEUDO_LEN, hex);
        cia_map_put(&r->cand_set, hex, (void *)1);
    }
}

int ld_dup_record(struct load_run *r, const cia_record *rec, const char *hex)
{
    const cia_spec *s = r->l->spec;
    long first = (long)(intptr_t)cia_map_get(&r->first_line, hex);
    if (!first) {
        cia_map_put(&r->first_line, hex, (void *)(intptr_t)rec->line);
        return 0;
    }
    cia_buf_reset(&r->reasons);
    char cols[256] = "";
    for (size_t k = 0; k < s->nunique; k++) {
        int c = r->field_col[s->unique[k]];
        snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", k ? ", " : "", r->col_names[c]);
    }
    ld_msg(r, rec->line, r->col_names[r->field_col[s->unique[s->nunique - 1]]],
           "duplicate record: the same %s as line %ld", cols, first);
    r->rows_bad++;
    r->rows_ok--;
    if (r->ndups == r->capdups) {
        r->capdups = r->capdups ? r->capdups * 2 : 16;
        r->dup_lines = cia_xrealloc(r->dup_lines, r->capdups * sizeof *r->dup_lines);
    }
    r->dup_lines[r->ndups++] = rec->line;
    return 1;
}

/* --keep-going: the later duplicates out of the delivery (COPY has
 * ended), and the years covered counted again from what stays. */
int ld_dups_remove(struct load_run *r, cia_err *e)
{
    if (!r->ndups) return CIA_OK;
    cia_db *db = r->l->db;
    const cia_spec *s = r->l->spec;
    int rc;
    cia_buf arr;
    cia_buf_init(&arr);
    cia_buf_addc(&arr, '{');
    for (size_t i = 0; i < r->ndups; i++) cia_buf_printf(&arr, "%s%ld", i ? "," : "", r->dup_lines[i]);
    cia_buf_addc(&arr, '}');
    char id[32];
    snprintf(id, sizeof id, "%lld", r->delivery_id);
    char *t = PQescapeIdentifier(db->conn, s->table, strlen(s->table));
    char *sql = cia_xasprintf("DELETE FROM %s WHERE delivery_id = $1 AND line_no = ANY($2::bigint[])", t);
    PQfreemem(t);
    const char *p[2] = {id, arr.data};
    rc = cia_db_query(db, e, NULL, sql, 2, p);
    free(sql);
    cia_buf_free(&arr);
    if (rc) return rc;
    /* the tallies counted them: recount years from what stays */
    r->nys = 0;
    t = PQescapeIdentifier(db->conn, s->table, strlen(s->table));
    char *prim = PQescapeIdentifier(db->conn, s->fields[s->primary].name, strlen(s->fields[s->primary].name));
    char *scope = s->scope >= 0 ? PQescapeIdentifier(db->conn, s->fields[s->scope].name,
                                                     strlen(s->fields[s->scope].name)) : NULL;
    int is_date = s->fields[s->primary].type == CIA_T_DATE;
    sql = cia_xasprintf("SELECT %s, %s%s%s, count(*) FROM %s WHERE delivery_id = $1 GROUP BY 1, 2",
                        scope ? scope : "''", is_date ? "yr(" : "", prim, is_date ? ")" : "", t);
    PQfreemem(t);
    PQfreemem(prim);
    if (scope) PQfreemem(scope);
    PGresult *q;
    const char *p1[1] = {id};
    rc = cia_db_query(db, e, &q, sql, 1, p1);
    free(sql);
    if (rc) return rc;
    for (int i = 0; i < PQntuples(q); i++) {
        ld_tally_year(r, PQgetvalue(q, i, 0), atoi(PQgetvalue(q, i, 1)));
        r->ys[r->nys - 1].rows = atoll(PQgetvalue(q, i, 2));
    }
    PQclear(q);
    return CIA_OK;
}
