/* dualstack.bulk._jsonl: the JSON-lines writer of `bulk annotate`, one pass per row straight
 * into the output, the C twin of the numpy assembly in annotate.py;
 * tests/test_bulk_annotate.py holds the two to the same bytes.
 *
 *   write(rows, version, hi, lo, ahi, alo, inp, inp_at, inp_len, types, scope, reg, cls,
 *         sub, vendor, iid_v4, iid_port, roles, nat64, nat64_len, data, offsets, starts,
 *         out, row_at, mask) -> bytes written
 *
 * `rows` the int64 indexes of the rows to write, the per-row columns (uint64 values, uint8
 * version/roles/nat64, int8 IID class and subtype, uint32 iid_v4, int32 iid_port, int64 table
 * indexes), the input texts as one byte array with int64 start and length per row, the string
 * pool (fragments.pool: the FRAGMENTS, then the tables types, scopes, registry, IID classes,
 * subtypes, vendors, NAT64 prefixes) with its int64 offsets and table starts, the writable
 * output and row_at (where each written row starts), and the members to write (bit n:
 * fragments.FIELDS[n]; "schema" and "input" are always written). A member left out is not
 * looked at: its columns may hold anything of the right length. Every index that is read is
 * checked: a row, a table entry or an input span out of range, or an output too small, is an
 * error, never a read or write past a buffer. The GIL is released while rows are written. */

#include <stdint.h>

#include "_buffers.h"

/* the fragments, in fragments.FRAGMENTS' order */
enum {
    F_OPEN, F_INPUT, F_KIND4, F_KIND6, F_ADDRESS, F_EXPLODED, F_PREFIXLEN, F_NETWORK, F_ZONE,
    F_PORT, F_TYPES, F_SCOPE, F_REGISTRY, F_EMBEDDED, F_MAPPED, F_COMPATIBLE, F_6TO4, F_SERVER,
    F_CLIENT, F_NAT64, F_ISATAP, F_CLOSE, F_PREFIX, F_BRACKET, F_TEREDO, F_NULL, F_T_SERVER,
    F_T_CLIENT, F_T_PORT, F_CONE, F_NOCONE, F_T_CLOSE, F_IID, F_I_TYPE, F_I_SUBTYPE, F_I_VALUE,
    F_I_MAC, F_I_VENDOR, F_I_IPV4, F_I_PORT, F_I_CLOSE, F_MULTICAST, F_REVERSE, F_URI,
    F_INTEGER, F_HEX, F_ANON, F_QUOTE, F_END, F_IP6ARPA, F_INADDR, N_FRAGMENTS
};
/* the members after "schema", in fragments.FIELDS' order: bit n of the mask writes member n */
enum {
    X_INPUT, X_KIND, X_ADDRESS, X_EXPLODED, X_PREFIXLEN, X_NETWORK, X_ZONE, X_PORT, X_TYPES,
    X_SCOPE, X_REGISTRY, X_EMBEDDED, X_TEREDO, X_IID, X_MULTICAST, X_REVERSE, X_URI, X_INTEGER,
    X_HEX, X_ANON, N_FIELDS
};
#define WANT(x) (mask & (1ULL << (x)))
/* the tables after the fragments, in fragments.pool's order */
enum { T_TYPES, T_SCOPES, T_REGISTRY, T_IID, T_SUBTYPES, T_VENDORS, T_NAT64, N_TABLES };
/* codes of facts.ROLES and facts.IID_CLASSES (checked by the Python wrapper) */
enum { R_6TO4 = 1, R_TEREDO = 2, R_ISATAP = 16, R_MAPPED = 32, R_COMPATIBLE = 64 };
enum { I_IEEE = 1, I_ISATAP = 2, I_EMBEDDED = 3 };

enum {
    A_ROWS, A_VERSION, A_HI, A_LO, A_AHI, A_ALO, A_INP, A_INP_AT, A_INP_LEN, A_TYPES, A_SCOPE,
    A_REG, A_CLS, A_SUB, A_VENDOR, A_IID_V4, A_IID_PORT, A_ROLES, A_NAT64, A_NAT64_LEN, A_DATA,
    A_OFFSETS, A_STARTS, A_OUT, A_ROW_AT, N_ARGS
};
static const Spec SPECS[N_ARGS] = {
    {8, "qlQL", 0, "rows"},  {1, "Bc", 0, "version"},  {8, "QL", 0, "hi"},
    {8, "QL", 0, "lo"},      {8, "QL", 0, "ahi"},      {8, "QL", 0, "alo"},
    {1, "Bcb", 0, "inp"},    {8, "ql", 0, "inp_at"},   {8, "ql", 0, "inp_len"},
    {8, "ql", 0, "types"},   {8, "ql", 0, "scope"},    {8, "ql", 0, "reg"},
    {1, "b", 0, "cls"},      {1, "b", 0, "sub"},       {8, "ql", 0, "vendor"},
    {4, "IL", 0, "iid_v4"},  {4, "il", 0, "iid_port"}, {1, "B", 0, "roles"},
    {1, "B", 0, "nat64"},    {8, "ql", 0, "nat64_len"}, {1, "Bc", 0, "data"},
    {8, "ql", 0, "offsets"}, {8, "ql", 0, "starts"},   {1, "Bc", 1, "out"},
    {8, "ql", 1, "row_at"}};

/* ------------------------------------------------------------------ the writer */

typedef struct {
    uint8_t *out;
    Py_ssize_t at, cap;
    const uint8_t *data;
    const int64_t *offsets;
} Out;

static const char HEXD[] = "0123456789abcdef";

static inline void frag(Out *o, Py_ssize_t k) {
    Py_ssize_t n = (Py_ssize_t)(o->offsets[k + 1] - o->offsets[k]);
    memcpy(o->out + o->at, o->data + o->offsets[k], (size_t)n);
    o->at += n;
}

static inline void put(Out *o, char c) { o->out[o->at++] = (uint8_t)c; }

static void decimal(Out *o, uint64_t value) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n) put(o, digits[--n]);
}

static void dotted(Out *o, uint32_t v4) {
    for (int k = 0; k < 4; k++) {
        if (k) put(o, '.');
        decimal(o, (v4 >> (24 - 8 * k)) & 255);
    }
}

static void hexfixed(Out *o, uint64_t value, int digits) {
    for (int k = 0; k < digits; k++) put(o, HEXD[(value >> (4 * (digits - 1 - k))) & 15]);
}

static inline unsigned group(uint64_t hi, uint64_t lo, int i) {
    uint64_t word = i < 4 ? hi : lo;
    return (unsigned)((word >> (48 - 16 * (i % 4))) & 0xFFFF);
}

static void compressed(Out *o, uint64_t hi, uint64_t lo) {
    if (hi == 0 && (lo >> 32) == 0xFFFF) {
        memcpy(o->out + o->at, "::ffff:", 7);
        o->at += 7;
        dotted(o, (uint32_t)lo);
        return;
    }
    int best = -1, best_len = 0, run = 0;
    for (int i = 0; i < 8; i++) {
        if (group(hi, lo, i) == 0) {
            run++;
            if (run > best_len) {
                best_len = run;
                best = i - run + 1;
            }
        } else {
            run = 0;
        }
    }
    if (best_len < 2) best = -1;
    int colon = 0;
    for (int i = 0; i < 8;) {
        if (i == best) {
            put(o, ':');
            put(o, ':');
            i += best_len;
            colon = 0;
            continue;
        }
        if (colon) put(o, ':');
        unsigned g = group(hi, lo, i);
        hexfixed(o, g, g >= 0x1000 ? 4 : g >= 0x100 ? 3 : g >= 0x10 ? 2 : 1);
        colon = 1;
        i++;
    }
}

static void text(Out *o, uint8_t version, uint64_t hi, uint64_t lo) {
    if (version == 4)
        dotted(o, (uint32_t)lo);
    else
        compressed(o, hi, lo);
}

static void decimal128(Out *o, uint64_t hi, uint64_t lo) {
    unsigned __int128 value = ((unsigned __int128)hi << 64) | lo;
    char digits[40];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(value % 10));
        value /= 10;
    } while (value);
    while (n) put(o, digits[--n]);
}

static void embedded(Out *o, Py_ssize_t k, uint32_t v4, int first) {
    if (!first) put(o, ',');
    frag(o, k);
    dotted(o, v4);
}

static uint32_t nat64_v4(uint64_t hi, uint64_t lo, int64_t length) {
    if (length == 96) return (uint32_t)lo;
    int shift = (int)(88 - length);
    uint64_t low56 = lo & ((1ULL << 56) - 1);
    return (uint32_t)(((hi << (56 - shift)) | (low56 >> shift)) & 0xFFFFFFFF);
}

/* ------------------------------------------------------------------ room */

#define LEN(k) ((Py_ssize_t)(offsets[(k) + 1] - offsets[(k)]))
#define DIGITS 1024 /* the numbers and addresses of a row (about 550 bytes at most), twice over */

/* What a row may need beyond its input text and its own table strings: every fragment twice
 * (F_CLOSE and F_NULL repeat), the digits, and per NAT64 prefix its role, prefix string and
 * IPv4. The offsets must have been checked. */
static Py_ssize_t fixed_room(const int64_t *offsets, const int64_t *starts, Py_ssize_t npool,
                             Py_ssize_t nat64) {
    Py_ssize_t longest_prefix = 0;
    for (Py_ssize_t k = starts[T_NAT64]; k < npool; k++)
        if (LEN(k) > longest_prefix) longest_prefix = LEN(k);
    return 2 * (Py_ssize_t)(offsets[N_FRAGMENTS] - offsets[0]) + DIGITS +
           nat64 * (longest_prefix + 64);
}

/* room(rows, longest, offsets, starts, nat64) -> the output bytes write() may need for `rows`
 * rows whose inputs are at most `longest` bytes, whatever their table strings */
static PyObject *room(PyObject *Py_UNUSED(module), PyObject *args) {
    Py_ssize_t rows, longest, nat64;
    PyObject *ooffsets, *ostarts;
    if (!PyArg_ParseTuple(args, "nnOOn", &rows, &longest, &ooffsets, &ostarts, &nat64)) return NULL;
    Buf b[2] = {{.held = 0}, {.held = 0}};
    if (get_buffer(ooffsets, &b[0], &SPECS[A_OFFSETS]) < 0 ||
        get_buffer(ostarts, &b[1], &SPECS[A_STARTS]) < 0) {
        release_all(b, 2);
        return NULL;
    }
    const int64_t *offsets = b[0].view.buf, *starts = b[1].view.buf;
    Py_ssize_t npool = items(&b[0]) - 1;
    PyObject *result = NULL;
    if (items(&b[1]) != N_TABLES || npool < N_FRAGMENTS || rows < 0 || longest < 0 || nat64 < 0 ||
        nat64 > 8) {
        PyErr_SetString(PyExc_ValueError, "room: bad arguments");
    } else {
        Py_ssize_t strings = 0; /* the longest string of each table a row takes one from */
        for (int t = 0; t < T_NAT64; t++) {
            Py_ssize_t widest = 0;
            for (Py_ssize_t k = starts[t]; k < starts[t + 1] && k < npool; k++)
                if (LEN(k) > widest) widest = LEN(k);
            strings += widest;
        }
        result = PyLong_FromSsize_t(
            rows * (longest + fixed_room(offsets, starts, npool, nat64) + strings) + 1);
    }
    release_all(b, 2);
    return result;
}

/* ------------------------------------------------------------------ members */

/* the columns of one block, as write() checked them */
typedef struct {
    const uint8_t *version, *inp, *roles, *nat64;
    const uint64_t *hi, *lo, *ahi, *alo;
    const int64_t *inp_at, *inp_len, *types, *scope, *reg, *vendor, *nat64_len, *starts;
    const int8_t *cls, *sub;
    const uint32_t *iid_v4;
    const int32_t *iid_port;
    Py_ssize_t nnat64;
} Columns;

static void exploded(Out *o, uint8_t v, uint64_t h, uint64_t low) {
    if (v == 4) {
        dotted(o, (uint32_t)low);
        return;
    }
    for (int g = 0; g < 8; g++) {
        if (g) put(o, ':');
        hexfixed(o, group(h, low, g), 4);
    }
}

static void embedded_list(Out *o, const Columns *c, int64_t r, uint64_t h, uint64_t low) {
    frag(o, F_EMBEDDED);
    uint8_t role = c->roles[r];
    uint32_t low32 = (uint32_t)low;
    int first = 1;
    if (c->version[r] == 6) {
        if (role & R_MAPPED) {
            embedded(o, F_MAPPED, low32, first);
            frag(o, F_CLOSE);
            first = 0;
        }
        if (role & R_COMPATIBLE) {
            embedded(o, F_COMPATIBLE, low32, first);
            frag(o, F_CLOSE);
            first = 0;
        }
        if (role & R_6TO4) {
            embedded(o, F_6TO4, (uint32_t)(h >> 16), first);
            frag(o, F_CLOSE);
            first = 0;
        }
        if (role & R_TEREDO) {
            embedded(o, F_SERVER, (uint32_t)h, first);
            frag(o, F_CLOSE);
            embedded(o, F_CLIENT, ~low32, 0);
            frag(o, F_CLOSE);
            first = 0;
        }
        for (Py_ssize_t p = 0; p < c->nnat64; p++) {
            if (c->nat64[r] & (1u << p)) {
                embedded(o, F_NAT64, nat64_v4(h, low, c->nat64_len[p]), first);
                frag(o, F_PREFIX);
                frag(o, c->starts[T_NAT64] + p);
                frag(o, F_CLOSE);
                first = 0;
            }
        }
        if (role & R_ISATAP) {
            embedded(o, F_ISATAP, low32, first);
            frag(o, F_CLOSE);
        }
    }
    frag(o, F_BRACKET);
}

static void teredo(Out *o, uint8_t v, uint64_t h, uint64_t low) {
    frag(o, F_TEREDO);
    if (v != 6 || (h >> 32) != 0x20010000) {
        frag(o, F_NULL);
        return;
    }
    frag(o, F_T_SERVER);
    dotted(o, (uint32_t)h);
    frag(o, F_T_CLIENT);
    dotted(o, ~(uint32_t)low);
    frag(o, F_T_PORT);
    decimal(o, ~(low >> 32) & 0xFFFF);
    uint64_t flags = low >> 48;
    frag(o, (flags & 0x8000) ? F_CONE : F_NOCONE);
    hexfixed(o, flags, 4);
    frag(o, F_T_CLOSE);
}

static void iid(Out *o, const Columns *c, int64_t r, uint64_t low) {
    frag(o, F_IID);
    int kind = c->cls[r];
    if (kind < 0) {
        frag(o, F_NULL);
        return;
    }
    frag(o, F_I_TYPE);
    frag(o, c->starts[T_IID] + kind);
    frag(o, F_I_SUBTYPE);
    frag(o, c->starts[T_SUBTYPES] + (c->sub[r] >= 0 ? c->sub[r] : 4));
    frag(o, F_I_VALUE);
    hexfixed(o, low, 16);
    frag(o, F_I_MAC);
    if (kind == I_IEEE) { /* the MAC back from the modified EUI-64 */
        uint64_t mac = ((low >> 40) << 24) | (low & 0xFFFFFF);
        mac ^= 0x02ULL << 40;
        put(o, '"');
        for (int octet = 0; octet < 6; octet++) {
            if (octet) put(o, ':');
            hexfixed(o, mac >> (40 - 8 * octet), 2);
        }
        put(o, '"');
    } else {
        frag(o, F_NULL);
    }
    frag(o, F_I_VENDOR);
    frag(o, c->starts[T_VENDORS] + c->vendor[r]);
    frag(o, F_I_IPV4);
    if (kind == I_ISATAP || kind == I_EMBEDDED) {
        put(o, '"');
        dotted(o, c->iid_v4[r]);
        put(o, '"');
    } else {
        frag(o, F_NULL);
    }
    frag(o, F_I_PORT);
    if (c->iid_port[r] >= 0)
        decimal(o, (uint64_t)c->iid_port[r]);
    else
        frag(o, F_NULL);
    frag(o, F_I_CLOSE);
}

static void reverse_pointer(Out *o, uint8_t v, uint64_t h, uint64_t low) {
    frag(o, F_REVERSE);
    if (v == 4) {
        for (int k = 0; k < 4; k++) {
            decimal(o, (low >> (8 * k)) & 255);
            put(o, '.');
        }
        frag(o, F_INADDR);
    } else {
        for (int k = 0; k < 32; k++) {
            uint64_t word = k < 16 ? low : h;
            put(o, HEXD[(word >> (4 * (k % 16))) & 15]);
            put(o, '.');
        }
        frag(o, F_IP6ARPA);
    }
    frag(o, F_QUOTE);
}

/* one row's line: "schema", then each member the mask asks for, in FIELDS' order */
static void row(Out *o, const Columns *c, int64_t r, uint64_t mask) {
    uint8_t v = c->version[r];
    uint64_t h = c->hi[r], low = c->lo[r];
    frag(o, F_OPEN);
    frag(o, F_INPUT);
    memcpy(o->out + o->at, c->inp + c->inp_at[r], (size_t)c->inp_len[r]);
    o->at += c->inp_len[r];
    frag(o, F_QUOTE);
    if (WANT(X_KIND)) frag(o, v == 4 ? F_KIND4 : F_KIND6);
    if (WANT(X_ADDRESS)) {
        frag(o, F_ADDRESS);
        text(o, v, h, low);
        frag(o, F_QUOTE);
    }
    if (WANT(X_EXPLODED)) {
        frag(o, F_EXPLODED);
        exploded(o, v, h, low);
        frag(o, F_QUOTE);
    }
    if (WANT(X_PREFIXLEN)) frag(o, F_PREFIXLEN);
    if (WANT(X_NETWORK)) frag(o, F_NETWORK);
    if (WANT(X_ZONE)) frag(o, F_ZONE);
    if (WANT(X_PORT)) frag(o, F_PORT);
    if (WANT(X_TYPES)) {
        frag(o, F_TYPES);
        frag(o, c->starts[T_TYPES] + c->types[r]);
    }
    if (WANT(X_SCOPE)) {
        frag(o, F_SCOPE);
        frag(o, c->starts[T_SCOPES] + c->scope[r]);
        frag(o, F_QUOTE);
    }
    if (WANT(X_REGISTRY)) {
        frag(o, F_REGISTRY);
        frag(o, c->starts[T_REGISTRY] + c->reg[r]);
    }
    if (WANT(X_EMBEDDED)) embedded_list(o, c, r, h, low);
    if (WANT(X_TEREDO)) teredo(o, v, h, low);
    if (WANT(X_IID)) iid(o, c, r, low);
    if (WANT(X_MULTICAST)) frag(o, F_MULTICAST);
    if (WANT(X_REVERSE)) reverse_pointer(o, v, h, low);
    if (WANT(X_URI)) {
        frag(o, F_URI);
        if (v == 6) {
            put(o, '[');
            compressed(o, h, low);
            put(o, ']');
        } else {
            dotted(o, (uint32_t)low);
        }
        frag(o, F_QUOTE);
    }
    if (WANT(X_INTEGER)) {
        frag(o, F_INTEGER);
        decimal128(o, h, low);
        frag(o, F_QUOTE);
    }
    if (WANT(X_HEX)) {
        frag(o, F_HEX);
        if (v == 4) {
            hexfixed(o, low, 8);
        } else {
            hexfixed(o, h, 16);
            hexfixed(o, low, 16);
        }
        frag(o, F_QUOTE);
    }
    if (WANT(X_ANON)) {
        frag(o, F_ANON);
        text(o, v, c->ahi[r], c->alo[r]);
        frag(o, F_QUOTE);
    }
    frag(o, F_END);
}

/* NULL when the table strings row r's wanted members take are in range, else the problem;
 * *strings: their bytes */
static const char *check_row(const Columns *c, int64_t r, uint64_t mask, const int64_t *size,
                             const int64_t *offsets, Py_ssize_t ninp, Py_ssize_t *strings) {
    if (c->inp_at[r] < 0 || c->inp_len[r] < 0 || c->inp_at[r] > ninp ||
        c->inp_len[r] > ninp - c->inp_at[r])
        return "a row's input span is out of range";
    Py_ssize_t n = c->inp_len[r];
    const int64_t *starts = c->starts;
    if (WANT(X_TYPES)) {
        if (c->types[r] < 0 || c->types[r] >= size[T_TYPES]) return "a types index is out of range";
        n += LEN(starts[T_TYPES] + c->types[r]);
    }
    if (WANT(X_SCOPE)) {
        if (c->scope[r] < 0 || c->scope[r] >= size[T_SCOPES]) return "a scope index is out of range";
        n += LEN(starts[T_SCOPES] + c->scope[r]);
    }
    if (WANT(X_REGISTRY)) {
        if (c->reg[r] < 0 || c->reg[r] >= size[T_REGISTRY]) return "a registry index is out of range";
        n += LEN(starts[T_REGISTRY] + c->reg[r]);
    }
    if (WANT(X_IID) && c->cls[r] >= 0) {
        int64_t k_sub = c->sub[r] >= 0 ? c->sub[r] : 4;
        if (c->cls[r] >= size[T_IID] || k_sub >= size[T_SUBTYPES] || c->vendor[r] < 0 ||
            c->vendor[r] >= size[T_VENDORS])
            return "an IID class, subtype or vendor index is out of range";
        n += LEN(starts[T_IID] + c->cls[r]) + LEN(starts[T_SUBTYPES] + k_sub) +
             LEN(starts[T_VENDORS] + c->vendor[r]);
    }
    *strings = n;
    return NULL;
}

/* ------------------------------------------------------------------ write() */

static PyObject *jsonl_write(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != N_ARGS + 1) {
        PyErr_Format(PyExc_TypeError, "write() takes %d arguments", N_ARGS + 1);
        return NULL;
    }
    unsigned long long mask = PyLong_AsUnsignedLongLong(args[N_ARGS]);
    if (mask == (unsigned long long)-1 && PyErr_Occurred()) return NULL;
    if (mask >> N_FIELDS) {
        PyErr_SetString(PyExc_ValueError, "mask: a bit past the last member");
        return NULL;
    }
    mask |= 1ULL << X_INPUT;
    Buf b[N_ARGS];
    if (get_all(args, SPECS, b, N_ARGS) < 0) return NULL;
    PyObject *result = NULL;
    const char *problem = NULL;
    Py_ssize_t n = items(&b[A_VERSION]);
    static const int per_row[] = {A_HI, A_LO, A_AHI, A_ALO, A_INP_AT, A_INP_LEN, A_TYPES,
                                  A_SCOPE, A_REG, A_CLS, A_SUB, A_VENDOR, A_IID_V4,
                                  A_IID_PORT, A_ROLES, A_NAT64};
    for (size_t i = 0; i < sizeof per_row / sizeof *per_row; i++)
        if (items(&b[per_row[i]]) != n) problem = "a per-row column differs in length";
    if (items(&b[A_ROW_AT]) < n) problem = "row_at is shorter than the rows";
    Py_ssize_t npool = items(&b[A_OFFSETS]) - 1;
    if (items(&b[A_STARTS]) != N_TABLES || npool < N_FRAGMENTS || items(&b[A_NAT64_LEN]) > 8)
        problem = "the pool does not have the fragments and tables expected";
    const int64_t *offsets = b[A_OFFSETS].view.buf, *starts = b[A_STARTS].view.buf;
    int64_t size[N_TABLES];
    if (!problem) {
        for (Py_ssize_t k = 0; k < npool; k++)
            if (offsets[k] < 0 || offsets[k] > offsets[k + 1] ||
                offsets[k + 1] > items(&b[A_DATA]))
                problem = "the pool's offsets are out of order or past its data";
        for (int t = 0; t < N_TABLES; t++) {
            int64_t end = t + 1 < N_TABLES ? starts[t + 1] : npool;
            size[t] = end - starts[t];
            if (starts[t] < N_FRAGMENTS || size[t] < 0 || end > npool)
                problem = "a table start is out of range";
        }
        if (!problem && size[T_NAT64] < items(&b[A_NAT64_LEN]))
            problem = "fewer NAT64 prefix strings than prefix lengths";
        const int64_t *nat64_len = b[A_NAT64_LEN].view.buf;
        for (Py_ssize_t p = 0; p < items(&b[A_NAT64_LEN]); p++)
            if (nat64_len[p] < 32 || nat64_len[p] > 96) problem = "a NAT64 length is out of range";
    }
    if (problem) {
        PyErr_SetString(PyExc_ValueError, problem);
        goto done;
    }
    Py_ssize_t fixed = fixed_room(offsets, starts, npool, items(&b[A_NAT64_LEN]));
    const int64_t *rows = b[A_ROWS].view.buf;
    Py_ssize_t count = items(&b[A_ROWS]), ninp = items(&b[A_INP]);
    const Columns c = {
        .version = b[A_VERSION].view.buf, .inp = b[A_INP].view.buf,
        .roles = b[A_ROLES].view.buf, .nat64 = b[A_NAT64].view.buf,
        .hi = b[A_HI].view.buf, .lo = b[A_LO].view.buf,
        .ahi = b[A_AHI].view.buf, .alo = b[A_ALO].view.buf,
        .inp_at = b[A_INP_AT].view.buf, .inp_len = b[A_INP_LEN].view.buf,
        .types = b[A_TYPES].view.buf, .scope = b[A_SCOPE].view.buf, .reg = b[A_REG].view.buf,
        .vendor = b[A_VENDOR].view.buf, .nat64_len = b[A_NAT64_LEN].view.buf, .starts = starts,
        .cls = b[A_CLS].view.buf, .sub = b[A_SUB].view.buf,
        .iid_v4 = b[A_IID_V4].view.buf, .iid_port = b[A_IID_PORT].view.buf,
        .nnat64 = items(&b[A_NAT64_LEN]),
    };
    int64_t *row_at = b[A_ROW_AT].view.buf;
    Out o = {b[A_OUT].view.buf, 0, b[A_OUT].view.len, b[A_DATA].view.buf, offsets};
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t j = 0; j < count; j++) {
        int64_t r = rows[j];
        Py_ssize_t strings = 0;
        if (r < 0 || r >= n) {
            problem = "a row index is out of range";
            break;
        }
        problem = check_row(&c, r, mask, size, offsets, ninp, &strings);
        if (problem) break;
        if (o.cap - o.at < fixed + strings) {
            problem = "the output buffer is too small";
            break;
        }
        row_at[r] = o.at;
        row(&o, &c, r, mask);
    }
    Py_END_ALLOW_THREADS
    if (problem)
        PyErr_SetString(PyExc_ValueError, problem);
    else
        result = PyLong_FromSsize_t(o.at);
done:
    release_all(b, N_ARGS);
    return result;
}

static PyMethodDef module_methods[] = {
    {"room", room, METH_VARARGS,
     "room(rows, longest, offsets, starts, nat64) -> the output bytes write() may need"},
    {"write", (PyCFunction)(void (*)(void))jsonl_write, METH_FASTCALL,
     "write(rows, version, hi, lo, ahi, alo, inp, inp_at, inp_len, types, scope, reg, cls, sub, "
     "vendor, iid_v4, iid_port, roles, nat64, nat64_len, data, offsets, starts, out, row_at, "
     "mask)"},
    {NULL}};

static struct PyModuleDef jsonl_module = {
    PyModuleDef_HEAD_INIT, .m_name = "dualstack.bulk._jsonl",
    .m_doc = "The JSON-lines writer of bulk annotate (see dualstack.bulk.annotate).",
    .m_size = -1, .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__jsonl(void) {
    PyObject *m = PyModule_Create(&jsonl_module);
    if (m == NULL) return NULL;
    if (PyModule_AddIntConstant(m, "N_FRAGMENTS", N_FRAGMENTS) < 0 ||
        PyModule_AddIntConstant(m, "N_FIELDS", N_FIELDS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
