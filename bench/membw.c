/* membw — this machine's memory write bandwidth in GB/s: the best of several passes writing a
 * buffer much larger than the caches. The benchmark compares podnet's compute time with the
 * time needed merely to write its result bits at this speed (the physical limit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void)
{
    size_t size = (size_t)512 << 20;
    unsigned char *buf = malloc(size);
    if (!buf)
        return 1;
    memset(buf, 1, size); /* fault the pages in first */
    double best = 1e9;
    for (int pass = 0; pass < 5; pass++) {
        double t = now();
        memset(buf, pass, size);
        t = now() - t;
        if (t < best)
            best = t;
    }
    printf("%.2f\n", (double)size / best / 1e9 + (buf[size / 2] & 0) * 0.0);
    free(buf);
    return 0;
}
