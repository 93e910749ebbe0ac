/* The scanner of the bulk kernels: find address candidates in raw bytes (modes list, combined,
 * any) and parse the ones it is sure of. Included by _scan.c (scan(): the candidates as
 * columns) and _classify.c (scan_tally(): candidates classified and counted as they are
 * found, no column kept). The contract is _scan.c's; every index is checked against the
 * buffer and line lengths are never trusted. Call init_classes() once at module init. */

#ifndef DUALSTACK_SCANNER_H
#define DUALSTACK_SCANNER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "_buffers.h"

enum { MODE_LIST = 0, MODE_COMBINED = 1, MODE_ANY = 2, MODE_CSV = 3 }; /* CSV: 3 + column */
#define MAX_COLUMN (1 << 20)
#define CSV_FIELD_LIMIT 131072 /* Python's csv.field_size_limit() default */
enum { FORM_COMPRESSED = 0, FORM_EXPLODED = 1, FORM_REVERSE = 2 };
#define V_PYTHON 0
#define V_LINE 255
#define MAX_TEXT 73 /* the longest text a row becomes: an ip6.arpa name */

/* ------------------------------------------------------------------ character classes */

/* bit 1: hex digit, 2: decimal digit, 4: word (\w, ASCII), 8: blank (\s, ASCII), 16: run
 * ([0-9A-Fa-f.:]) */
static unsigned char cls[256];
static signed char hexv[256]; /* the value of a hex digit, -1 for any other byte */

static void init_classes(void) {
    for (int c = 0; c < 256; c++) {
        hexv[c] = (signed char)(c >= '0' && c <= '9'   ? c - '0'
                                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                       : -1);
        unsigned char k = 0;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) k |= 1 | 16;
        if (c >= '0' && c <= '9') k |= 2;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
            k |= 4;
        if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) k |= 8;
        if (c == '.' || c == ':') k |= 16;
        cls[c] = k;
    }
}

#define IS_HEX(c) (cls[(unsigned char)(c)] & 1)
#define IS_DIGIT(c) (cls[(unsigned char)(c)] & 2)
#define IS_WORD(c) (cls[(unsigned char)(c)] & 4)
#define IS_BLANK(c) (cls[(unsigned char)(c)] & 8)
#define IS_RUN(c) (cls[(unsigned char)(c)] & 16)

/* ------------------------------------------------------------------ parsers */

/* A strict dotted quad filling exactly s[0:n]: four decimal octets, no leading zeros. */
static int parse4(const unsigned char *s, Py_ssize_t n, uint32_t *out) {
    Py_ssize_t i = 0;
    uint32_t value = 0;
    for (int part = 0; part < 4; part++) {
        if (i >= n || !IS_DIGIT(s[i])) return 0;
        if (s[i] == '0' && i + 1 < n && IS_DIGIT(s[i + 1])) return 0;
        unsigned octet = 0;
        int digits = 0;
        while (i < n && IS_DIGIT(s[i])) {
            if (++digits > 3) return 0;
            octet = octet * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        if (octet > 255) return 0;
        value = value << 8 | octet;
        if (part < 3) {
            if (i >= n || s[i] != '.') return 0;
            i++;
        }
    }
    if (i != n) return 0;
    *out = value;
    return 1;
}

/* RFC 4291 text filling exactly s[0:n] (hex groups of 1-4 digits, at most one "::", an
 * optional final dotted quad), as glibc's inet_pton reads it: 6. A strict dotted quad: 4 (its
 * first token is followed by a dot, so it has no colon: parse_many would take it to inet_pton
 * for IPv4, which reads it the same way). 0: not decided here. */
static int parse(const unsigned char *s, Py_ssize_t n, uint64_t *hi, uint64_t *lo) {
    unsigned g[8];
    int count = 0, gap = -1;
    Py_ssize_t i = 0;
    if (n < 2 || n > 45) return 0; /* the longest: 6 groups of 4, a dotted quad of 15 */
    if (s[0] == ':') {
        if (s[1] != ':') return 0;
        gap = 0;
        i = 2;
    }
    while (i < n) {
        Py_ssize_t j = i;
        unsigned value = 0;
        int digits = 0;
        int d;
        while (j < n && (d = hexv[s[j]]) >= 0) {
            if (++digits > 4) return 0;
            value = value << 4 | (unsigned)d;
            j++;
        }
        if (digits == 0) return 0;
        if (j < n && s[j] == '.') {
            uint32_t quad;
            if (count == 0 && gap < 0) { /* no colon before: a dotted quad or nothing */
                if (!parse4(s, n, &quad)) return 0;
                *hi = 0;
                *lo = quad;
                return 4;
            }
            if (count > 6 || !parse4(s + i, n - i, &quad)) return 0;
            g[count++] = quad >> 16;
            g[count++] = quad & 0xFFFF;
            i = n;
            break;
        }
        if (count >= 8) return 0;
        g[count++] = value;
        i = j;
        if (i == n) break;
        if (s[i] != ':') return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (gap >= 0) return 0;
            gap = count;
            i++;
        } else if (i == n) {
            return 0; /* a single trailing colon */
        }
    }
    unsigned full[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    if (gap >= 0) {
        if (count > 7) return 0;
        for (int k = 0; k < gap; k++) full[k] = g[k];
        for (int k = gap; k < count; k++) full[8 - (count - k)] = g[k];
    } else {
        if (count != 8) return 0;
        for (int k = 0; k < 8; k++) full[k] = g[k];
    }
    *hi = (uint64_t)full[0] << 48 | (uint64_t)full[1] << 32 | (uint64_t)full[2] << 16 | full[3];
    *lo = (uint64_t)full[4] << 48 | (uint64_t)full[5] << 32 | (uint64_t)full[6] << 16 | full[7];
    return 6;
}

/* ------------------------------------------------------------------ rows */

/* Where the addresses of a line go when they are not kept as rows: 0, or -1 (out of memory) */
typedef int (*Emit)(void *ctx, uint64_t hi, uint64_t lo, uint8_t version);

typedef struct {
    int64_t *start, *end;
    uint64_t *hi, *lo;
    uint8_t *version;
    Py_ssize_t rows, cap;
    int64_t *ask; /* the rows of version 0 or V_LINE: what Python decides */
    Py_ssize_t asked, ask_cap;
    Emit emit; /* set: each line's rows of version 4 or 6 go here once the line is read, and
                * only the rows for Python stay */
    void *ctx;
    Py_ssize_t emitted;
    int direct; /* emit as found: no mode but any takes a line's rows back */
} Rows;

static void rows_free(Rows *r) {
    free(r->ask);
    free(r->start);
    free(r->end);
    free(r->hi);
    free(r->lo);
    free(r->version);
    memset(r, 0, sizeof *r);
}

static int rows_grow(Rows *r) {
    Py_ssize_t cap = r->cap ? r->cap * 2 : 4096;
    void *p;
    if (!(p = realloc(r->start, (size_t)cap * 8))) return -1;
    r->start = p;
    if (!(p = realloc(r->end, (size_t)cap * 8))) return -1;
    r->end = p;
    if (!(p = realloc(r->hi, (size_t)cap * 8))) return -1;
    r->hi = p;
    if (!(p = realloc(r->lo, (size_t)cap * 8))) return -1;
    r->lo = p;
    if (!(p = realloc(r->version, (size_t)cap))) return -1;
    r->version = p;
    r->cap = cap;
    return 0;
}

static int add(Rows *r, Py_ssize_t start, Py_ssize_t end, uint64_t hi, uint64_t lo, int version) {
    if (r->direct && (version == 4 || version == 6)) {
        r->emitted++;
        return r->emit(r->ctx, hi, lo, (uint8_t)version);
    }
    if (r->rows == r->cap && rows_grow(r) < 0) return -1;
    Py_ssize_t k = r->rows++;
    r->start[k] = start;
    r->end[k] = end;
    r->hi[k] = hi;
    r->lo[k] = lo;
    r->version[k] = (uint8_t)version;
    if (version == V_PYTHON || version == V_LINE) {
        if (r->asked == r->ask_cap) {
            Py_ssize_t cap = r->ask_cap ? r->ask_cap * 2 : 256;
            void *p = realloc(r->ask, (size_t)cap * 8);
            if (p == NULL) return -1;
            r->ask = p;
            r->ask_cap = cap;
        }
        r->ask[r->asked++] = k;
    }
    return 0;
}

/* A candidate: parsed here if the fast parser is sure, else left to Python (version 0). */
static int candidate(Rows *r, const unsigned char *b, Py_ssize_t start, Py_ssize_t end) {
    uint64_t hi = 0, lo = 0;
    int version = parse(b + start, end - start, &hi, &lo);
    if (version == 0) hi = lo = 0;
    return add(r, start, end, hi, lo, version);
}

static int is_ascii(const unsigned char *s, Py_ssize_t n) {
    Py_ssize_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, s + i, 8);
        if (word & 0x8080808080808080ULL) return 0;
    }
    for (; i < n; i++)
        if (s[i] & 0x80) return 0;
    return 1;
}

/* ------------------------------------------------------------------ extraction */

/* list: the line without its blanks (source._LINE); a blank line has no candidate. */
static int scan_list_line(Rows *r, const unsigned char *b, Py_ssize_t ls, Py_ssize_t le) {
    Py_ssize_t s = ls, e = le;
    while (s < e && IS_BLANK(b[s])) s++;
    while (e > s && IS_BLANK(b[e - 1])) e--;
    if (e == s) return 0;
    return candidate(r, b, s, e);
}

/* combined: the run of non-blanks that starts the line (source._FIRST_FIELD). Only the field
 * needs to be ASCII; a non-ASCII byte in it (perhaps a Unicode blank) sends the line to Python. */
static int scan_combined_line(Rows *r, const unsigned char *b, Py_ssize_t ls, Py_ssize_t le) {
    if (ls == le || IS_BLANK(b[ls])) return 0;
    Py_ssize_t e = ls;
    while (e < le && !IS_BLANK(b[e])) {
        if (b[e] & 0x80) return add(r, ls, le, 0, 0, V_LINE);
        e++;
    }
    return candidate(r, b, ls, e);
}

/* any: source._ANY on one line [ls, le), match for match. The regex is
 *   (?=[0-9A-Fa-f:])(?<![\w.])(?<![0-9A-Fa-f:]:)(
 *     (?=[0-9A-Fa-f.:]*::|(?:[0-9A-Fa-f.]*:){6})[0-9A-Fa-f.:]*(?:[0-9A-Fa-f]|::)(?!\w|[.:][\w:])
 *   | \d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\w|\.\w) )
 * In the first branch the backtracking ends the match at the largest end e inside the run of
 * [0-9A-Fa-f.:] such that the text before e ends in a hex digit or "::" and the lookahead holds
 * at e; that end depends on the run only, so it is found once per run.
 * Python's \w and \d are Unicode: where a decision depends on a non-ASCII byte, the line is
 * left to Python whole (DEFER). Non-ASCII text elsewhere in the line (a user agent) does not. */
#define DEFER 1
#define HIGH(c) ((c) & 0x80)

static inline int at(const unsigned char *b, Py_ssize_t i, Py_ssize_t le) {
    return i < le ? b[i] : '\n'; /* past the line: the newline (or the end), neither \w nor [.:] */
}

/* (?!\w|[.:][\w:]) at e: 1 holds, 0 fails, -1 depends on a non-ASCII character */
static inline int ahead6(const unsigned char *b, Py_ssize_t e, Py_ssize_t le) {
    int c = at(b, e, le);
    if (HIGH(c)) return -1;
    if (IS_WORD(c)) return 0;
    if (c == '.' || c == ':') {
        int d = at(b, e + 1, le);
        if (HIGH(d)) return -1;
        if (IS_WORD(d) || d == ':') return 0;
    }
    return 1;
}

/* The dotted-quad branch at p: its end, 0 if it does not match, -1 if that depends on a
 * non-ASCII character (a Unicode digit or letter). */
static Py_ssize_t quad_at(const unsigned char *b, Py_ssize_t p, Py_ssize_t le) {
    Py_ssize_t i = p;
    for (int part = 0; part < 4; part++) {
        Py_ssize_t digits = 0;
        while (i + digits < le && IS_DIGIT(b[i + digits])) digits++;
        if (HIGH(at(b, i + digits, le))) return -1;
        if (digits == 0 || digits > 3) return 0;
        i += digits;
        if (part < 3) {
            if (at(b, i, le) != '.') return 0;
            i++;
        }
    }
    int next = at(b, i, le);
    if (HIGH(next)) return -1;
    if (IS_WORD(next)) return 0;
    if (next == '.') {
        int after = at(b, i + 1, le);
        if (HIGH(after)) return -1;
        if (IS_WORD(after)) return 0;
    }
    return i;
}

static int scan_any_line(Rows *r, const unsigned char *b, Py_ssize_t ls, Py_ssize_t le) {
    Py_ssize_t run_start = -1, run_end = -1, best = -1, last_pair = -1, colons = 0;
    Py_ssize_t counted_to = 0, colons_before = 0; /* colons in [run_start, counted_to) */
    int best_unknown = 0;
    Py_ssize_t p = ls;
    while (p < le) {
        unsigned char c = b[p];
        if (!(IS_HEX(c) || c == ':')) {
            p++;
            continue;
        }
        int before = p > ls ? b[p - 1] : '\n';
        int before2 = p - 1 > ls ? b[p - 2] : '\n';
        if (HIGH(before)) return DEFER; /* a Unicode letter, or not */
        if (IS_WORD(before) || before == '.' || (before == ':' && (IS_HEX(before2) || before2 == ':'))) {
            p++;
            continue;
        }
        if (p >= run_end) { /* a new run of [0-9A-Fa-f.:] from p */
            run_start = p;
            run_end = p;
            colons = 0;
            last_pair = -1;
            while (run_end < le && IS_RUN(b[run_end])) {
                if (b[run_end] == ':') {
                    colons++;
                    if (run_end > run_start && b[run_end - 1] == ':') last_pair = run_end - 1;
                }
                run_end++;
            }
            best = -1;
            best_unknown = 0;
            for (Py_ssize_t e = run_end; e > run_start; e--) {
                int hex_end = IS_HEX(b[e - 1]);
                int pair_end = e - 2 >= run_start && b[e - 2] == ':' && b[e - 1] == ':';
                if (!(hex_end || pair_end)) continue;
                int holds = ahead6(b, e, le);
                if (holds < 0) {
                    best_unknown = 1;
                    break;
                }
                if (holds) {
                    best = e;
                    break;
                }
            }
            counted_to = run_start;
            colons_before = 0;
        }
        while (counted_to < p) {
            if (b[counted_to] == ':') colons_before++;
            counted_to++;
        }
        int wanted = last_pair >= p || colons - colons_before >= 6;
        if (wanted && best_unknown) return DEFER;
        if (wanted && best > p) {
            int fits = IS_HEX(b[best - 1]) ? best - 1 >= p : best - 2 >= p;
            if (fits) {
                if (candidate(r, b, p, best) < 0) return -1;
                p = best;
                continue;
            }
        }
        if (IS_DIGIT(c)) {
            Py_ssize_t end = quad_at(b, p, le);
            if (end < 0) return DEFER;
            if (end > 0) {
                if (candidate(r, b, p, end) < 0) return -1;
                p = end;
                continue;
            }
        }
        p++;
    }
    return 0;
}

/* CSV (mode MODE_CSV + column): records as Python's csv module reads them with its defaults
 * (comma, double quote, "" for a quote inside quotes, not strict). The cell of `column` is
 * the candidate: its text, or the text inside its quotes; a record with fewer cells gives an
 * empty candidate, as Python's path does. A line Python could read differently goes to
 * Python whole: a record across lines (a quoted newline: *open carries it to the next line),
 * a target cell with "" inside or blanks around its text (Python's rewriters change the
 * address and keep them), text after a closing quote in the target cell or one before it
 * (Python's rewriters write such a record anew), a line longer than Python's
 * field limit, and any byte that is not printable ASCII or a tab (Python also splits lines at
 * \r, \v, \f, \x1c-\x1e and some non-ASCII characters). A final \r (CRLF) ends the record. */
enum { C_START, C_FIELD, C_QUOTED, C_QUOTE };

static int scan_csv_line(Rows *r, const unsigned char *b, Py_ssize_t ls, Py_ssize_t le,
                         Py_ssize_t column, int *open) {
    Py_ssize_t end = le > ls && b[le - 1] == '\r' ? le - 1 : le;
    int state = *open ? C_QUOTED : C_START;
    int whole = *open || le - ls > CSV_FIELD_LIMIT;
    Py_ssize_t field = 0, fstart = ls, qend = ls, cs = -1, ce = -1;
    int quoted = 0, clean = 1, ok = 1;
    for (Py_ssize_t i = ls; i <= end; i++) {
        int eol = i == end;
        unsigned char c = eol ? '\n' : b[i];
        if (!eol && ((c < 0x20 && c != '\t') || c >= 0x7F)) whole = 1;
        if (state == C_QUOTED) {
            if (c == '"') state = C_QUOTE, qend = i;
            continue; /* a quoted newline: the loop ends with the record open */
        }
        if (state == C_QUOTE && c == '"') {
            state = C_QUOTED;
            clean = 0;
            continue;
        }
        if (state == C_START && c == '"' && !eol) {
            state = C_QUOTED;
            quoted = 1;
            continue;
        }
        if (c == ',' || eol) { /* the field ends */
            if (field == column) {
                cs = quoted ? fstart + 1 : fstart;
                ce = quoted ? qend : i;
                ok = ok && clean;
            }
            field++;
            fstart = i + 1;
            quoted = 0;
            clean = 1;
            state = C_START;
            continue;
        }
        if (state == C_QUOTE) { /* text after the closing quote joins the cell */
            clean = 0;
            if (field <= column) ok = 0; /* Python's rewriters write such a record anew */
        }
        state = C_FIELD;
    }
    *open = state == C_QUOTED;
    if (*open || whole || !ok) return add(r, ls, le, 0, 0, V_LINE);
    if (ls == le || cs < 0) return candidate(r, b, le, le); /* no such cell: empty */
    if (ce > cs && (IS_BLANK(b[cs]) || IS_BLANK(b[ce - 1]))) /* blanks the rewriters keep */
        return add(r, ls, le, 0, 0, V_LINE);
    return candidate(r, b, cs, ce);
}

/* Hand the rows of version 4 or 6 from row `first` on to r->emit; the others move down (in
 * order) and are asked again. A line at a time: any mode forgets a line's rows when Python is
 * to read it whole, so they are not counted before the line is done. */
static int emit_rows(Rows *r, Py_ssize_t first, Py_ssize_t asked) {
    Py_ssize_t keep = first;
    for (Py_ssize_t k = first; k < r->rows; k++) {
        uint8_t v = r->version[k];
        if (v == 4 || v == 6) {
            if (r->emit(r->ctx, r->hi[k], r->lo[k], v) < 0) return -1;
            r->emitted++;
            continue;
        }
        r->start[keep] = r->start[k];
        r->end[keep] = r->end[k];
        r->hi[keep] = r->hi[k];
        r->lo[keep] = r->lo[k];
        r->version[keep] = v;
        r->ask[asked++] = keep++; /* room: the line asked for at least these */
    }
    r->rows = keep;
    r->asked = asked;
    return 0;
}

static int scan_range(Rows *r, const unsigned char *b, Py_ssize_t begin, Py_ssize_t end, int mode,
                      Py_ssize_t *newlines) {
    Py_ssize_t ls = begin;
    int open = 0; /* CSV: a quoted field goes on past the line */
    r->direct = r->emit != NULL && mode != MODE_ANY;
    *newlines = 0;
    while (ls < end) {
        Py_ssize_t first = r->rows, asked = r->asked;
        const unsigned char *nl = memchr(b + ls, '\n', (size_t)(end - ls));
        Py_ssize_t le = nl ? nl - b : end;
        *newlines += nl != NULL;
        int status;
        if (mode == MODE_COMBINED) {
            status = scan_combined_line(r, b, ls, le);
        } else if (mode == MODE_ANY) {
            status = scan_any_line(r, b, ls, le);
            if (status == DEFER) { /* forget the line's rows: Python reads it whole */
                r->rows = first;
                r->asked = asked;
                status = add(r, ls, le, 0, 0, V_LINE);
            }
        } else if (mode >= MODE_CSV) {
            status = scan_csv_line(r, b, ls, le, mode - MODE_CSV, &open);
        } else {
            /* an address parsed here is ASCII, and so is its line (only ASCII blanks are
             * trimmed around it): the line is looked at again only when the parse failed */
            status = scan_list_line(r, b, ls, le);
            if (status == 0 && r->rows > first && r->version[r->rows - 1] == V_PYTHON &&
                !is_ascii(b + ls, le - ls)) {
                r->rows = first;
                r->asked = asked;
                status = add(r, ls, le, 0, 0, V_LINE);
            }
        }
        if (status < 0 || (r->emit != NULL && !r->direct && emit_rows(r, first, asked) < 0))
            return -1;
        ls = le + 1;
    }
    return 0;
}

/* The rows as scan() returns them: (starts, ends, hi, lo, version, newlines, asked), columns
 * that change hands without a copy (r is emptied); NULL with an exception on failure. */
static PyObject *rows_result(Rows *r, Py_ssize_t newlines) {
    Py_ssize_t n = r->rows;
    size_t cap = (size_t)r->cap;
    PyObject *cols[6] = {owned(r->start, n * 8, cap * 8),     owned(r->end, n * 8, cap * 8),
                         owned(r->hi, n * 8, cap * 8),        owned(r->lo, n * 8, cap * 8),
                         owned(r->version, n, cap), owned(r->ask, r->asked * 8, (size_t)r->ask_cap * 8)};
    memset(r, 0, sizeof *r);
    for (int i = 0; i < 6; i++) {
        if (cols[i] == NULL) {
            for (int j = 0; j < 6; j++) Py_XDECREF(cols[j]);
            return NULL;
        }
    }
    return Py_BuildValue("(NNNNNnN)", cols[0], cols[1], cols[2], cols[3], cols[4], newlines,
                         cols[5]);
}

#endif
