/* fuzzkit — what the libFuzzer targets in tests/fuzz share: a sink for output that is formatted
 * and dropped, a private folder for the files a target must hand podnet by path (a scenario,
 * a results database), and argument vectors cut from the fuzzer's bytes. Header-only: each
 * target is one program. */
#ifndef PN_FUZZKIT_H
#define PN_FUZZKIT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where diagnostics and reports go: formatted (so the formatting code runs), then dropped.
 * Opened once; libFuzzer runs inputs one after another in one process. */
static FILE *fuzz_sink(void)
{
    static FILE *devnull;
    if (!devnull && !(devnull = fopen("/dev/null", "w")))
        abort();
    return devnull;
}

/* A folder of this process's own under /tmp (made once, removed by nobody: a fuzzing run is
 * short-lived and its files are small). */
static const char *fuzz_dir(void)
{
    static char dir[] = "/tmp/podnet-fuzz-XXXXXX";
    static int made;
    if (!made && !(made = mkdtemp(dir) != NULL))
        abort();
    return dir;
}

/* The path of name inside fuzz_dir(), in a static buffer (one at a time). */
static const char *fuzz_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
    return path;
}

/* Writes size bytes to path (replacing it). Aborts when it cannot: the harness is broken. */
static void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

/* Cuts text (size bytes, not NUL-terminated) at newlines into at most max NUL-terminated
 * arguments, appended to argv after *argc of them (none for empty text). Returns the copy the
 * arguments point into (caller frees). */
static char *fuzz_split_lines(const uint8_t *text, size_t size, char **argv, int *argc, int max)
{
    char *copy = malloc(size + 1);
    if (!copy)
        abort();
    memcpy(copy, text, size);
    copy[size] = '\0';
    char *p = copy;
    while (size && *argc < max && p <= copy + size) {
        char *nl = memchr(p, '\n', (size_t)(copy + size - p));
        if (nl)
            *nl = '\0';
        argv[(*argc)++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
    return copy;
}

#endif
