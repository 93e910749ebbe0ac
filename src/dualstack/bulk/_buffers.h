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

/* A column a kernel malloc'd, owned by a Python object that frees it and shows it as read-only
 * bytes through the buffer protocol (cast the memoryview to the item type): a block's columns
 * reach Python without being copied into bytes objects. */
typedef struct {
    PyObject_HEAD
    void *data;
    Py_ssize_t len;
} Owned;

static void owned_dealloc(Owned *self) {
    free(self->data);
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

/* `data` (from malloc, `len` bytes used; NULL for none) as an Owned object, its allocation cut
 * to `len` first. The object frees it; on failure it is freed here and NULL returned with an
 * exception set. */
static PyObject *owned(void *data, Py_ssize_t len) {
    if (data != NULL && len > 0) {
        void *cut = realloc(data, (size_t)len);
        if (cut != NULL) data = cut;
    }
    Owned *o = PyType_Ready(&OwnedType) < 0 ? NULL : PyObject_New(Owned, &OwnedType);
    if (o == NULL) {
        free(data);
        return NULL;
    }
    o->data = data;
    o->len = data != NULL ? len : 0;
    return (PyObject *)o;
}
#endif

#endif
