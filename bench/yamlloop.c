/* yamlloop — the bare libyaml event loop over a file: what reading YAML costs before podnet
 * does anything with it. make bench prints podnet's load rate next to this one.
 *
 * usage: yamlloop FILE   (prints MB/s, best of three passes) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <yaml.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: yamlloop FILE\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 2;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *text = malloc((size_t)len + 1);
    if (!text || fread(text, 1, (size_t)len, f) != (size_t)len)
        return 2;
    fclose(f);
    double best = 1e9;
    for (int pass = 0; pass < 3; pass++) {
        double t = now();
        yaml_parser_t parser;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, text, (size_t)len);
        for (;;) {
            yaml_event_t ev;
            if (!yaml_parser_parse(&parser, &ev))
                return 1;
            yaml_event_type_t type = ev.type;
            yaml_event_delete(&ev);
            if (type == YAML_STREAM_END_EVENT)
                break;
        }
        yaml_parser_delete(&parser);
        if (now() - t < best)
            best = now() - t;
    }
    printf("%.1f\n", (double)len / 1e6 / best);
    free(text);
    return 0;
}
