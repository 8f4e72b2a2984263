/*
 * tests/san/prefault.c - linked into the sanitizer build only (make
 * check's build/san/dipb and build/san/unit), never into dipb itself.
 *
 * LeakSanitizer's check at exit reads every writable segment of the
 * program looking for pointers.  With the sanitizer runtime linked in
 * statically (Makefile, SAN_LDFLAGS), the program's segment holds the
 * runtime's own tables too, about 7 MB that nothing has touched until
 * then, and the scan took one page fault for each of its 4 KiB pages:
 * 1,400 of the 2,500 faults of a 'dipb --version', a third of its time on
 * a virtual machine where a fault is dear.  Just before that scan, one
 * madvise(MADV_POPULATE_READ) maps the whole segment in one system call
 * (Linux 5.14 and later; elsewhere it fails, harmlessly, and the scan
 * faults as before).  Nothing the scan finds changes: the pages read the
 * same, and untouched ones are still zero.
 *
 * The order: the runtime registers its leak check with atexit(3) while
 * it starts, from the program's preinit_array, before any constructor;
 * this file's constructor registers its handler after that, and atexit
 * handlers run in the reverse order, so this one runs first.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22		/* Linux 5.14 */
#endif

/* The writable loadable segments of the first object: the program. */
static int
populate(struct dl_phdr_info *info, size_t size, void *arg)
{
	const ElfW(Phdr) *ph;
	uintptr_t begin, end, page = 4096;
	int i;

	(void)size;
	(void)arg;
	for (i = 0; i < info->dlpi_phnum; i++) {
		ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) == 0)
			continue;
		begin = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
		end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page - 1) &
		    ~(page - 1);
		(void)madvise((void *)begin, end - begin, MADV_POPULATE_READ);
	}
	return 1;
}

/*
 * Whether the check at exit will run: ASAN_OPTIONS's last detect_leaks
 * (the scripts that turn it off, tests/cli/run.sh, gain nothing here).
 */
static int
leak_check_on(void)
{
	const char *opts = getenv("ASAN_OPTIONS"), *p, *last = NULL;

	for (p = opts; p != NULL && (p = strstr(p, "detect_leaks=")) != NULL;
	    p++)
		last = p + strlen("detect_leaks=");
	return last == NULL || *last != '0';
}

static void
before_leak_check(void)
{
	if (leak_check_on())
		dl_iterate_phdr(populate, NULL);
}

__attribute__((constructor)) static void
prefault_init(void)
{
	atexit(before_leak_check);
}
