/* load — reads inputs (recording each file's SHA-256 with libmd) and turns libyaml events into
 * document trees, with the guards libyaml 0.2.5 does not have:
 * aliases are refused (no "billion laughs"), nesting and file size are capped, duplicate keys
 * are errors. JSON input is read by cJSON alone, which also rejects what YAML would accept but
 * JSON does not (comments, unquoted keys, trailing text); each node's line and column come
 * from one pass over the text in the tree's order, so `kubectl get -o json` dumps — how large
 * clusters arrive — are parsed once, not twice. */
#include "sim/input/load.h"

#include <cjson/cJSON.h>
#include <sha2.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

/* A node under construction: the items collected so far. */
typedef struct {
    pn_doc_node *node;
    pn_doc_node **items;
    size_t count, cap;
} frame;

typedef struct {
    pn_arena *arena;
    pn_diags *diags;
    const char *name;
    frame stack[PN_LOAD_MAX_DEPTH + 1];
    int depth;
    /* JSON read by cJSON alone: a cursor over the text that finds each value's and key's
     * position in the order the tree is walked (the text's order). */
    const char *json;
    size_t json_len, at;
    unsigned line, column;
} builder;

static pn_doc_node *new_node(builder *b, pn_doc_kind kind, yaml_mark_t mark)
{
    pn_doc_node *n = pn_arena_alloc(b->arena, sizeof *n);
    n->kind = kind;
    n->line = (unsigned)mark.line + 1;
    n->column = (unsigned)mark.column + 1;
    return n;
}

static int key_cmp(const void *a, const void *b)
{
    const pn_doc_node *x = *(pn_doc_node *const *)a, *y = *(pn_doc_node *const *)b;
    int c = strcmp(x->text, y->text);
    if (c)
        return c;
    return x->line != y->line ? (x->line < y->line ? -1 : 1)
                              : (x->column > y->column) - (x->column < y->column);
}

static int report_duplicate(builder *b, const pn_doc_node *first, const pn_doc_node *again)
{
    if (again->line < first->line ||
        (again->line == first->line && again->column < first->column)) {
        const pn_doc_node *t = first;
        first = again;
        again = t;
    }
    pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, again->line, again->column,
                "duplicate key \"%s\" (first at line %u)", again->text, first->line);
    return -1;
}

/* Checks that a mapping's keys are scalars and unique. Small mappings (nearly all of them) are
 * compared pairwise; big ones sort a copy of the keys, so they stay O(n log n). */
static int check_keys(builder *b, const pn_doc_node *map)
{
    size_t pairs = map->count / 2;
    for (size_t i = 0; i < pairs; i++) {
        const pn_doc_node *k = map->items[2 * i];
        if (k->kind != PN_DOC_SCALAR) {
            pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, k->line, k->column,
                        "mapping keys must be scalars");
            return -1;
        }
    }
    if (pairs <= 16) {
        for (size_t i = 0; i < pairs; i++)
            for (size_t j = i + 1; j < pairs; j++)
                if (strcmp(map->items[2 * i]->text, map->items[2 * j]->text) == 0)
                    return report_duplicate(b, map->items[2 * i], map->items[2 * j]);
        return 0;
    }
    pn_doc_node **keys = pn_xcalloc(pairs, sizeof *keys);
    for (size_t i = 0; i < pairs; i++)
        keys[i] = map->items[2 * i];
    pn_sort(keys, pairs, sizeof *keys, key_cmp);
    int rc = 0;
    for (size_t i = 1; i < pairs && rc == 0; i++)
        if (strcmp(keys[i - 1]->text, keys[i]->text) == 0)
            rc = report_duplicate(b, keys[i - 1], keys[i]);
    free(keys);
    return rc;
}

/* Closes the innermost container: moves its items into the arena and checks mapping keys. */
static int close_frame(builder *b)
{
    frame *f = &b->stack[b->depth - 1];
    pn_doc_node *n = f->node;
    n->count = f->count;
    n->items = pn_arena_alloc(b->arena, sizeof *n->items * (f->count ? f->count : 1));
    if (f->count)
        memcpy(n->items, f->items, sizeof *n->items * f->count);
    free(f->items);
    *f = (frame){0};
    b->depth--;
    return n->kind == PN_DOC_MAP ? check_keys(b, n) : 0;
}

static void add_item(builder *b, pn_doc_node *n)
{
    frame *f = &b->stack[b->depth - 1];
    PN_GROW(f->items, f->count, f->cap);
    f->items[f->count++] = n;
}

static void drop_frames(builder *b)
{
    while (b->depth > 0)
        free(b->stack[--b->depth].items);
}

/* Line and column (1-based) of byte offset off in text. */
static void position_of(const char *text, size_t off, unsigned *line, unsigned *col);

static void yaml_error(builder *b, const yaml_parser_t *p, const char *text)
{
    const char *problem = p->problem ? p->problem : "cannot parse";
    if (p->error == YAML_READER_ERROR) { /* encoding problems carry a byte offset only */
        unsigned line, col;
        position_of(text, p->problem_offset, &line, &col);
        pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, line, col, "YAML: %s", problem);
        return;
    }
    if (p->context)
        pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, (unsigned)p->problem_mark.line + 1,
                    (unsigned)p->problem_mark.column + 1, "YAML: %s (%s at %zu:%zu)", problem,
                    p->context, p->context_mark.line + 1, p->context_mark.column + 1);
    else
        pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, (unsigned)p->problem_mark.line + 1,
                    (unsigned)p->problem_mark.column + 1, "YAML: %s", problem);
}

/* Parses text with libyaml. Returns 0, or -1 on a problem already reported. */
static int parse_yaml(builder *b, const char *text, size_t len, pn_documents *docs)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, 0, 0, "cannot start the YAML parser");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    pn_doc_node *root = NULL;
    int rc = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            yaml_error(b, &parser, text);
            rc = -1;
            break;
        }
        yaml_event_type_t type = ev.type;
        pn_doc_node *n = NULL;
        switch (type) {
        case YAML_DOCUMENT_START_EVENT:
            root = NULL;
            break;
        case YAML_DOCUMENT_END_EVENT:
            PN_GROW(docs->items, docs->count, docs->cap);
            docs->items[docs->count++] = (pn_document){.file = b->name, .root = root};
            break;
        case YAML_ALIAS_EVENT:
            pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, (unsigned)ev.start_mark.line + 1,
                        (unsigned)ev.start_mark.column + 1,
                        "YAML aliases (*%s) are not supported; write the value out",
                        (const char *)ev.data.alias.anchor);
            rc = -1;
            break;
        case YAML_SCALAR_EVENT:
            n = new_node(b, PN_DOC_SCALAR, ev.start_mark);
            n->text = pn_arena_strndup(b->arena, (const char *)ev.data.scalar.value,
                                       ev.data.scalar.length);
            n->len = ev.data.scalar.length;
            n->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
                        ev.data.scalar.style != YAML_ANY_SCALAR_STYLE;
            if (strlen(n->text) != n->len) {
                pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, n->line, n->column,
                            "NUL character in a string");
                rc = -1;
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            n = new_node(b, type == YAML_MAPPING_START_EVENT ? PN_DOC_MAP : PN_DOC_SEQ,
                         ev.start_mark);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            if (close_frame(b) != 0)
                rc = -1;
            break;
        }
        default:
            break;
        }
        if (n) {
            if (b->depth > 0)
                add_item(b, n);
            else
                root = n;
            if (n->kind != PN_DOC_SCALAR) {
                if (b->depth == PN_LOAD_MAX_DEPTH) {
                    pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, n->line, n->column,
                                "nesting deeper than %d levels", PN_LOAD_MAX_DEPTH);
                    rc = -1;
                } else {
                    b->stack[b->depth++] = (frame){.node = n};
                }
            }
        }
        yaml_event_delete(&ev);
        if (rc != 0 || type == YAML_STREAM_END_EVENT)
            break;
    }
    drop_frames(b);
    yaml_parser_delete(&parser);
    return rc;
}

/* Line and column (1-based) of byte offset off in text. */
static void position_of(const char *text, size_t off, unsigned *line, unsigned *col)
{
    unsigned l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xc0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Moves the cursor one byte, keeping line and column (columns count characters). */
static void json_step(builder *b)
{
    unsigned char ch = (unsigned char)b->json[b->at++];
    if (ch == '\n') {
        b->line++;
        b->column = 1;
    } else if ((ch & 0xc0) != 0x80) {
        b->column++;
    }
}

/* The next token that starts a node — '{', '[', a string, a number or a literal — in text
 * cJSON has already accepted: its position, and its text's extent for numbers and literals.
 * A string holding \u0000 is reported (cJSON would cut it short). */
static void json_next(builder *b, pn_doc_node *n, const char **start, size_t *len)
{
    while (b->at < b->json_len && strchr(" \t\r\n:,]}", b->json[b->at]))
        json_step(b);
    n->line = b->line;
    n->column = b->column;
    *start = b->json + b->at;
    *len = 0;
    if (b->at >= b->json_len)
        return;
    char ch = b->json[b->at];
    if (ch == '{' || ch == '[') {
        json_step(b);
        return;
    }
    if (ch == '"') {
        json_step(b);
        while (b->at < b->json_len && b->json[b->at] != '"') {
            if (b->json[b->at] == '\\') {
                if (b->at + 5 < b->json_len && strncmp(b->json + b->at + 1, "u0000", 5) == 0)
                    pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, n->line, n->column,
                                "NUL character in a string");
                json_step(b);
            }
            json_step(b);
        }
        json_step(b);
        return;
    }
    while (b->at < b->json_len && !strchr(" \t\r\n:,]}", b->json[b->at]))
        json_step(b);
    *len = (size_t)(b->json + b->at - *start);
}

/* The document from cJSON's tree, with the same guards as the libyaml path: nesting depth and
 * duplicate keys, and each node at its position in the text (json_next). */
static pn_doc_node *from_cjson(builder *b, const cJSON *j, unsigned depth)
{
    pn_doc_node *n = pn_arena_alloc(b->arena, sizeof *n);
    const char *token;
    size_t token_len;
    json_next(b, n, &token, &token_len);
    if ((cJSON_IsObject(j) || cJSON_IsArray(j)) && depth >= PN_LOAD_MAX_DEPTH) {
        pn_diag_add(b->diags, PN_DIAG_ERROR, b->name, n->line, n->column,
                    "nesting deeper than %d levels", PN_LOAD_MAX_DEPTH);
        n->kind = PN_DOC_SCALAR;
        n->text = "";
        return n;
    }
    if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
        n->kind = cJSON_IsObject(j) ? PN_DOC_MAP : PN_DOC_SEQ;
        size_t count = (size_t)cJSON_GetArraySize(j) * (n->kind == PN_DOC_MAP ? 2 : 1);
        n->items = pn_arena_alloc(b->arena, sizeof *n->items * (count ? count : 1));
        const cJSON *child;
        cJSON_ArrayForEach(child, j)
        {
            if (n->kind == PN_DOC_MAP) {
                pn_doc_node *k = pn_arena_alloc(b->arena, sizeof *k);
                const char *unused;
                size_t unused_len;
                json_next(b, k, &unused, &unused_len);
                k->quoted = true;
                k->text = child->string; /* in b->arena (parse_json) */
                k->len = strlen(k->text);
                n->items[n->count++] = k;
            }
            n->items[n->count++] = from_cjson(b, child, depth + 1);
        }
        if (n->kind == PN_DOC_MAP)
            check_keys(b, n);
        return n;
    }
    n->kind = PN_DOC_SCALAR;
    if (cJSON_IsString(j)) {
        n->quoted = true;
        n->text = j->valuestring; /* in b->arena (parse_json) */
    } else if (cJSON_IsNumber(j)) {
        n->text = pn_arena_strndup(b->arena, token, token_len); /* as written: 8080, 1.0, 1e3 */
    } else {
        n->text = cJSON_IsTrue(j) ? "true" : cJSON_IsFalse(j) ? "false" : "null";
    }
    n->len = strlen(n->text);
    return n;
}

/* What cJSON does not tell: whether the text ends inside an unclosed object, list or string,
 * and where the first number with a leading zero is (RFC 8259 has none; cJSON accepts them,
 * and YAML would read 010 as a number too). One pass, strings skipped. */
typedef struct {
    bool unclosed;
    size_t leading_zero; /* offset, or the text's length when there is none */
} json_scan;

static json_scan scan_json(const char *text, size_t len)
{
    json_scan r = {.leading_zero = len};
    long depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (in_string) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            depth--;
        } else if (ch == '0' && r.leading_zero == len && i + 1 < len && text[i + 1] >= '0' &&
                   text[i + 1] <= '9' && (i == 0 || !strchr("0123456789.eE+", text[i - 1]))) {
            r.leading_zero = i;
        }
    }
    r.unclosed = depth > 0 || in_string;
    return r;
}

static bool looks_like_json(const char *name, const char *text, size_t len)
{
    size_t n = strlen(name);
    if (n >= 5 && strcmp(name + n - 5, ".json") == 0)
        return true;
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    return i < len && (text[i] == '{' || text[i] == '[');
}

/* cJSON's nodes for one parse come from the documents' own arena: a JSON dump of a large
 * cluster is millions of small nodes, and malloc and free per node were a third of the load;
 * and the document tree can then point at cJSON's strings instead of copying them. The hooks
 * are cJSON's global ones, set for the parse and reset right after; cJSON_Delete is never
 * called on such a tree (the arena goes with the documents). */
static pn_arena *json_pool;

static void *json_pool_alloc(size_t size)
{
    return pn_arena_alloc_raw(json_pool, size);
}

static void json_pool_free(void *p)
{
    (void)p; /* freed with the pool */
}

static cJSON *parse_json(pn_arena *arena, const char *text, size_t len, const char **end)
{
    cJSON_Hooks hooks = {.malloc_fn = json_pool_alloc, .free_fn = json_pool_free};
    json_pool = arena;
    cJSON_InitHooks(&hooks);
    cJSON *json = cJSON_ParseWithLengthOpts(text, len, end, 1);
    cJSON_InitHooks(NULL);
    json_pool = NULL;
    return json;
}

int pn_load_buffer(pn_arena *arena, pn_diags *diags, const char *name, const char *text, size_t len,
                   pn_documents *docs)
{
    builder b = {.arena = arena, .diags = diags, .name = pn_arena_strdup(arena, name)};
    if (len > PN_LOAD_MAX_BYTES) {
        pn_diag_add(diags, PN_DIAG_ERROR, name, 1, 1, "input is larger than %zu MiB",
                    PN_LOAD_MAX_BYTES >> 20);
        return PN_EINPUT;
    }
    /* A UTF-8 byte order mark is allowed at the start (editors on Windows write one). */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    /* Both parsers want a terminated buffer; text may not be. */
    char *copy = pn_xcalloc(1, len + 1);
    memcpy(copy, text, len);
    cJSON *json = NULL;
    int rc = 0;
    if (memchr(copy, '\0', len)) {
        unsigned line, col;
        position_of(copy, strlen(copy), &line, &col);
        pn_diag_add(diags, PN_DIAG_ERROR, name, line, col, "NUL byte in input (binary file?)");
        rc = -1;
    } else if (looks_like_json(name, copy, len)) {
        const char *end = NULL;
        json = parse_json(arena, copy, len + 1, &end);
        if (!json) {
            unsigned line, col;
            size_t off = end && end >= copy && end <= copy + len ? (size_t)(end - copy) : len;
            const char *what = "JSON: syntax error near here";
            if (scan_json(copy, len).unclosed) {
                off = len; /* the text stops inside an object or a list */
                what = "JSON: unexpected end of input (an object or list is not closed)";
            } else {
                /* cJSON points just past what it could not take; show that token instead of
                 * the blank after it. */
                while (off > 0 && (off >= len || strchr(" \t\r\n", copy[off])))
                    off--;
            }
            position_of(copy, off, &line, &col);
            pn_diag_add(diags, PN_DIAG_ERROR, name, line, col, "%s", what);
            rc = -1;
        } else {
            size_t off = scan_json(copy, len).leading_zero;
            if (off < len) {
                unsigned line, col;
                position_of(copy, off, &line, &col);
                pn_diag_add(diags, PN_DIAG_ERROR, name, line, col,
                            "JSON: numbers must not have leading zeros");
                rc = -1;
            }
        }
    }
    if (rc == 0 && json) {
        /* JSON is read once, by cJSON; positions come from one pass over the text. */
        size_t errors = pn_diags_errors(diags);
        b.json = copy;
        b.json_len = len;
        b.line = b.column = 1;
        pn_doc_node *root = from_cjson(&b, json, 0);
        rc = pn_diags_errors(diags) > errors ? -1 : 0;
        if (rc == 0) {
            PN_GROW(docs->items, docs->count, docs->cap);
            docs->items[docs->count++] = (pn_document){.file = b.name, .root = root};
        }
    } else if (rc == 0) {
        rc = parse_yaml(&b, copy, len, docs);
    }
    free(copy); /* cJSON's tree, if any, lives in arena */
    return rc;
}

static int read_stream(FILE *f, const char *name, pn_diags *diags, char **out, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = pn_xcalloc(1, cap);
    for (;;) {
        if (n == cap) {
            if (cap > PN_LOAD_MAX_BYTES) {
                pn_diag_add(diags, PN_DIAG_ERROR, name, 1, 1, "input is larger than %zu MiB",
                            PN_LOAD_MAX_BYTES >> 20);
                free(buf);
                return -1;
            }
            cap *= 2;
            buf = pn_xrealloc(buf, cap, 1);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        pn_diag_add(diags, PN_DIAG_ERROR, name, 0, 0, "cannot read: %s", strerror(errno));
        free(buf);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

static int load_file(pn_arena *arena, pn_diags *diags, const char *path, pn_documents *docs)
{
    bool is_stdin = strcmp(path, "-") == 0;
    struct stat st;
    /* A FIFO, a device or a socket is refused before it is opened: opening a FIFO blocks until
     * a writer comes, and /dev/zero never ends. Standard input is the one stream read. */
    if (!is_stdin && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        pn_diag_add(diags, PN_DIAG_ERROR, path, 0, 0,
                    "not a regular file (a FIFO, device or socket); use - for standard input");
        return -1;
    }
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        pn_diag_add(diags, PN_DIAG_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (!is_stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size > PN_LOAD_MAX_BYTES) { /* refuse before reading any of it */
        pn_diag_add(diags, PN_DIAG_ERROR, path, 1, 1, "input is larger than %zu MiB",
                    PN_LOAD_MAX_BYTES >> 20);
        fclose(f);
        return -1;
    }
    char *text;
    size_t len;
    int rc = read_stream(f, path, diags, &text, &len);
    if (!is_stdin)
        fclose(f);
    if (rc != 0)
        return rc;
    PN_GROW(docs->inputs, docs->input_count, docs->input_cap);
    pn_input *in = &docs->inputs[docs->input_count++];
    in->path = pn_arena_strdup(arena, path);
    in->bytes = len;
    if (docs->hash) {
        SHA2_CTX sha;
        SHA256Init(&sha);
        SHA256Update(&sha, (const uint8_t *)text, len);
        uint8_t digest[SHA256_DIGEST_LENGTH];
        SHA256Final(digest, &sha);
        for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
            snprintf(in->sha256 + 2 * i, 3, "%02x", digest[i]);
    }
    rc = pn_load_buffer(arena, diags, path, text, len, docs);
    free(text);
    return rc;
}

static bool manifest_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The real folders a walk has entered, by device and inode, so that each is read once. */
typedef struct {
    struct {
        dev_t dev; /* st_dev of the folder */
        ino_t ino; /* st_ino of the folder */
    } * items;
    size_t count, cap;
} visited_dirs;

/* Records the folder st in seen; returns false when it was already there. A linear search:
 * a manifest tree has tens of folders, not thousands. */
static bool visit_dir(visited_dirs *seen, const struct stat *st)
{
    for (size_t i = 0; i < seen->count; i++)
        if (seen->items[i].dev == st->st_dev && seen->items[i].ino == st->st_ino)
            return false;
    PN_GROW(seen->items, seen->count, seen->cap);
    seen->items[seen->count].dev = st->st_dev;
    seen->items[seen->count].ino = st->st_ino;
    seen->count++;
    return true;
}

static int load_dir(pn_arena *arena, pn_diags *diags, const char *path, pn_documents *docs,
                    visited_dirs *seen, int depth)
{
    if (depth > 32) {
        pn_diag_add(diags, PN_DIAG_ERROR, path, 0, 0, "folders nested too deeply (a link loop?)");
        return -1;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        pn_diag_add(diags, PN_DIAG_ERROR, path, 0, 0, "cannot open folder: %s", strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden files and folders */
        PN_GROW(names, count, cap);
        names[count++] = pn_arena_printf(arena, "%s%s%s", path,
                                         path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
    }
    closedir(dir);
    pn_sort(names, count, sizeof *names, name_cmp);
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(names[i], &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            /* A link back to a folder already read (a link loop, or two links to one folder)
             * is skipped: every real folder is read once, so a walk always ends. */
            if (visit_dir(seen, &st))
                rc |= load_dir(arena, diags, names[i], docs, seen, depth + 1);
        } else if (S_ISREG(st.st_mode) && manifest_name(names[i]))
            rc |= load_file(arena, diags, names[i], docs);
    }
    free(names);
    return rc ? -1 : 0;
}

int pn_load_path(pn_arena *arena, pn_diags *diags, const char *path, pn_documents *docs)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        visited_dirs seen = {0};
        visit_dir(&seen, &st);
        int rc = load_dir(arena, diags, path, docs, &seen, 0);
        free(seen.items);
        return rc;
    }
    return load_file(arena, diags, path, docs);
}

void pn_documents_free(pn_documents *docs)
{
    free(docs->items);
    free(docs->inputs);
    *docs = (pn_documents){0};
}
