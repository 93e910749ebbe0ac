/* dualstack.bulk._agg: exact aggregation for `bulk stats` (distinct addresses, counts per key).
 *
 * Two open-addressing hash tables with linear probing, and the HyperLogLog update that takes
 * over past a memory bound. Only dualstack/bulk/agg.py imports this module; it gives the same
 * results with numpy when the module is missing.
 *
 *   Set128(max_keys)     distinct (hi, lo, version) keys: exact 128-bit values, the family in
 *                        the control byte (IPv4 1.2.3.4 and IPv6 ::102:304 are two keys)
 *   Counter64(max_keys)  uint64 key -> int64 count; top(k, shift) ranks it, folding keys
 *   hll_add(registers, hi, lo, version)   HyperLogLog (2^14 registers) over the same hash
 *
 * Layout: a control byte per slot (0: empty, else 0x80 | family bit | 6 hash bits, compared
 * before the key) and a separate array of 16-byte slots (hi, lo) or (key, count). A slot costs
 * SLOT_BYTES = 17 bytes in both tables. The home slot is the 64-bit hash reduced to the table
 * size by a multiply-shift, so the table size need not be a power of two: it doubles while it
 * grows and its last step stops exactly at the size `max_keys` needs at 3/4 load. `add` stops
 * at the first row that would be key number max_keys + 1 and returns its index (the caller
 * switches to an estimate or prunes); -1 means every row went in.
 *
 * Arrays come through the buffer protocol (C-contiguous, 8-byte unsigned for keys, 1-byte for
 * versions and registers, lengths checked). The GIL is released while a table works; a table
 * refuses a second caller while it is busy, so two threads never share one.
 */
#include <stdint.h>

#include "_buffers.h"

#define SLOT_BYTES 17
#define FIRST_SLOTS 1024
#define QUICK_GROWTH (1 << 20) /* Set128 grows fourfold below this many slots (17 MiB) */
#define HLL_BITS 14
#define HLL_SIZE (1 << HLL_BITS)
#define AHEAD 8 /* rows hashed ahead, their slots prefetched: the table is larger than cache */

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch((p), 0, 1)
#else
#define PREFETCH(p) ((void)(p))
#endif

static inline uint64_t mix(uint64_t x) {
    /* SplitMix64's finaliser, as dualstack.bulk.distinct.mix */
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static inline uint64_t hash128(uint64_t hi, uint64_t lo, uint64_t version) {
    /* dualstack.bulk.distinct.fingerprint */
    return mix(mix(hi ^ (version << 56)) + lo * 0x9E3779B97F4A7C15ULL);
}

static inline size_t home(uint64_t h, size_t slots) {
#ifdef __SIZEOF_INT128__
    return (size_t)(((unsigned __int128)h * (unsigned __int128)slots) >> 64);
#else
    return (size_t)(h % (uint64_t)slots);
#endif
}

/* the slots max_keys needs at 3/4 load (at least one, so a probe always meets an empty slot) */
static size_t limit_slots(Py_ssize_t max_keys) {
    size_t slots = ((size_t)max_keys * 4 + 2) / 3;
    while (slots * 3 < (size_t)max_keys * 4) slots++;
    return slots > 0 ? slots : 1;
}

/* ------------------------------------------------------------------ Set128 */

typedef struct {
    uint64_t hi, lo;
} Key128;

typedef struct {
    PyObject_HEAD
    uint8_t *ctrl;
    Key128 *keys;
    size_t slots;
    size_t limit;
    Py_ssize_t count;
    Py_ssize_t max_keys;
    int busy;
} Set128;

static inline uint8_t ctrl128(uint64_t h, uint8_t version) {
    return (uint8_t)(0x80 | (version == 4 ? 0x40 : 0) | (h & 0x3F));
}

/* Without the GIL. 0, or -1 when memory ran out (nothing changed). */
static int set_resize(Set128 *s, size_t slots) {
    uint8_t *ctrl = PyMem_RawCalloc(slots, 1);
    Key128 *keys = PyMem_RawMalloc(slots * sizeof(Key128));
    if (ctrl == NULL || keys == NULL) {
        PyMem_RawFree(ctrl);
        PyMem_RawFree(keys);
        return -1;
    }
    for (size_t i = 0; i < s->slots; i++) {
        if (!s->ctrl[i]) continue;
        Key128 k = s->keys[i];
        uint8_t version = (s->ctrl[i] & 0x40) ? 4 : 6;
        size_t j = home(hash128(k.hi, k.lo, version), slots);
        while (ctrl[j]) j = (j + 1 == slots) ? 0 : j + 1;
        ctrl[j] = s->ctrl[i];
        keys[j] = k;
    }
    PyMem_RawFree(s->ctrl);
    PyMem_RawFree(s->keys);
    s->ctrl = ctrl;
    s->keys = keys;
    s->slots = slots;
    return 0;
}

/* 1 (with an exception set) when the table is not usable now: never initialised, or busy in
 * another thread (the table is released from the GIL while it works) */
static int unusable(const void *table, int busy) {
    if (table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the table was not initialised");
        return 1;
    }
    if (busy) {
        PyErr_SetString(PyExc_RuntimeError, "the table is in use by another thread");
        return 1;
    }
    return 0;
}

static int Set128_init(Set128 *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"max_keys", NULL};
    Py_ssize_t max_keys;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "n", kwlist, &max_keys)) return -1;
    if (max_keys < 0 || (size_t)max_keys > ((size_t)PY_SSIZE_T_MAX / SLOT_BYTES) / 2) {
        PyErr_SetString(PyExc_ValueError, "max_keys out of range");
        return -1;
    }
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "the table is in use by another thread");
        return -1;
    }
    PyMem_RawFree(self->ctrl);
    PyMem_RawFree(self->keys);
    self->ctrl = NULL;
    self->keys = NULL;
    self->slots = 0;
    self->count = 0;
    self->max_keys = max_keys;
    self->limit = limit_slots(max_keys);
    size_t first = self->limit < FIRST_SLOTS ? self->limit : FIRST_SLOTS;
    if (set_resize(self, first) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void Set128_dealloc(Set128 *self) {
    PyMem_RawFree(self->ctrl);
    PyMem_RawFree(self->keys);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* add(hi, lo, version) -> -1 when every row went in, else the index of the first row that
 * would have been key max_keys + 1 (it and the rows after it are not added) */
static PyObject *Set128_add(Set128 *self, PyObject *args) {
    PyObject *ohi, *olo, *over;
    if (!PyArg_ParseTuple(args, "OOO", &ohi, &olo, &over)) return NULL;
    if (unusable(self->ctrl, self->busy)) return NULL;
    Buf bhi, blo, bver;
    if (get_buffer(ohi, &bhi, &(Spec){8, "QL", 0, "hi"}) < 0) return NULL;
    if (get_buffer(olo, &blo, &(Spec){8, "QL", 0, "lo"}) < 0) {
        release(&bhi);
        return NULL;
    }
    if (get_buffer(over, &bver, &(Spec){1, "Bc", 0, "version"}) < 0) {
        release(&bhi);
        release(&blo);
        return NULL;
    }
    Py_ssize_t n = items(&bhi);
    if (items(&blo) != n || items(&bver) != n) {
        release(&bhi);
        release(&blo);
        release(&bver);
        PyErr_SetString(PyExc_ValueError, "hi, lo and version differ in length");
        return NULL;
    }
    const uint64_t *hi = bhi.view.buf, *lo = blo.view.buf;
    const uint8_t *ver = bver.view.buf;
    Py_ssize_t stop = -1, bad = -1;
    int nomem = 0;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    uint64_t ahead[AHEAD];
    for (Py_ssize_t r = 0; r < n && r < AHEAD; r++) {
        ahead[r] = hash128(hi[r], lo[r], ver[r]);
        size_t j = home(ahead[r], self->slots);
        PREFETCH(self->ctrl + j);
        PREFETCH(self->keys + j);
    }
    for (Py_ssize_t r = 0; r < n; r++) {
        uint8_t v = ver[r];
        uint64_t h = ahead[r % AHEAD];
        if (r + AHEAD < n) {
            Py_ssize_t next = r + AHEAD;
            uint64_t g = hash128(hi[next], lo[next], ver[next]);
            size_t j = home(g, self->slots);
            ahead[next % AHEAD] = g;
            PREFETCH(self->ctrl + j);
            PREFETCH(self->keys + j);
        }
        if (v != 4 && v != 6) {
            bad = r;
            break;
        }
        uint8_t c = ctrl128(h, v);
        size_t j = home(h, self->slots);
        int found = 0;
        while (self->ctrl[j]) {
            if (self->ctrl[j] == c && self->keys[j].hi == hi[r] && self->keys[j].lo == lo[r]) {
                found = 1;
                break;
            }
            j = (j + 1 == self->slots) ? 0 : j + 1;
        }
        if (found) continue;
        if (self->count >= self->max_keys) {
            stop = r;
            break;
        }
        if ((size_t)(self->count + 1) * 4 > self->slots * 3) {
            /* small tables grow fourfold (fewer rehashes: each moves every key to a slot not
             * in cache), large ones twofold (bounded memory beyond the load factor) */
            size_t by = self->slots < QUICK_GROWTH ? 4 : 2;
            size_t grown = self->slots * by < self->limit ? self->slots * by : self->limit;
            if (set_resize(self, grown) < 0) {
                nomem = 1;
                break;
            }
            j = home(h, self->slots);
            while (self->ctrl[j]) j = (j + 1 == self->slots) ? 0 : j + 1;
        }
        self->ctrl[j] = c;
        self->keys[j].hi = hi[r];
        self->keys[j].lo = lo[r];
        self->count++;
    }
    Py_END_ALLOW_THREADS
    self->busy = 0;
    release(&bhi);
    release(&blo);
    release(&bver);
    if (nomem) return PyErr_NoMemory();
    if (bad >= 0) {
        PyErr_Format(PyExc_ValueError, "row %zd: version %d is neither 4 nor 6", bad, (int)ver[bad]);
        return NULL;
    }
    return PyLong_FromSsize_t(stop);
}

static inline void hll_update(uint8_t *registers, uint64_t h) {
    size_t index = (size_t)(h >> (64 - HLL_BITS));
    uint64_t rest = h & ((1ULL << (64 - HLL_BITS)) - 1);
    /* the position of the first 1 bit in the 50 bits below the index, 51 when all are 0 */
    uint8_t rank = rest ? (uint8_t)(__builtin_clzll(rest) - HLL_BITS + 1) : (uint8_t)(64 - HLL_BITS + 1);
    if (rank > registers[index]) registers[index] = rank;
}

static int get_registers(PyObject *obj, Buf *b) {
    if (get_buffer(obj, b, &(Spec){1, "B", 1, "registers"}) < 0) return -1;
    if (items(b) != HLL_SIZE) {
        PyErr_Format(PyExc_ValueError, "registers: expected %d bytes", HLL_SIZE);
        release(b);
        return -1;
    }
    return 0;
}

/* sketch(registers): fold every key into the HyperLogLog registers */
static PyObject *Set128_sketch(Set128 *self, PyObject *obj) {
    if (unusable(self->ctrl, self->busy)) return NULL;
    Buf breg;
    if (get_registers(obj, &breg) < 0) return NULL;
    uint8_t *registers = breg.view.buf;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    for (size_t i = 0; i < self->slots; i++) {
        if (!self->ctrl[i]) continue;
        uint8_t version = (self->ctrl[i] & 0x40) ? 4 : 6;
        hll_update(registers, hash128(self->keys[i].hi, self->keys[i].lo, version));
    }
    Py_END_ALLOW_THREADS
    self->busy = 0;
    release(&breg);
    Py_RETURN_NONE;
}

static Py_ssize_t Set128_len(Set128 *self) { return self->count; }

static PyObject *Set128_nbytes(Set128 *self, void *Py_UNUSED(closure)) {
    return PyLong_FromSize_t(self->slots * SLOT_BYTES);
}

static PyMethodDef Set128_methods[] = {
    {"add", (PyCFunction)Set128_add, METH_VARARGS,
     "add(hi, lo, version) -> -1, or the first row that did not fit"},
    {"sketch", (PyCFunction)Set128_sketch, METH_O,
     "sketch(registers): every key into HyperLogLog registers"},
    {NULL}};

static PyGetSetDef Set128_getset[] = {
    {"nbytes", (getter)Set128_nbytes, NULL, "bytes the table holds", NULL}, {NULL}};

static PySequenceMethods Set128_seq = {.sq_length = (lenfunc)Set128_len};

static PyTypeObject Set128Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "dualstack.bulk._agg.Set128",
    .tp_doc = "Set128(max_keys): exact distinct (hi, lo, version) keys, at most max_keys",
    .tp_basicsize = sizeof(Set128),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Set128_init,
    .tp_dealloc = (destructor)Set128_dealloc,
    .tp_methods = Set128_methods,
    .tp_getset = Set128_getset,
    .tp_as_sequence = &Set128_seq,
};

/* ------------------------------------------------------------------ Counter64 */

typedef struct {
    uint64_t key;
    int64_t count;
} Entry;

typedef struct {
    PyObject_HEAD
    uint8_t *ctrl;
    Entry *entries;
    size_t slots;
    size_t limit;
    Py_ssize_t count;
    Py_ssize_t max_keys;
    int busy;
} Counter64;

static inline uint8_t ctrl64(uint64_t h) { return (uint8_t)(0x80 | (h & 0x7F)); }

static int counter_resize(Counter64 *s, size_t slots) {
    uint8_t *ctrl = PyMem_RawCalloc(slots, 1);
    Entry *entries = PyMem_RawMalloc(slots * sizeof(Entry));
    if (ctrl == NULL || entries == NULL) {
        PyMem_RawFree(ctrl);
        PyMem_RawFree(entries);
        return -1;
    }
    for (size_t i = 0; i < s->slots; i++) {
        if (!s->ctrl[i]) continue;
        size_t j = home(mix(s->entries[i].key), slots);
        while (ctrl[j]) j = (j + 1 == slots) ? 0 : j + 1;
        ctrl[j] = s->ctrl[i];
        entries[j] = s->entries[i];
    }
    PyMem_RawFree(s->ctrl);
    PyMem_RawFree(s->entries);
    s->ctrl = ctrl;
    s->entries = entries;
    s->slots = slots;
    return 0;
}

static int Counter64_init(Counter64 *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"max_keys", NULL};
    Py_ssize_t max_keys;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "n", kwlist, &max_keys)) return -1;
    if (max_keys < 0 || (size_t)max_keys > ((size_t)PY_SSIZE_T_MAX / SLOT_BYTES) / 2) {
        PyErr_SetString(PyExc_ValueError, "max_keys out of range");
        return -1;
    }
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "the table is in use by another thread");
        return -1;
    }
    PyMem_RawFree(self->ctrl);
    PyMem_RawFree(self->entries);
    self->ctrl = NULL;
    self->entries = NULL;
    self->slots = 0;
    self->count = 0;
    self->max_keys = max_keys;
    self->limit = limit_slots(max_keys);
    size_t first = self->limit < FIRST_SLOTS ? self->limit : FIRST_SLOTS;
    if (counter_resize(self, first) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void Counter64_dealloc(Counter64 *self) {
    PyMem_RawFree(self->ctrl);
    PyMem_RawFree(self->entries);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* add(keys[, counts]) -> -1, or the first row whose key would be key max_keys + 1 */
static PyObject *Counter64_add(Counter64 *self, PyObject *args) {
    PyObject *okeys, *ocounts = Py_None;
    if (!PyArg_ParseTuple(args, "O|O", &okeys, &ocounts)) return NULL;
    if (unusable(self->ctrl, self->busy)) return NULL;
    Buf bkeys, bcounts = {.held = 0};
    if (get_buffer(okeys, &bkeys, &(Spec){8, "QL", 0, "keys"}) < 0) return NULL;
    Py_ssize_t n = items(&bkeys);
    const int64_t *counts = NULL;
    if (ocounts != Py_None) {
        if (get_buffer(ocounts, &bcounts, &(Spec){8, "ql", 0, "counts"}) < 0) {
            release(&bkeys);
            return NULL;
        }
        if (items(&bcounts) != n) {
            release(&bkeys);
            release(&bcounts);
            PyErr_SetString(PyExc_ValueError, "keys and counts differ in length");
            return NULL;
        }
        counts = bcounts.view.buf;
    }
    const uint64_t *keys = bkeys.view.buf;
    Py_ssize_t stop = -1;
    int nomem = 0;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n; r++) {
        uint64_t k = keys[r];
        int64_t add = counts ? counts[r] : 1;
        uint64_t h = mix(k);
        uint8_t c = ctrl64(h);
        size_t j = home(h, self->slots);
        int found = 0;
        while (self->ctrl[j]) {
            if (self->ctrl[j] == c && self->entries[j].key == k) {
                found = 1;
                break;
            }
            j = (j + 1 == self->slots) ? 0 : j + 1;
        }
        if (found) {
            self->entries[j].count += add;
            continue;
        }
        if (self->count >= self->max_keys) {
            stop = r;
            break;
        }
        if ((size_t)(self->count + 1) * 4 > self->slots * 3) {
            size_t grown = self->slots * 2 < self->limit ? self->slots * 2 : self->limit;
            if (counter_resize(self, grown) < 0) {
                nomem = 1;
                break;
            }
            j = home(h, self->slots);
            while (self->ctrl[j]) j = (j + 1 == self->slots) ? 0 : j + 1;
        }
        self->ctrl[j] = c;
        self->entries[j].key = k;
        self->entries[j].count = add;
        self->count++;
    }
    Py_END_ALLOW_THREADS
    self->busy = 0;
    release(&bkeys);
    release(&bcounts);
    if (nomem) return PyErr_NoMemory();
    return PyLong_FromSsize_t(stop);
}

/* export(keys_out, counts_out): every key and its count, in table order */
static PyObject *Counter64_export(Counter64 *self, PyObject *args) {
    PyObject *okeys, *ocounts;
    if (!PyArg_ParseTuple(args, "OO", &okeys, &ocounts)) return NULL;
    if (unusable(self->ctrl, self->busy)) return NULL;
    Buf bkeys, bcounts;
    if (get_buffer(okeys, &bkeys, &(Spec){8, "QL", 1, "keys_out"}) < 0) return NULL;
    if (get_buffer(ocounts, &bcounts, &(Spec){8, "ql", 1, "counts_out"}) < 0) {
        release(&bkeys);
        return NULL;
    }
    if (items(&bkeys) != self->count || items(&bcounts) != self->count) {
        release(&bkeys);
        release(&bcounts);
        PyErr_SetString(PyExc_ValueError, "keys_out and counts_out must have len(counter) items");
        return NULL;
    }
    uint64_t *keys = bkeys.view.buf;
    int64_t *counts = bcounts.view.buf;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    size_t out = 0;
    for (size_t i = 0; i < self->slots; i++) {
        if (!self->ctrl[i]) continue;
        keys[out] = self->entries[i].key;
        counts[out] = self->entries[i].count;
        out++;
    }
    Py_END_ALLOW_THREADS
    self->busy = 0;
    release(&bkeys);
    release(&bcounts);
    Py_RETURN_NONE;
}

/* Whether a ranks below b: a smaller count, or the same count and a larger key. */
static inline int below(const Entry *a, const Entry *b) {
    return a->count < b->count || (a->count == b->count && a->key > b->key);
}

/* Keep the k best entries seen in a heap whose root is the lowest of them. */
static void heap_offer(Entry *heap, Py_ssize_t *size, Py_ssize_t k, Entry e) {
    Py_ssize_t i;
    if (*size < k) {
        i = (*size)++;
        while (i > 0 && below(&e, &heap[(i - 1) / 2])) {
            heap[i] = heap[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        heap[i] = e;
        return;
    }
    if (k == 0 || !below(&heap[0], &e)) return;
    i = 0;
    for (;;) {
        Py_ssize_t c = 2 * i + 1;
        if (c >= k) break;
        if (c + 1 < k && below(&heap[c + 1], &heap[c])) c++;
        if (!below(&heap[c], &e)) break;
        heap[i] = heap[c];
        i = c;
    }
    heap[i] = e;
}

static int best_first(const void *a, const void *b) {
    const Entry *x = a, *y = b;
    return below(y, x) ? -1 : below(x, y) ? 1 : 0;
}

/* top(k, shift=0) -> [(key, count), ...]: the k largest counts, largest first, ties by the
 * smaller key, after summing the counts of keys equal once shifted right by `shift` bits
 * (e.g. /64 keys into /56s with shift 8). */
static PyObject *Counter64_top(Counter64 *self, PyObject *args) {
    Py_ssize_t k;
    int shift = 0;
    if (!PyArg_ParseTuple(args, "n|i", &k, &shift)) return NULL;
    if (k < 0 || shift < 0 || shift > 63) {
        PyErr_SetString(PyExc_ValueError, "top: k must be >= 0 and shift in 0..63");
        return NULL;
    }
    if (unusable(self->ctrl, self->busy)) return NULL;
    if (k > self->count) k = self->count;
    Entry *heap = PyMem_RawMalloc((size_t)(k > 0 ? k : 1) * sizeof(Entry));
    if (heap == NULL) return PyErr_NoMemory();
    Entry *folded = NULL;
    uint8_t *used = NULL;
    size_t fslots = 1;
    if (shift) { /* a scratch table of the shifted keys, at most half full */
        while (fslots < (size_t)self->count * 2) fslots <<= 1;
        folded = PyMem_RawMalloc(fslots * sizeof(Entry));
        used = PyMem_RawCalloc(fslots, 1);
        if (folded == NULL || used == NULL) {
            PyMem_RawFree(heap);
            PyMem_RawFree(folded);
            PyMem_RawFree(used);
            return PyErr_NoMemory();
        }
    }
    Py_ssize_t size = 0;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    if (!shift) {
        for (size_t i = 0; i < self->slots; i++)
            if (self->ctrl[i]) heap_offer(heap, &size, k, self->entries[i]);
    } else {
        for (size_t i = 0; i < self->slots; i++) {
            if (!self->ctrl[i]) continue;
            uint64_t key = self->entries[i].key >> shift;
            size_t j = (size_t)(mix(key) & (fslots - 1));
            while (used[j] && folded[j].key != key) j = (j + 1) & (fslots - 1);
            if (used[j]) {
                folded[j].count += self->entries[i].count;
            } else {
                used[j] = 1;
                folded[j].key = key;
                folded[j].count = self->entries[i].count;
            }
        }
        for (size_t j = 0; j < fslots; j++)
            if (used[j]) heap_offer(heap, &size, k, folded[j]);
    }
    qsort(heap, (size_t)size, sizeof(Entry), best_first);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    PyMem_RawFree(folded);
    PyMem_RawFree(used);
    PyObject *out = PyList_New(size);
    for (Py_ssize_t i = 0; out != NULL && i < size; i++) {
        PyObject *pair = Py_BuildValue("(KL)", (unsigned long long)heap[i].key,
                                       (long long)heap[i].count);
        if (pair == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, i, pair);
    }
    PyMem_RawFree(heap);
    return out;
}

static Py_ssize_t Counter64_len(Counter64 *self) { return self->count; }

static PyObject *Counter64_nbytes(Counter64 *self, void *Py_UNUSED(closure)) {
    return PyLong_FromSize_t(self->slots * SLOT_BYTES);
}

static PyMethodDef Counter64_methods[] = {
    {"add", (PyCFunction)Counter64_add, METH_VARARGS,
     "add(keys[, counts]) -> -1, or the first row that did not fit"},
    {"export", (PyCFunction)Counter64_export, METH_VARARGS,
     "export(keys_out, counts_out): every key and its count"},
    {"top", (PyCFunction)Counter64_top, METH_VARARGS,
     "top(k, shift=0) -> [(key, count)]: the k largest counts of the keys shifted right"},
    {NULL}};

static PyGetSetDef Counter64_getset[] = {
    {"nbytes", (getter)Counter64_nbytes, NULL, "bytes the table holds", NULL}, {NULL}};

static PySequenceMethods Counter64_seq = {.sq_length = (lenfunc)Counter64_len};

static PyTypeObject Counter64Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "dualstack.bulk._agg.Counter64",
    .tp_doc = "Counter64(max_keys): uint64 key -> int64 count, at most max_keys keys",
    .tp_basicsize = sizeof(Counter64),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Counter64_init,
    .tp_dealloc = (destructor)Counter64_dealloc,
    .tp_methods = Counter64_methods,
    .tp_getset = Counter64_getset,
    .tp_as_sequence = &Counter64_seq,
};

/* ------------------------------------------------------------------ module */

static PyObject *hll_add(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *oreg, *ohi, *olo, *over;
    if (!PyArg_ParseTuple(args, "OOOO", &oreg, &ohi, &olo, &over)) return NULL;
    Buf breg, bhi, blo, bver;
    if (get_registers(oreg, &breg) < 0) return NULL;
    if (get_buffer(ohi, &bhi, &(Spec){8, "QL", 0, "hi"}) < 0) {
        release(&breg);
        return NULL;
    }
    if (get_buffer(olo, &blo, &(Spec){8, "QL", 0, "lo"}) < 0) {
        release(&breg);
        release(&bhi);
        return NULL;
    }
    if (get_buffer(over, &bver, &(Spec){1, "Bc", 0, "version"}) < 0) {
        release(&breg);
        release(&bhi);
        release(&blo);
        return NULL;
    }
    Py_ssize_t n = items(&bhi);
    if (items(&blo) != n || items(&bver) != n) {
        release(&breg);
        release(&bhi);
        release(&blo);
        release(&bver);
        PyErr_SetString(PyExc_ValueError, "hi, lo and version differ in length");
        return NULL;
    }
    uint8_t *registers = breg.view.buf;
    const uint64_t *hi = bhi.view.buf, *lo = blo.view.buf;
    const uint8_t *ver = bver.view.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n; r++) hll_update(registers, hash128(hi[r], lo[r], ver[r]));
    Py_END_ALLOW_THREADS
    release(&breg);
    release(&bhi);
    release(&blo);
    release(&bver);
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"hll_add", hll_add, METH_VARARGS,
     "hll_add(registers, hi, lo, version): rows into HyperLogLog registers (2^14 bytes)"},
    {NULL}};

static struct PyModuleDef agg_module = {
    PyModuleDef_HEAD_INIT, .m_name = "dualstack.bulk._agg",
    .m_doc = "Exact aggregation for bulk stats (see dualstack.bulk.agg).", .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__agg(void) {
    if (PyType_Ready(&Set128Type) < 0 || PyType_Ready(&Counter64Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&agg_module);
    if (m == NULL) return NULL;
    if (PyModule_AddIntConstant(m, "SLOT_BYTES", SLOT_BYTES) < 0 ||
        PyModule_AddIntConstant(m, "HLL_BITS", HLL_BITS) < 0 ||
        PyModule_AddObjectRef(m, "Set128", (PyObject *)&Set128Type) < 0 ||
        PyModule_AddObjectRef(m, "Counter64", (PyObject *)&Counter64Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
