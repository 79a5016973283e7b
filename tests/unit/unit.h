/* unit.h — the smallest test framework that does the job: each test is a
 * function, CHECK records a failure with its location and goes on, and
 * main prints the plain summary line "N passed, N failed" that tests/run
 * and CI read.  Run one test alone: build/asan/tests/test_x NAME. */
#ifndef CIATTEH_UNIT_H
#define CIATTEH_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failures_in_test;

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    unit_failures_in_test++; } } while (0)

#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) { \
    fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
            a_ ? a_ : "(null)", b_ ? b_ : "(null)"); unit_failures_in_test++; } } while (0)

#define CHECK_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ != b_) { fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", \
    __FILE__, __LINE__, #a, a_, b_); unit_failures_in_test++; } } while (0)

struct unit_test { const char *name; void (*fn)(void); };

#define UNIT_MAIN(...) \
int main(int argc, char **argv) { \
    static const struct unit_test tests_[] = { __VA_ARGS__ }; \
    int pass = 0, fail = 0; \
    for (size_t i = 0; i < sizeof tests_ / sizeof tests_[0]; i++) { \
        if (argc > 1 && strcmp(argv[1], tests_[i].name) != 0) continue; \
        unit_failures_in_test = 0; \
        tests_[i].fn(); \
        if (unit_failures_in_test) { fail++; fprintf(stderr, "FAIL %s\n", tests_[i].name); } \
        else { pass++; if (getenv("UNIT_VERBOSE")) fprintf(stderr, "ok   %s\n", tests_[i].name); } \
    } \
    printf("%d passed, %d failed\n", pass, fail); \
    return fail ? 1 : 0; \
}
#define T(fn) { #fn, fn }

#include <stdlib.h>
#endif
