/* prefault.c — linked into the test build's programs only (Makefile,
 * ASAN_PROGRAM_OBJ): at start-up, maps in one call per segment every
 * writable segment of every object loaded, the ranges LeakSanitizer reads
 * word by word when the program exits.
 *
 * Why: most of those pages are never touched before that scan (the
 * instrumented ciatteh-query has 5.7 MB of .bss, 4.4 MB of it the
 * sanitizer runtime's stack depot), so the scan
 * took one page fault per page, ~1,200 per command; on the CI guests a
 * fault costs 13-40 µs, while MADV_POPULATE_READ maps the same pages for
 * ~0.6 µs each (docs/TESTING.md, "How long it takes").  POPULATE_READ
 * maps untouched pages to the shared zero page: no memory is used and a
 * page written later faults once, as it did before.  Nothing here changes
 * what the sanitizers find.  A kernel without MADV_POPULATE_READ (before
 * Linux 5.14) refuses the call and nothing happens. */
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

static int populate(struct dl_phdr_info *info, size_t size, void *page_size)
{
    uintptr_t page = *(const uintptr_t *)page_size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) || !ph->p_memsz) continue;
        uintptr_t begin = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
        uintptr_t end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1);
        (void)madvise((void *)begin, end - begin, MADV_POPULATE_READ);
    }
    return 0;
}

__attribute__((constructor)) static void prefault_writable_segments(void)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    dl_iterate_phdr(populate, &page);
}
