/* dualstack.bulk._scan: one pass over raw bytes that finds address candidates and parses them,
 * and a writer that puts converted addresses back into the bytes.
 *
 * Only dualstack.bulk.fast imports this module; read its docstring for the contract. In short:
 *
 *   scan(data, mode, begin=0, end=len(data))
 *       -> (starts, ends, hi, lo, version, newlines, asked)
 *       data: any contiguous bytes-like object, [begin, end) a run of whole lines (begin is 0
 *       or just after a newline). mode: 0 list, 1 combined (first field), 2 any.
 *       Returns bytes columns, one entry per row (candidate): int64 starts and ends (absolute
 *       offsets into data), uint64 hi and lo (native order), uint8 version:
 *         4, 6   the candidate [start, end) is that address (the same value inet_pton gives);
 *         0      a candidate the fast parser does not decide: Python's parse_many does;
 *         255    the line [start, end) (without its newline) has non-ASCII bytes that matter
 *                (list mode: any; combined: in the first field; any: next to a candidate):
 *                Python extracts and parses that whole line itself;
 *       then the number of newlines in [begin, end), and the indexes of the rows of version
 *       0 or 255 (int64 bytes), so Python finds its few rows without a pass over them all.
 *
 *   rewrite(data, begin, stop, starts, ends, hi, lo, version, form, out) -> bytes written
 *       Writes data[begin:stop] into the writable buffer out with every row of version 4 or 6
 *       replaced by its text in form (0 compressed RFC 5952, 1 exploded, 2 reverse name); the
 *       other rows keep their bytes. out must hold (stop - begin) + 73 * rows bytes.
 *
 * Input is attacker-controlled: every index is checked against the buffer, line lengths are
 * never trusted, rows from Python are validated before use. Both functions release the GIL
 * while they work, so two threads can split a chunk. */

#define DUALSTACK_OWNED
#include "_scanner.h"

static PyObject *scan(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"data", "mode", "begin", "end", NULL};
    Py_buffer view;
    int mode;
    Py_ssize_t begin = 0, end = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*i|nn:scan", keywords, &view, &mode, &begin,
                                     &end))
        return NULL;
    if (end < 0) end = view.len;
    if (mode < MODE_LIST || mode > MODE_CSV + MAX_COLUMN || begin < 0 || begin > end || end > view.len) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "scan: bad mode or range");
        return NULL;
    }
    Rows r;
    memset(&r, 0, sizeof r);
    int status;
    Py_ssize_t newlines;
    Py_BEGIN_ALLOW_THREADS
    status = scan_range(&r, (const unsigned char *)view.buf, begin, end, mode, &newlines);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (status < 0) {
        rows_free(&r);
        return PyErr_NoMemory();
    }
    return rows_result(&r, newlines);
}

/* ------------------------------------------------------------------ writers */

static const char HEX[] = "0123456789abcdef";

static char *dotted(char *o, uint32_t v) {
    for (int k = 3; k >= 0; k--) {
        unsigned octet = (v >> (8 * k)) & 255;
        if (octet >= 100) *o++ = (char)('0' + octet / 100);
        if (octet >= 10) *o++ = (char)('0' + octet / 10 % 10);
        *o++ = (char)('0' + octet % 10);
        if (k) *o++ = '.';
    }
    return o;
}

static char *reverse4(char *o, uint32_t v) {
    uint32_t swapped = (v & 255) << 24 | ((v >> 8) & 255) << 16 | ((v >> 16) & 255) << 8 | v >> 24;
    o = dotted(o, swapped);
    memcpy(o, ".in-addr.arpa.", 14);
    return o + 14;
}

static char *exploded6(char *o, uint64_t hi, uint64_t lo) {
    for (int k = 0; k < 32; k++) {
        uint64_t half = k < 16 ? hi : lo;
        *o++ = HEX[(half >> (60 - 4 * (k & 15))) & 15];
        if ((k & 3) == 3 && k != 31) *o++ = ':';
    }
    return o;
}

static char *reverse6(char *o, uint64_t hi, uint64_t lo) {
    for (int k = 31; k >= 0; k--) {
        uint64_t half = k < 16 ? hi : lo;
        *o++ = HEX[(half >> (60 - 4 * (k & 15))) & 15];
        *o++ = '.';
    }
    memcpy(o, "ip6.arpa.", 9);
    return o + 9;
}

static char *group(char *o, unsigned g) {
    int started = 0;
    for (int shift = 12; shift >= 0; shift -= 4) {
        unsigned d = (g >> shift) & 15;
        if (d || started || shift == 0) {
            *o++ = HEX[d];
            started = 1;
        }
    }
    return o;
}

static char *compressed6(char *o, uint64_t hi, uint64_t lo) {
    if (hi == 0 && (lo >> 32) == 0xFFFF) {
        memcpy(o, "::ffff:", 7);
        return dotted(o + 7, (uint32_t)lo);
    }
    unsigned g[8];
    for (int k = 0; k < 8; k++) g[k] = (unsigned)(((k < 4 ? hi : lo) >> (48 - 16 * (k & 3))) & 0xFFFF);
    int best = -1, best_len = 0, start = -1;
    for (int k = 0; k <= 8; k++) {
        if (k < 8 && g[k] == 0) {
            if (start < 0) start = k;
        } else if (start >= 0) {
            if (k - start > best_len) {
                best = start;
                best_len = k - start;
            }
            start = -1;
        }
    }
    if (best_len < 2) best = -1;
    for (int k = 0; k < 8; k++) {
        if (k == best) {
            *o++ = ':';
            *o++ = ':';
            k += best_len - 1;
            continue;
        }
        if (k && k != best + best_len) *o++ = ':';
        o = group(o, g[k]);
    }
    return o;
}

static char *text_of(char *o, uint64_t hi, uint64_t lo, int version, int form) {
    if (version == 4) {
        uint32_t v = (uint32_t)lo;
        return form == FORM_REVERSE ? reverse4(o, v) : dotted(o, v);
    }
    if (form == FORM_EXPLODED) return exploded6(o, hi, lo);
    if (form == FORM_REVERSE) return reverse6(o, hi, lo);
    return compressed6(o, hi, lo);
}

static int need(Py_buffer *v, Py_ssize_t rows, Py_ssize_t width, const char *name) {
    if (v->len != rows * width) {
        PyErr_Format(PyExc_ValueError, "rewrite: %s holds %zd bytes, expected %zd", name, v->len,
                     rows * width);
        return 0;
    }
    return 1;
}

static PyObject *rewrite(PyObject *self, PyObject *args) {
    Py_buffer data, starts, ends, his, los, versions, out;
    Py_ssize_t begin, stop;
    int form;
    if (!PyArg_ParseTuple(args, "y*nny*y*y*y*y*iw*:rewrite", &data, &begin, &stop, &starts, &ends,
                          &his, &los, &versions, &form, &out))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t rows = versions.len;
    if (!need(&starts, rows, 8, "starts") || !need(&ends, rows, 8, "ends") ||
        !need(&his, rows, 8, "hi") || !need(&los, rows, 8, "lo"))
        goto done;
    if (form < FORM_COMPRESSED || form > FORM_REVERSE || begin < 0 || begin > stop ||
        stop > data.len) {
        PyErr_SetString(PyExc_ValueError, "rewrite: bad form or range");
        goto done;
    }
    if (rows > (PY_SSIZE_T_MAX - (stop - begin)) / MAX_TEXT ||
        out.len < (stop - begin) + rows * MAX_TEXT) {
        PyErr_SetString(PyExc_ValueError, "rewrite: the output buffer is too small");
        goto done;
    }
    const int64_t *s = starts.buf, *e = ends.buf;
    for (Py_ssize_t k = 0, last = begin; k < rows; k++) {
        int64_t a, z;
        memcpy(&a, s + k, 8);
        memcpy(&z, e + k, 8);
        if (a < last || z < a || z > stop) {
            PyErr_SetString(PyExc_ValueError, "rewrite: rows out of order or outside the range");
            goto done;
        }
        last = (Py_ssize_t)z;
    }
    Py_ssize_t written;
    Py_BEGIN_ALLOW_THREADS
    const unsigned char *b = data.buf;
    const uint64_t *h = his.buf, *l = los.buf;
    const uint8_t *v = versions.buf;
    char *o = out.buf;
    Py_ssize_t from = begin;
    for (Py_ssize_t k = 0; k < rows; k++) {
        int64_t a, z;
        uint64_t hk, lk;
        memcpy(&a, s + k, 8);
        memcpy(&z, e + k, 8);
        memcpy(&hk, h + k, 8);
        memcpy(&lk, l + k, 8);
        memcpy(o, b + from, (size_t)(a - from));
        o += a - from;
        if (v[k] == 4 || v[k] == 6) {
            o = text_of(o, hk, lk, v[k], form);
        } else {
            memcpy(o, b + a, (size_t)(z - a));
            o += z - a;
        }
        from = (Py_ssize_t)z;
    }
    memcpy(o, b + from, (size_t)(stop - from));
    o += stop - from;
    written = o - (char *)out.buf;
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(written);
done:
    PyBuffer_Release(&data);
    PyBuffer_Release(&starts);
    PyBuffer_Release(&ends);
    PyBuffer_Release(&his);
    PyBuffer_Release(&los);
    PyBuffer_Release(&versions);
    PyBuffer_Release(&out);
    return result;
}

static PyMethodDef methods[] = {
    {"scan", (PyCFunction)(void (*)(void))scan, METH_VARARGS | METH_KEYWORDS,
     "scan(data, mode, begin=0, end=-1) -> (starts, ends, hi, lo, version, newlines, asked)"},
    {"rewrite", rewrite, METH_VARARGS,
     "rewrite(data, begin, stop, starts, ends, hi, lo, version, form, out) -> bytes written"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scan", "Address scanning and writing over raw bytes.", -1, methods,
};

PyMODINIT_FUNC PyInit__scan(void) {
    init_classes();
    if (pool_init() < 0) return PyErr_NoMemory();
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddIntConstant(m, "MAX_TEXT", MAX_TEXT) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
