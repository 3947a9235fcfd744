/* time — durations as people write them ("90s", "1.5m", "250ms") and back. */
#include "sim/base/time.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int pn_time_parse(const char *s, pn_time *out)
{
    static const struct {
        const char *unit;
        pn_time scale;
    } units[] = {{"ns", 1},        {"us", 1000},          {"ms", PN_MILLISECOND},
                 {"s", PN_SECOND}, {"m", 60 * PN_SECOND}, {"h", 3600 * PN_SECOND}};
    const char *p = s;
    int64_t whole = 0, frac = 0, frac_scale = 1;
    if (!isdigit((unsigned char)*p))
        return -1;
    while (isdigit((unsigned char)*p)) {
        if (whole > INT64_MAX / 10 - 10)
            return -1;
        whole = whole * 10 + (*p++ - '0');
    }
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p)) {
            if (frac_scale < 1000000000000000000 / 10) {
                frac = frac * 10 + (*p - '0');
                frac_scale *= 10;
            }
            p++;
        }
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(p, units[i].unit) == 0) {
            pn_time scale = units[i].scale;
            if (whole > INT64_MAX / scale / 2)
                return -1;
            /* The fraction in integer arithmetic: exact for ns, us and ms and s scales. */
            *out = whole * scale + (pn_time)((__int128)frac * scale / frac_scale);
            return 0;
        }
    return -1;
}

char *pn_time_format(pn_time t, char *buf)
{
    if (t == 0) {
        snprintf(buf, 32, "0s");
        return buf;
    }
    if (t % (60 * PN_SECOND) == 0 && t >= 60 * PN_SECOND) {
        snprintf(buf, 32, "%lldm", (long long)(t / (60 * PN_SECOND)));
        return buf;
    }
    if (t % PN_MILLISECOND == 0 && t < PN_SECOND) {
        snprintf(buf, 32, "%lldms", (long long)(t / PN_MILLISECOND));
        return buf;
    }
    if (t % PN_MILLISECOND != 0) {
        snprintf(buf, 32, "%lldns", (long long)t);
        return buf;
    }
    /* Seconds, with up to three decimals and no trailing zeros. */
    long long ms = (long long)(t / PN_MILLISECOND);
    int n = snprintf(buf, 32, "%lld.%03lld", ms / 1000, ms % 1000);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    snprintf(buf + n, 32 - (size_t)n, "s");
    return buf;
}
