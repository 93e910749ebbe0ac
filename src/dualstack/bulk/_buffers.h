/* Buffers between Python and the bulk kernels (_agg.c, _classify.c, _jsonl.c, _scan.c): each
 * argument is taken as a C-contiguous 1-D buffer whose item size and struct code are checked,
 * so a kernel never reads an array as something it is not; and (with DUALSTACK_OWNED defined)
 * a column a kernel malloc'd goes back to Python without a copy. Included by each kernel's
 * single source file. */

#ifndef DUALSTACK_BUFFERS_H
#define DUALSTACK_BUFFERS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

typedef struct {
    Py_buffer view;
    int held;
} Buf;

/* What an argument must be: item size, accepted struct codes, writable, its name in errors. */
typedef struct {
    Py_ssize_t itemsize;
    const char *kinds;
    int writable;
    const char *name;
} Spec;

static inline void release(Buf *b) {
    if (b->held) {
        PyBuffer_Release(&b->view);
        b->held = 0;
    }
}

static inline void release_all(Buf *bufs, int count) {
    for (int i = 0; i < count; i++) release(&bufs[i]);
}

/* `obj` as `spec` says (a native byte-order prefix is accepted), or -1 with TypeError. */
static inline int get_buffer(PyObject *obj, Buf *b, const Spec *spec) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (spec->writable ? PyBUF_WRITABLE : 0);
    b->held = 0;
    if (PyObject_GetBuffer(obj, &b->view, flags) < 0) return -1;
    b->held = 1;
    const char *format = b->view.format ? b->view.format : "B";
    if (*format == '@' || *format == '=') format++;
#if PY_LITTLE_ENDIAN
    else if (*format == '<') format++;
#else
    else if (*format == '>' || *format == '!') format++;
#endif
    if (b->view.ndim > 1 || b->view.itemsize != spec->itemsize || strlen(format) != 1 ||
        strchr(spec->kinds, *format) == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: expected a 1-D array of %zd-byte items ('%s'), got '%s'",
                     spec->name, spec->itemsize, spec->kinds, b->view.format ? b->view.format : "B");
        release(b);
        return -1;
    }
    return 0;
}

/* `count` buffers at once; on failure none is held. */
static inline int get_all(PyObject *const *objs, const Spec *specs, Buf *bufs, int count) {
    for (int i = 0; i < count; i++) bufs[i].held = 0;
    for (int i = 0; i < count; i++) {
        if (get_buffer(objs[i], &bufs[i], &specs[i]) < 0) {
            release_all(bufs, i);
            return -1;
        }
    }
    return 0;
}

static inline Py_ssize_t items(const Buf *b) { return b->view.len / b->view.itemsize; }

#ifdef DUALSTACK_OWNED
#include <stdlib.h>

#include "pythread.h"

/* Columns freed by Python are kept for the next block's (a few, of POOL_MIN bytes or more):
 * the memory a block touched is used again, neither handed back and faulted in anew nor left
 * in holes the allocator cannot return, so resident memory stays flat however long the
 * input. Safe without the GIL (a lock of its own). pool_init() once at module init. */
#define POOL_SIZE 24
#define POOL_MIN (64 << 10)
static struct {
    void *p;
    size_t cap;
} pool[POOL_SIZE];
static int pooled;
static PyThread_type_lock pool_lock;

static int pool_init(void) {
    if (pool_lock == NULL) pool_lock = PyThread_allocate_lock();
    return pool_lock != NULL ? 0 : -1;
}

/* At least `want` bytes (the capacity in *cap): the smallest pooled block that holds them,
 * else new memory; NULL when there is none. */
static inline void *column_alloc(size_t want, size_t *cap) {
    if (want >= POOL_MIN && pool_lock != NULL) {
        PyThread_acquire_lock(pool_lock, WAIT_LOCK);
        int best = -1;
        for (int i = 0; i < pooled; i++)
            if (pool[i].cap >= want && (best < 0 || pool[i].cap < pool[best].cap)) best = i;
        void *p = NULL;
        if (best >= 0) {
            p = pool[best].p;
            *cap = pool[best].cap;
            pool[best] = pool[--pooled];
        }
        PyThread_release_lock(pool_lock);
        if (p != NULL) return p;
    }
    *cap = want;
    return malloc(want > 0 ? want : 1);
}

/* Memory from column_alloc (or malloc) with `cap` bytes of room: kept, or freed. */
static inline void column_free(void *p, size_t cap) {
    if (p != NULL && cap >= POOL_MIN && pool_lock != NULL) {
        PyThread_acquire_lock(pool_lock, WAIT_LOCK);
        int kept = pooled < POOL_SIZE;
        if (kept) {
            pool[pooled].p = p;
            pool[pooled++].cap = cap;
        }
        PyThread_release_lock(pool_lock);
        if (kept) return;
    }
    free(p);
}

/* A column a kernel allocated, owned by a Python object that gives it back (column_free) and
 * shows it as read-only bytes through the buffer protocol (cast the memoryview to the item
 * type): a block's columns reach Python without being copied into bytes objects. */
typedef struct {
    PyObject_HEAD
    void *data;
    Py_ssize_t len;
    size_t cap;
} Owned;

static void owned_dealloc(Owned *self) {
    column_free(self->data, self->cap);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int owned_getbuffer(Owned *self, Py_buffer *view, int flags) {
    static char none[1];
    return PyBuffer_FillInfo(view, (PyObject *)self, self->data ? self->data : none, self->len, 1,
                             flags);
}

static PyBufferProcs owned_as_buffer = {.bf_getbuffer = (getbufferproc)owned_getbuffer};

static PyTypeObject OwnedType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "dualstack.bulk.Owned",
    .tp_doc = "a kernel's column, read-only bytes through the buffer protocol",
    .tp_basicsize = sizeof(Owned),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)owned_dealloc,
    .tp_as_buffer = &owned_as_buffer,
};

/* `data` (`len` bytes used of `cap`; NULL for none) as an Owned object, which gives it back.
 * On failure it is given back here and NULL returned with an exception set. */
static PyObject *owned(void *data, Py_ssize_t len, size_t cap) {
    Owned *o = PyType_Ready(&OwnedType) < 0 ? NULL : PyObject_New(Owned, &OwnedType);
    if (o == NULL) {
        column_free(data, cap);
        return NULL;
    }
    o->data = data;
    o->len = data != NULL ? len : 0;
    o->cap = cap;
    return (PyObject *)o;
}
#endif

#endif
