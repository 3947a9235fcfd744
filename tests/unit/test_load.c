/* test_load — the reader (sim/load) and the document tree it builds (sim/doc): positions of
 * nodes in YAML and JSON, documents, the guards (duplicate keys, aliases, depth), errors. */
#include "tests/unit/testkit.h"

#include "sim/base/arena.h"
#include "sim/base/doc.h"

#include <sys/stat.h>
#include <unistd.h>

/* One reading: the documents, the return code, and the diagnostics printed. */
typedef struct {
    pn_arena *arena;
    pn_diags *diags;
    pn_documents docs;
    int rc;
    char *msgs;
} reading;

/* Readings still open, so that a failed test leaks nothing (see teardown). */
static reading open_readings[4];

static void release(reading *r)
{
    pn_documents_free(&r->docs);
    pn_diags_free(r->diags);
    pn_arena_free(r->arena);
    free(r->msgs);
    memset(r, 0, sizeof *r);
}

static int teardown(void **state)
{
    for (int i = 0; i < 4; i++)
        if (open_readings[i].arena)
            release(&open_readings[i]);
    return tk_teardown(state);
}

static void read_named(reading *r, const char *name, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->arena = pn_arena_new();
    r->diags = pn_diags_new();
    r->rc = pn_load_buffer(r->arena, r->diags, name, text, len, &r->docs);
    r->msgs = tk_flush(r->diags);
    for (int i = 0; i < 4; i++)
        if (!open_readings[i].arena) {
            open_readings[i] = *r;
            break;
        }
}

static void read_text(reading *r, const char *text)
{
    read_named(r, "in.yaml", text, strlen(text));
}

static void read_done(reading *r)
{
    for (int i = 0; i < 4; i++)
        if (open_readings[i].arena == r->arena)
            memset(&open_readings[i], 0, sizeof open_readings[i]);
    release(r);
}

/* Reads text that must load cleanly into exactly docs documents. */
static void read_ok(reading *r, const char *text, size_t docs)
{
    read_text(r, text);
    if (r->rc != 0)
        print_error("%s", r->msgs);
    assert_int_equal(r->rc, 0);
    assert_string_equal(r->msgs, "");
    assert_int_equal(r->docs.count, docs);
}

static void assert_at(const pn_doc_node *n, unsigned line, unsigned column)
{
    assert_non_null(n);
    if (n->line != line || n->column != column)
        print_error("node \"%s\" at %u:%u, expected %u:%u\n", n->text ? n->text : "", n->line,
                    n->column, line, column);
    assert_int_equal(n->line, line);
    assert_int_equal(n->column, column);
}

static void yaml_nodes_carry_line_and_column(void **state)
{
    reading r;
    read_ok(&r, "a: 1\nb:\n  c: [x, y]\n  d:\n    - e\n", 1);
    const pn_doc_node *root = r.docs.items[0].root;
    assert_int_equal(root->kind, PN_DOC_MAP);
    assert_at(root, 1, 1);
    assert_at(root->items[0], 1, 1); /* key a */
    assert_at(pn_doc_get(root, "a"), 1, 4);
    const pn_doc_node *b = pn_doc_get(root, "b");
    assert_int_equal(b->kind, PN_DOC_MAP);
    assert_at(b, 3, 3);
    assert_at(pn_doc_key_of(root, b), 2, 1);
    const pn_doc_node *c = pn_doc_get(b, "c");
    assert_int_equal(c->kind, PN_DOC_SEQ);
    assert_int_equal(c->count, 2);
    assert_at(c, 3, 6);
    assert_at(c->items[0], 3, 7);
    assert_at(c->items[1], 3, 10);
    assert_string_equal(c->items[1]->text, "y");
    const pn_doc_node *d = pn_doc_get(b, "d");
    assert_int_equal(d->kind, PN_DOC_SEQ);
    assert_at(d->items[0], 5, 7);
    read_done(&r);
}

static void json_nodes_carry_line_and_column(void **state)
{
    reading r;
    read_ok(&r, "{\n  \"name\": \"web\",\n  \"ports\": [80, 443]\n}", 1);
    const pn_doc_node *root = r.docs.items[0].root;
    assert_int_equal(root->kind, PN_DOC_MAP);
    assert_at(root, 1, 1);
    assert_at(root->items[0], 2, 3);
    assert_at(pn_doc_get(root, "name"), 2, 11);
    const pn_doc_node *ports = pn_doc_get(root, "ports");
    assert_at(ports, 3, 12);
    assert_at(ports->items[0], 3, 13);
    assert_at(ports->items[1], 3, 17);
    assert_string_equal(ports->items[1]->text, "443");
    read_done(&r);
}

/* JSON is read by cJSON alone: numbers keep their text (1.0 is a float to the decoders, as
 * YAML would read it), escapes are decoded (a surrogate pair too), positions count characters,
 * and an escaped NUL is refused where it is. */
static void json_read_once_keeps_text_and_positions(void **state)
{
    reading r;
    read_ok(&r,
            "[{\"é\": \"\\ud83d\\ude00\", \"n\": 1.0, \"e\": 1e3, \"t\": true,\n"
            "  \"z\": null}]",
            1);
    const pn_doc_node *obj = r.docs.items[0].root->items[0];
    assert_at(obj, 1, 2);
    assert_at(obj->items[0], 1, 3); /* the key "é" */
    assert_string_equal(pn_doc_get(obj, "é")->text, "\xf0\x9f\x98\x80");
    assert_at(pn_doc_get(obj, "n"), 1, 29);
    assert_string_equal(pn_doc_get(obj, "n")->text, "1.0");
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(obj, "n")), PN_SCALAR_FLOAT);
    assert_string_equal(pn_doc_get(obj, "e")->text, "1e3");
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(obj, "t")), PN_SCALAR_BOOL);
    assert_at(pn_doc_get(obj, "z"), 2, 8);
    assert_true(pn_doc_is_null(pn_doc_get(obj, "z")));
    read_done(&r);
    read_text(&r, "{\"a\": 1,\n \"b\": \"x\\u0000y\"}");
    assert_int_not_equal(r.rc, 0);
    assert_non_null(strstr(r.msgs, "2:7: error: NUL character in a string"));
    read_done(&r);
}

static void columns_count_characters_not_bytes(void **state)
{
    reading r;
    /* "é" is two bytes in UTF-8 but one column */
    read_ok(&r, "é: [x]\n", 1);
    const pn_doc_node *v = pn_doc_get(r.docs.items[0].root, "é");
    assert_non_null(v);
    assert_at(v, 1, 4);
    assert_at(v->items[0], 1, 5);
    read_done(&r);
}

static void multiple_yaml_documents(void **state)
{
    reading r;
    read_ok(&r, "a: 1\n---\nb: 2\n---\n# comment\nc: 3\n", 3);
    assert_non_null(pn_doc_get(r.docs.items[0].root, "a"));
    assert_non_null(pn_doc_get(r.docs.items[1].root, "b"));
    assert_non_null(pn_doc_get(r.docs.items[2].root, "c"));
    assert_at(r.docs.items[1].root, 3, 1);
    assert_at(r.docs.items[2].root, 6, 1);
    assert_string_equal(r.docs.items[2].file, "in.yaml");
    read_done(&r);
}

static void empty_input_has_no_documents(void **state)
{
    reading r;
    read_ok(&r, "", 0);
    read_done(&r);
    read_ok(&r, "# nothing but a comment\n", 0);
    read_done(&r);
}

static void trailing_separator_is_an_empty_document(void **state)
{
    reading r;
    read_text(&r, "a: 1\n---\n");
    assert_int_equal(r.rc, 0);
    assert_true(r.docs.count >= 1);
    assert_non_null(pn_doc_get(r.docs.items[0].root, "a"));
    for (size_t i = 1; i < r.docs.count; i++)
        assert_true(pn_doc_is_null(r.docs.items[i].root));
    read_done(&r);
}

static void duplicate_key_rejected_with_position(void **state)
{
    reading r;
    read_text(&r, "a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\n");
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "in.yaml:5:3: error: duplicate key \"x\" (first at line 3)"));
    read_done(&r);
}

static void duplicate_key_in_big_mapping_rejected(void **state)
{
    /* more than 16 keys takes the sorting path */
    char text[1024] = "";
    size_t n = 0;
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "k%02d: %d\n", i, i);
    snprintf(text + n, sizeof text - n, "k07: again\n");
    reading r;
    read_text(&r, text);
    assert_int_equal(r.rc, -1);
    assert_true(
        tk_contains(r.msgs, "in.yaml:31:1: error: duplicate key \"k07\" (first at line 8)"));
    read_done(&r);
}

static void duplicate_key_rejected_in_json(void **state)
{
    reading r;
    read_text(&r, "{\n  \"a\": 1,\n  \"a\": 2\n}");
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "in.yaml:3:3: error: duplicate key \"a\" (first at line 2)"));
    read_done(&r);
}

static void same_key_in_different_mappings_is_fine(void **state)
{
    reading r;
    read_ok(&r, "a: {name: x}\nb: {name: y}\n", 1);
    read_done(&r);
}

static void aliases_rejected(void **state)
{
    reading r;
    read_text(&r, "a: &anchor {x: 1}\nb: *anchor\n");
    assert_int_equal(r.rc, -1);
    assert_true(
        tk_contains(r.msgs, "in.yaml:2:4: error: YAML aliases (*anchor) are not supported"));
    read_done(&r);
}

static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 1);
    assert_non_null(s);
    for (int i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth * 2 - 1 - i] = ']';
    }
    s[depth * 2] = '\0';
    return s;
}

static void depth_limit_allows_maximum(void **state)
{
    char *s = nested(PN_LOAD_MAX_DEPTH);
    reading r;
    read_named(&r, "deep.yaml", s, strlen(s));
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.docs.count, 1);
    read_done(&r);
    free(s);
}

static void depth_limit_rejects_deeper(void **state)
{
    char *s = nested(PN_LOAD_MAX_DEPTH + 1);
    reading r;
    read_named(&r, "deep.yaml", s, strlen(s));
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "deep.yaml:1:101: error: nesting deeper than 100 levels"));
    read_done(&r);
    /* the same in block style, where the reader is not the JSON one */
    char text[8192] = "";
    size_t n = 0;
    for (int i = 0; i <= PN_LOAD_MAX_DEPTH; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%*sk:\n", i, "");
    snprintf(text + n, sizeof text - n, "%*sv\n", PN_LOAD_MAX_DEPTH + 1, "");
    read_text(&r, text);
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "error: nesting deeper than 100 levels"));
    read_done(&r);
    free(s);
}

static void malformed_yaml_reports_line_and_column(void **state)
{
    reading r;
    read_text(&r, "a: [1, 2\nb: 3\n");
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.docs.count, 0);
    assert_true(tk_contains(r.msgs, "in.yaml:2:2: error: YAML: did not find expected ',' or ']'"));
    assert_true(tk_contains(r.msgs, "at 1:4)"));
    read_done(&r);
    read_text(&r, "a:\n  b: 1\n c: 2\n");
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "in.yaml:3:2: error: YAML:"));
    read_done(&r);
    read_text(&r, "key: value\n\tbad: tab\n");
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "in.yaml:2:1: error: YAML:"));
    read_done(&r);
}

static void malformed_yaml_keeps_earlier_documents(void **state)
{
    reading r;
    read_text(&r, "a: 1\n---\nb: [\n");
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.docs.count, 1);
    assert_non_null(pn_doc_get(r.docs.items[0].root, "a"));
    assert_true(tk_contains(r.msgs, "in.yaml:4:1: error: YAML:"));
    read_done(&r);
}

static void malformed_json_reports_line_and_column(void **state)
{
    reading r;
    const char *bad = "{\n  \"a\": 1,\n  \"b\": x\n}";
    read_named(&r, "x.json", bad, strlen(bad));
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.docs.count, 0);
    assert_true(tk_contains(r.msgs, "x.json:3:8: error: JSON: syntax error near here"));
    read_done(&r);
    const char *trailing = "{\n  \"a\": [1, 2,],\n  \"b\": 1\n}";
    read_named(&r, "x.json", trailing, strlen(trailing));
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "x.json:2:14: error: JSON:"));
    read_done(&r);
}

static void truncated_json_reports_end_of_input(void **state)
{
    reading r;
    const char *text = "{\n  \"a\": 1,\n  \"b\": 2\n";
    read_named(&r, "x.json", text, strlen(text));
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "x.json:4:1: error: JSON: unexpected end of input"));
    read_done(&r);
}

static void json_is_strict(void **state)
{
    static const char *const bad[] = {
        "{\"a\": 1} # comment", "{\"a\": 1} // comment", "{a: 1}", "{\"a\": 'x'}",
        "[1, 2] [3]",           "{\"a\": 1}\n---\n{}",   "[1,]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reading r;
        read_named(&r, "x.json", bad[i], strlen(bad[i]));
        if (r.rc == 0)
            print_error("accepted %s\n", bad[i]);
        assert_int_equal(r.rc, -1);
        assert_true(tk_contains(r.msgs, ": error: JSON: "));
        assert_true(strncmp(r.msgs, "x.json:", 7) == 0);
        read_done(&r);
    }
}

static void json_error_points_at_the_offending_character(void **state)
{
    reading r;
    /* a trailing comma: the closing brace at 3:1 is what is wrong, and the input has not ended */
    const char *comma = "{\n  \"a\": 1,\n}";
    read_named(&r, "x.json", comma, strlen(comma));
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "x.json:3:1: error: JSON: syntax error near here"));
    read_done(&r);
    /* an unquoted key: b is at 3:3; cJSON's error pointer lands just after the token it
     * could not read, so the column may be one to the right */
    const char *key = "{\n  \"a\": 1,\n  b: 2\n}";
    read_named(&r, "x.json", key, strlen(key));
    assert_int_equal(r.rc, -1);
    assert_true(strstr(r.msgs, "x.json:3:4: error: JSON:") ||
                tk_contains(r.msgs, "x.json:3:3: error: JSON:"));
    read_done(&r);
}

static void json_number_with_leading_zero_is_refused(void **state)
{
    /* RFC 8259 numbers have no leading zeros; YAML 1.1 would then read 010 as octal 8 */
    reading r;
    read_named(&r, "x.json", "{\"port\": 010}", 13);
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "x.json:1:10: error: JSON:"));
    read_done(&r);
}

static void text_starting_with_brace_is_read_as_json(void **state)
{
    /* YAML would accept this flow mapping; as JSON it is an unquoted key */
    reading r;
    read_named(&r, "in.yaml", "  {a: 1}\n", 9);
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "error: JSON:"));
    read_done(&r);
}

static void json_surrogate_pairs_load(void **state)
{
    reading r;
    const char *text =
        "{\"a\": \"\\ud83d\\ude00!\", \"b\": [1, {\"c\": null}], \"d\": \"\\u00e9\"}";
    read_named(&r, "emoji.json", text, strlen(text));
    if (r.rc != 0)
        print_error("%s", r.msgs);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.docs.count, 1);
    const pn_doc_node *root = r.docs.items[0].root;
    assert_string_equal(pn_doc_get(root, "a")->text, "\xF0\x9F\x98\x80!");
    assert_true(pn_doc_get(root, "a")->quoted);
    assert_string_equal(pn_doc_get(root, "d")->text, "\xC3\xA9");
    const pn_doc_node *b = pn_doc_get(root, "b");
    assert_int_equal(b->kind, PN_DOC_SEQ);
    assert_int_equal(pn_doc_scalar_type(b->items[0]), PN_SCALAR_INT);
    assert_true(pn_doc_is_null(pn_doc_get(b->items[1], "c")));
    assert_string_equal(r.docs.items[0].file, "emoji.json");
    read_done(&r);
}

static void nul_byte_rejected(void **state)
{
    reading r;
    read_named(&r, "bin.yaml", "a: 1\nb\0c: 2\n", 12);
    assert_int_equal(r.rc, -1);
    assert_true(tk_contains(r.msgs, "bin.yaml:2:2: error: NUL byte in input"));
    read_done(&r);
}

static void buffer_need_not_be_terminated(void **state)
{
    const char text[] = {'a', ':', ' ', '1', 'b', ':', ' ', '2'};
    reading r;
    read_named(&r, "in.yaml", text, 4);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.docs.count, 1);
    assert_string_equal(pn_doc_get(r.docs.items[0].root, "a")->text, "1");
    read_done(&r);
}

static void scalar_types_resolve_as_yaml_1_1(void **state)
{
    reading r;
    read_ok(&r,
            "int: 80\nquoted: \"80\"\nsingle: '80'\nbool: true\nyes: yes\nnull: ~\nempty:\n"
            "float: 1.5\nhex: 0x1F\nstr: web\nblock: |\n  80\nneg: -3\n",
            1);
    const pn_doc_node *root = r.docs.items[0].root;
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "int")), PN_SCALAR_INT);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "quoted")), PN_SCALAR_STRING);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "single")), PN_SCALAR_STRING);
    assert_true(pn_doc_get(root, "quoted")->quoted);
    assert_false(pn_doc_get(root, "int")->quoted);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "bool")), PN_SCALAR_BOOL);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "yes")), PN_SCALAR_BOOL);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "null")), PN_SCALAR_NULL);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "empty")), PN_SCALAR_NULL);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "float")), PN_SCALAR_FLOAT);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "hex")), PN_SCALAR_INT);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "str")), PN_SCALAR_STRING);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "block")), PN_SCALAR_STRING);
    assert_int_equal(pn_doc_scalar_type(pn_doc_get(root, "neg")), PN_SCALAR_INT);
    assert_true(pn_doc_is_null(pn_doc_get(root, "empty")));
    assert_true(pn_doc_is_null(pn_doc_get(root, "missing")));
    assert_false(pn_doc_is_null(pn_doc_get(root, "str")));
    assert_int_equal(pn_doc_scalar_type(root), PN_SCALAR_STRING); /* not a scalar */
    read_done(&r);
}

static void doc_int_checks_form_and_range(void **state)
{
    reading r;
    read_ok(&r,
            "p: 80\nzero: 0\nneg: -5\nunder: 1_000\nhex: 0x10\nq: \"80\"\n"
            "big: 99999999999999999999\nf: 1.0\nbin: 0b11\n",
            1);
    const pn_doc_node *root = r.docs.items[0].root;
    int64_t v = 0;
    assert_int_equal(pn_doc_int(pn_doc_get(root, "p"), 1, 65535, &v), 0);
    assert_int_equal(v, 80);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "p"), 1, 79, &v), -1);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "p"), 81, 100, &v), -1);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "zero"), 1, 65535, &v), -1);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "neg"), -10, 10, &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "under"), 0, 100000, &v), -1);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "hex"), 0, 100000, &v), -1);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "bin"), 0, 100000, &v), -1);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "q"), 0, 100000, &v), -1);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "big"), INT64_MIN, INT64_MAX, &v), -1);
    assert_int_equal(pn_doc_int(pn_doc_get(root, "f"), 0, 100000, &v), -1);
    assert_int_equal(pn_doc_int(NULL, 0, 1, &v), -1);
    assert_int_equal(pn_doc_int(root, 0, 1, &v), -1);
    read_done(&r);
}

static void doc_type_names(void **state)
{
    reading r;
    read_ok(&r, "m: {}\ns: []\ni: 1\nf: 1.5\nb: false\nn: null\nt: text\n", 1);
    const pn_doc_node *root = r.docs.items[0].root;
    assert_string_equal(pn_doc_type_name(pn_doc_get(root, "m")), "a mapping");
    assert_string_equal(pn_doc_type_name(pn_doc_get(root, "s")), "a list");
    assert_string_equal(pn_doc_type_name(pn_doc_get(root, "i")), "an integer");
    assert_string_equal(pn_doc_type_name(pn_doc_get(root, "f")), "a number");
    assert_string_equal(pn_doc_type_name(pn_doc_get(root, "b")), "a boolean");
    assert_string_equal(pn_doc_type_name(pn_doc_get(root, "n")), "null");
    assert_string_equal(pn_doc_type_name(pn_doc_get(root, "t")), "a string");
    assert_string_equal(pn_doc_type_name(NULL), "nothing");
    read_done(&r);
}

static void doc_get_and_key_of(void **state)
{
    reading r;
    read_ok(&r, "a: 1\nb: [x]\n", 1);
    const pn_doc_node *root = r.docs.items[0].root;
    const pn_doc_node *b = pn_doc_get(root, "b");
    assert_non_null(b);
    assert_null(pn_doc_get(root, "c"));
    assert_null(pn_doc_get(NULL, "a"));
    assert_null(pn_doc_get(b, "x")); /* not a mapping */
    assert_string_equal(pn_doc_key_of(root, b)->text, "b");
    assert_null(pn_doc_key_of(root, root));
    assert_null(pn_doc_key_of(NULL, b));
    read_done(&r);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void load_path_walks_folder_in_name_order(void **state)
{
    char dir[] = "/tmp/podnet-test-load-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_file(dir, "b.yaml", "name: b\n");
    write_file(dir, "a.json", "{\"name\": \"a\"}");
    write_file(dir, "c.yml", "name: c\n---\nname: c2\n");
    write_file(dir, "notes.txt", "name: txt\n");
    write_file(dir, ".hidden.yaml", "name: hidden\n");
    write_file(sub, "d.yaml", "name: d\n");
    pn_arena *a = pn_arena_new();
    pn_diags *d = pn_diags_new();
    pn_documents docs = {0};
    assert_int_equal(pn_load_path(a, d, dir, &docs), 0);
    static const char *const want[] = {"a", "b", "c", "c2", "d"};
    assert_int_equal(docs.count, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(pn_doc_get(docs.items[i].root, "name")->text, want[i]);
    assert_true(tk_contains(docs.items[4].file, "/sub/d.yaml"));
    pn_documents_free(&docs);
    pn_diags_free(d);
    pn_arena_free(a);
    static const char *const files[] = {"b.yaml",    "a.json",       "c.yml",
                                        "notes.txt", ".hidden.yaml", "sub/d.yaml"};
    for (size_t i = 0; i < 6; i++) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(sub);
    rmdir(dir);
}

static void load_path_missing_file_is_an_error(void **state)
{
    pn_arena *a = pn_arena_new();
    pn_diags *d = pn_diags_new();
    pn_documents docs = {0};
    assert_int_equal(pn_load_path(a, d, "/nonexistent/podnet/x.yaml", &docs), -1);
    assert_int_equal(pn_diags_errors(d), 1);
    char *msgs = tk_flush(d);
    assert_true(tk_contains(msgs, "/nonexistent/podnet/x.yaml: error: cannot open"));
    free(msgs);
    pn_documents_free(&docs);
    pn_diags_free(d);
    pn_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(yaml_nodes_carry_line_and_column, teardown),
        cmocka_unit_test_teardown(json_nodes_carry_line_and_column, teardown),
        cmocka_unit_test_teardown(json_read_once_keeps_text_and_positions, teardown),
        cmocka_unit_test_teardown(columns_count_characters_not_bytes, teardown),
        cmocka_unit_test_teardown(multiple_yaml_documents, teardown),
        cmocka_unit_test_teardown(empty_input_has_no_documents, teardown),
        cmocka_unit_test_teardown(trailing_separator_is_an_empty_document, teardown),
        cmocka_unit_test_teardown(duplicate_key_rejected_with_position, teardown),
        cmocka_unit_test_teardown(duplicate_key_in_big_mapping_rejected, teardown),
        cmocka_unit_test_teardown(duplicate_key_rejected_in_json, teardown),
        cmocka_unit_test_teardown(same_key_in_different_mappings_is_fine, teardown),
        cmocka_unit_test_teardown(aliases_rejected, teardown),
        cmocka_unit_test_teardown(depth_limit_allows_maximum, teardown),
        cmocka_unit_test_teardown(depth_limit_rejects_deeper, teardown),
        cmocka_unit_test_teardown(malformed_yaml_reports_line_and_column, teardown),
        cmocka_unit_test_teardown(malformed_yaml_keeps_earlier_documents, teardown),
        cmocka_unit_test_teardown(malformed_json_reports_line_and_column, teardown),
        cmocka_unit_test_teardown(truncated_json_reports_end_of_input, teardown),
        cmocka_unit_test_teardown(json_is_strict, teardown),
        cmocka_unit_test_teardown(json_error_points_at_the_offending_character, teardown),
        cmocka_unit_test_teardown(json_number_with_leading_zero_is_refused, teardown),
        cmocka_unit_test_teardown(text_starting_with_brace_is_read_as_json, teardown),
        cmocka_unit_test_teardown(json_surrogate_pairs_load, teardown),
        cmocka_unit_test_teardown(nul_byte_rejected, teardown),
        cmocka_unit_test_teardown(buffer_need_not_be_terminated, teardown),
        cmocka_unit_test_teardown(scalar_types_resolve_as_yaml_1_1, teardown),
        cmocka_unit_test_teardown(doc_int_checks_form_and_range, teardown),
        cmocka_unit_test_teardown(doc_type_names, teardown),
        cmocka_unit_test_teardown(doc_get_and_key_of, teardown),
        cmocka_unit_test_teardown(load_path_walks_folder_in_name_order, teardown),
        cmocka_unit_test_teardown(load_path_missing_file_is_an_error, teardown),
    };
    return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
