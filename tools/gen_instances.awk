# gen_instances.awk — turns data/aws/instance-limits.csv into C source: the const array
# pn__instance_table of pn_instance_type (models/instance.h), sorted by name, and its count.
#
#   LC_ALL=C awk -f tools/gen_instances.awk data/aws/instance-limits.csv > build/gen/instances.c
#
# POSIX awk only (tested with mawk 1.3.4, Debian 12's awk). The CSV is validated before
# anything is written: exact header, 10 fields per row, integers without signs or leading zeros
# and in range for their C types, known enumerations, names unique and strictly increasing in
# byte order (the order pn_instance_find's binary search needs; hence LC_ALL=C). Every problem
# is reported, GNU-style "file:line:column: error: message", on standard error; the exit status
# is then 1 and nothing is written to standard output. A trailing carriage return (CRLF file)
# is tolerated.

BEGIN {
    FS = ","
    HEADER = "instance_type,max_enis,ipv4_per_eni,hypervisor,bare_metal,network_cards," \
             "default_network_card_index,max_enis_all_cards,trunking_compatible,branch_interfaces"
    NCOLS = 10
    src = (ARGC > 1) ? ARGV[1] : "-"
    errors = 0
    rows = 0
    prev = ""
}

# Prints one diagnostic for the current line; col is 1-based, in bytes.
function fail(col, msg) {
    printf "%s:%d:%d: error: %s\n", src, FNR, col, msg | "cat 1>&2"
    errors++
}

# The 1-based byte column where field i starts (FS is a single comma).
function column(i,    c, j) {
    c = 1
    for (j = 1; j < i; j++)
        c += length($j) + 1
    return c
}

# Field i as a number in lo..hi; reports a problem and returns -1 otherwise.
function integer(i, what, lo, hi,    v) {
    v = $i
    if (v !~ /^[0-9]+$/) {
        fail(column(i), what " must be an integer, not \"" v "\"")
        return -1
    }
    if (length(v) > 1 && v ~ /^0/) {
        fail(column(i), what " \"" v "\" has a leading zero")
        return -1
    }
    if (length(v) > 9 || v + 0 < lo || v + 0 > hi) {
        fail(column(i), what " " v " is out of range " lo ".." hi)
        return -1
    }
    return v + 0
}

# Field i as a boolean: "true" -> 1, "false" -> 0, "" -> -1 when empty_ok; -2 after a problem.
function boolean(i, what, empty_ok) {
    if ($i == "true")
        return 1
    if ($i == "false")
        return 0
    if ($i == "" && empty_ok)
        return -1
    fail(column(i), what " must be true or false" (empty_ok ? " or empty" : "") ", not \"" $i "\"")
    return -2
}

{ sub(/\r$/, "") }

FNR == 1 {
    if ($0 != HEADER)
        fail(1, "header must be \"" HEADER "\"")
    next
}

$0 == "" {
    fail(1, "empty line")
    next
}

NF != NCOLS {
    fail(1, "expected " NCOLS " comma-separated fields, found " NF)
    next
}

{
    before = errors
    name = $1
    if (name !~ /^[a-z0-9][a-z0-9.-]*$/ || length(name) > 64)
        fail(1, "instance type \"" name "\" must be 1-64 characters of [a-z0-9.-]," \
                " starting with a letter or digit")
    else if (name in line_of)
        fail(1, "duplicate instance type " name " (first on line " line_of[name] ")")
    else if (rows > 0 && !((name "") > (prev "")))
        fail(1, "instance type " name " is out of order: after " prev \
                " (rows must be sorted by name, byte order)")
    if (!(name in line_of))
        line_of[name] = FNR

    enis = integer(2, "max_enis", 1, 65535)
    ipv4 = integer(3, "ipv4_per_eni", 1, 65535)

    hyp = $4
    if (hyp == "nitro")
        hyp_c = "PN_HYPERVISOR_NITRO"
    else if (hyp == "xen")
        hyp_c = "PN_HYPERVISOR_XEN"
    else if (hyp == "unknown")
        hyp_c = "PN_HYPERVISOR_UNKNOWN"
    else
        fail(column(4), "hypervisor must be nitro, xen or unknown, not \"" hyp "\"")

    metal = boolean(5, "bare_metal", 0)
    cards = integer(6, "network_cards", 1, 255)
    card_index = integer(7, "default_network_card_index", 0, 254)
    if (cards > 0 && card_index >= cards)
        fail(column(7), "default_network_card_index " card_index \
                        " is not below network_cards " cards)
    all_cards = integer(8, "max_enis_all_cards", 1, 65535)
    if (enis > 0 && all_cards > 0 && all_cards < enis)
        fail(column(8), "max_enis_all_cards " all_cards " is below max_enis " enis)

    trunking = boolean(9, "trunking_compatible", 1)
    if ($10 == "") {
        branch = -1
        if (trunking >= 0)
            fail(column(10), "branch_interfaces is empty but trunking_compatible is not")
    } else {
        branch = integer(10, "branch_interfaces", 0, 32767)
        if (trunking == -1)
            fail(column(10), "branch_interfaces is set but trunking_compatible is empty")
    }

    prev = name
    if (errors == before)
        out[++rows] = sprintf("    {.name = \"%s\", .max_enis = %d, .ipv4_per_eni = %d, " \
                              ".hypervisor = %s, .bare_metal = %s, .network_cards = %d, " \
                              ".max_enis_all_cards = %d, .trunking = %d, " \
                              ".branch_interfaces = %d},",
                              name, enis, ipv4, hyp_c, metal ? "true" : "false", cards,
                              all_cards, trunking, branch)
    else
        rows++ /* keeps "rows > 0" true for the order check; nothing is printed anyway */
}

END {
    if (NR == 0) {
        printf "%s:1:1: error: empty file (expected the header line)\n", src | "cat 1>&2"
        errors++
    } else if (rows == 0 && errors == 0) {
        printf "%s:%d:1: error: no instance types after the header\n", src, NR | "cat 1>&2"
        errors++
    }
    if (errors > 0) {
        printf "%s: %d error(s), no output\n", src, errors | "cat 1>&2"
        exit 1
    }
    print "/* Generated by tools/gen_instances.awk from " src "; do not edit. */"
    print "#include \"models/instance.h\""
    print ""
    print "/* " rows " instance types, sorted by name in byte order (strcmp). */"
    print "const pn_instance_type pn__instance_table[] = {"
    for (i = 1; i <= rows; i++)
        print out[i]
    print "};"
    print ""
    print "const size_t pn__instance_table_count ="
    print "    sizeof pn__instance_table / sizeof pn__instance_table[0];"
}
