/* Buffers from Python for the bulk kernels (_agg.c, _classify.c, _jsonl.c): each argument is
 * taken as a C-contiguous 1-D buffer whose item size and struct code are checked, so a kernel
 * never reads an array as something it is not. Included by each kernel's single source file. */

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

#endif
