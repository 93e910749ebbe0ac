/* dualstack.bulk._classify: the classification of dualstack.bulk.classify, one row at a time
 * in C, and the fixed counts of `bulk stats` over it.
 *
 * Only dualstack/bulk/compiled.py imports this module. Every fact the rules test against
 * (registry entries, NAT64 and 6rd prefixes, well-known multicast groups, service ports, the
 * named IPv6 blocks) comes in from Python as tables, built from dualstack.addr; the code here
 * holds only the shape of the rules, restated from classify.py line for line. The names of
 * the codes are exported (TOKENS, SCOPES, IID_CLASSES, SUBTYPES, ROLES) and compiled.py checks
 * them against Python's before it uses the module.
 *
 *   classify(tables, hi, lo, version, types, scope, iid, subtype, iid_ipv4, iid_port, roles,
 *            nat64, sixrd, registry)
 *       Fills the ten writable output columns (uint64, int8, int8, int8, uint32, int32, uint8,
 *       uint8, uint8, int16) for every row; rows of a version other than 4 or 6 get the
 *       "nothing" values (0, or -1 for iid, subtype, iid_port and registry).
 *
 *   tally(tables, hi, lo, version, split_ouis, counts)
 *       Classifies every row of version 4 or 6 as classify() does, without the registry walk
 *       (the entry is not counted; an IPv4 row looks its entry up only to tell
 *       special-purpose from global) and without columns: the codes go straight into counts and adds it to counts (int64:
 *       per family, then types and scopes per family, IID classes, roles; layout in
 *       compiled.py). Returns bytes columns: (hi, lo, version) of those rows (three Nones
 *       when every row is one), the /64 keys of unicast IPv6 rows, and the vendor keys of
 *       EUI-64 IIDs, split in two: OUIs IEEE did not subdivide (the /24 followed by 12 zero
 *       bits) and those it did (the MAC's first 36 bits; split_ouis: sorted uint32).
 *
 *   split_ouis(manuf)
 *       The /24s of Wireshark's manuf file (bytes) that IEEE split into MA-M or MA-S blocks:
 *       sorted distinct uint32 as bytes, the split_ouis argument above.
 *
 * The tables tuple: reg4 nets, reg4 not-global flags, reg6 nets, NAT64 nets, NAT64 short
 * flags (prefix shorter than /96), 6rd nets, well-known groups, named nets, named tokens,
 * ports (int32[65536]), decimal (int16[65536]), multicast scopes (int8[16]). A "nets" table is
 * uint64 quadruples (hi, lo, hi mask, lo mask): a row is inside when its value masked equals
 * the masked value (IPv4 values sit in lo).
 *
 * Every buffer is checked for shape and length; the GIL is released while rows are worked. */

#include <stdint.h>
#include <stdlib.h>

#define DUALSTACK_OWNED
#include "_buffers.h"
#include "_scanner.h"

/* ------------------------------------------------------------------ names (Python's order) */

enum {
    T_UNSPECIFIED, T_LOOPBACK, T_MAPPED, T_COMPATIBLE, T_BROADCAST, T_THIS_NETWORK, T_MULTICAST,
    T_SOLICITED, T_PREFIX_BASED, T_EMBEDDED_RP, T_SSM, T_WELL_KNOWN, T_UNICAST, T_LINK_LOCAL,
    T_SITE_LOCAL, T_ULA, T_GLOBAL, T_RESERVED, T_PRIVATE, T_SHARED, T_SPECIAL, T_DOC, T_BENCH,
    T_DISCARD, T_ORCHID, T_SRV6, T_RELAY, T_6TO4, T_TEREDO, T_NAT64, T_6RD, T_ISATAP, T_EUI64,
    T_ANYCAST, N_TOKENS
};
static const char *TOKEN_NAMES[N_TOKENS] = {
    "unspecified", "loopback", "ipv4-mapped", "ipv4-compatible", "broadcast", "this-network",
    "multicast", "solicited-node", "unicast-prefix-based", "embedded-rp", "source-specific",
    "well-known", "unicast", "link-local", "site-local", "unique-local", "global-unicast",
    "reserved", "private", "shared", "special-purpose", "documentation", "benchmarking",
    "discard", "orchid", "srv6-sid", "6to4-relay-anycast", "6to4", "teredo", "nat64", "6rd",
    "isatap", "eui64", "subnet-router-anycast"};

enum { S_UNSPECIFIED, S_INTERFACE, S_LINK, S_REALM, S_ADMIN, S_SITE, S_ORG, S_GLOBAL, N_SCOPES = 10 };
static const char *SCOPE_NAMES[N_SCOPES] = {
    "unspecified", "interface-local", "link-local", "realm-local", "admin-local",
    "site-local", "organization-local", "global", "reserved", "unassigned"};

enum { I_TEREDO, I_IEEE, I_ISATAP, I_EMB4, I_PORT, I_LOW, I_ZERO, I_BYTES, I_RANDOM, N_IID };
static const char *IID_NAMES[N_IID] = {"teredo", "ieee-derived", "isatap",
                                       "embedded-ipv4", "embedded-port", "low-byte",
                                       "zero", "byte-pattern", "randomized"};

enum { SUB_32, SUB_64, SUB_FWD, SUB_REV, N_SUB };
static const char *SUB_NAMES[N_SUB] = {"embedded-ipv4-32", "embedded-ipv4-64", "port-fwd",
                                       "port-rev"};

enum { R_6TO4, R_TEREDO, R_NAT64, R_6RD, R_ISATAP, R_MAPPED, R_COMPATIBLE, N_ROLES };
static const char *ROLE_NAMES[N_ROLES] = {"6to4", "teredo", "nat64", "6rd",
                                          "isatap", "ipv4-mapped", "ipv4-compatible"};

#define BIT(t) ((uint64_t)1 << (t))
#define ROLE(r) ((uint8_t)(1u << (r)))

/* counts layout: family (2), types per family (2 * N_TOKENS), scopes per family
 * (2 * N_SCOPES), IID classes, roles */
#define C_TYPES 2
#define C_SCOPES (C_TYPES + 2 * N_TOKENS)
#define C_IID (C_SCOPES + 2 * N_SCOPES)
#define C_ROLES (C_IID + N_IID)
#define N_COUNTS (C_ROLES + N_ROLES)

/* ------------------------------------------------------------------ tables */

typedef struct {
    const uint64_t *q; /* quadruples */
    Py_ssize_t n;
} Nets;

enum {
    TB_REG4, TB_REG4_NG, TB_REG6, TB_NAT64, TB_NAT64_SHORT, TB_SIXRD, TB_KNOWN, TB_NAMED,
    TB_NAMED_TOKEN, TB_PORTS, TB_DECIMAL, TB_MSCOPE, N_TABLES
};

typedef struct {
    Nets reg4, reg6, nat64, sixrd, known, named;
    const uint8_t *reg4_ng, *nat64_short, *named_token;
    const int32_t *ports;
    const int16_t *decimal;
    const int8_t *mscope;
} Tables;

static const Spec TABLE_SPECS[N_TABLES] = {
    {8, "QL", 0, "reg4"},     {1, "Bc?", 0, "reg4_not_global"}, {8, "QL", 0, "reg6"},
    {8, "QL", 0, "nat64"},    {1, "Bc?", 0, "nat64_short"},     {8, "QL", 0, "sixrd"},
    {8, "QL", 0, "known"},    {8, "QL", 0, "named"},            {1, "B", 0, "named_token"},
    {4, "i", 0, "ports"},     {2, "h", 0, "decimal"},           {1, "b", 0, "mscope"}};

static int nets_of(const Buf *b, Nets *out, const char *name) {
    if (items(b) % 4) {
        PyErr_Format(PyExc_ValueError, "%s: not a whole number of quadruples", name);
        return -1;
    }
    out->q = b->view.buf;
    out->n = items(b) / 4;
    return 0;
}

static int tables_of(PyObject *tuple, Buf *bufs, Tables *t) {
    if (!PyTuple_Check(tuple) || PyTuple_GET_SIZE(tuple) != N_TABLES) {
        PyErr_Format(PyExc_TypeError, "tables: expected a tuple of %d buffers", N_TABLES);
        return -1;
    }
    PyObject *objs[N_TABLES];
    for (int i = 0; i < N_TABLES; i++) objs[i] = PyTuple_GET_ITEM(tuple, i);
    if (get_all(objs, TABLE_SPECS, bufs, N_TABLES) < 0) return -1;
    if (nets_of(&bufs[TB_REG4], &t->reg4, "reg4") < 0 || nets_of(&bufs[TB_REG6], &t->reg6, "reg6") < 0 ||
        nets_of(&bufs[TB_NAT64], &t->nat64, "nat64") < 0 ||
        nets_of(&bufs[TB_SIXRD], &t->sixrd, "sixrd") < 0 ||
        nets_of(&bufs[TB_KNOWN], &t->known, "known") < 0 ||
        nets_of(&bufs[TB_NAMED], &t->named, "named") < 0)
        goto fail;
    if (items(&bufs[TB_REG4_NG]) != t->reg4.n || items(&bufs[TB_NAT64_SHORT]) != t->nat64.n ||
        items(&bufs[TB_NAMED_TOKEN]) != t->named.n || items(&bufs[TB_PORTS]) != 65536 ||
        items(&bufs[TB_DECIMAL]) != 65536 || items(&bufs[TB_MSCOPE]) != 16 || t->nat64.n > 8 ||
        t->sixrd.n > 8) {
        PyErr_SetString(PyExc_ValueError, "tables: a table has the wrong length");
        goto fail;
    }
    t->reg4_ng = bufs[TB_REG4_NG].view.buf;
    t->nat64_short = bufs[TB_NAT64_SHORT].view.buf;
    t->named_token = bufs[TB_NAMED_TOKEN].view.buf;
    for (Py_ssize_t i = 0; i < t->named.n; i++) {
        if (t->named_token[i] >= N_TOKENS) {
            PyErr_SetString(PyExc_ValueError, "tables: a named token is out of range");
            goto fail;
        }
    }
    t->ports = bufs[TB_PORTS].view.buf;
    t->decimal = bufs[TB_DECIMAL].view.buf;
    t->mscope = bufs[TB_MSCOPE].view.buf;
    for (int i = 0; i < 16; i++) {
        if (t->mscope[i] < 0 || t->mscope[i] >= N_SCOPES) {
            PyErr_SetString(PyExc_ValueError, "tables: a multicast scope is out of range");
            goto fail;
        }
    }
    return 0;
fail:
    release_all(bufs, N_TABLES);
    return -1;
}

static inline int inside(const uint64_t *q, uint64_t hi, uint64_t lo) {
    return (hi & q[2]) == (q[0] & q[2]) && (lo & q[3]) == (q[1] & q[3]);
}

/* the first net holding the row (the most specific: Python orders them so), or -1 */
static inline Py_ssize_t first_inside(const Nets *nets, uint64_t hi, uint64_t lo) {
    for (Py_ssize_t i = 0; i < nets->n; i++)
        if (inside(nets->q + 4 * i, hi, lo)) return i;
    return -1;
}

/* ------------------------------------------------------------------ rules */

typedef struct {
    uint64_t types;
    int8_t scope, iid, subtype;
    uint32_t iid_ipv4;
    int32_t port;
    uint8_t roles, nat64, sixrd;
    int16_t registry;
} Row;

static int8_t ipv4_scope(uint32_t v) {
    if (v == 0) return S_UNSPECIFIED;
    if ((v >> 24) == 127) return S_INTERFACE;
    if ((v >> 16) == 0xA9FE || (v >> 8) == 0xE00000) return S_LINK;
    if ((v >> 24) == 239) return S_ORG;
    return S_GLOBAL;
}

static void classify_ipv4(const Tables *t, uint64_t lo, int full, Row *r) {
    uint32_t v = (uint32_t)lo;
    uint32_t first = v >> 24;
    Py_ssize_t reg = full ? first_inside(&t->reg4, 0, lo) : -2; /* -2: not looked up yet */
    if (full) r->registry = (int16_t)reg;
    uint64_t ty = 0;
    int special = v == 0 || v == 0xFFFFFFFFu || first == 0 || first == 127 || (v >> 28) >= 0xE;
    if (v == 0) ty |= BIT(T_UNSPECIFIED);
    if (v == 0xFFFFFFFFu) ty |= BIT(T_BROADCAST);
    if (first == 0 && v != 0) ty |= BIT(T_THIS_NETWORK);
    if (first == 127) ty |= BIT(T_LOOPBACK) | BIT(T_UNICAST);
    if ((v >> 28) == 0xE) ty |= BIT(T_MULTICAST);
    if ((v >> 28) == 0xF && v != 0xFFFFFFFFu) ty |= BIT(T_RESERVED);
    if (!special) {
        int link = (v >> 16) == 0xA9FE;
        int private = first == 10 || (v >> 20) == 0xAC1 || (v >> 16) == 0xC0A8;
        int shared = (v >> 22) == (0x64400000u >> 22);
        ty |= BIT(T_UNICAST);
        if (link)
            ty |= BIT(T_LINK_LOCAL);
        else if (private)
            ty |= BIT(T_PRIVATE);
        else if (shared)
            ty |= BIT(T_SHARED);
        else if ((reg = reg == -2 ? first_inside(&t->reg4, 0, lo) : reg) >= 0 && t->reg4_ng[reg])
            ty |= BIT(T_SPECIAL);
        else
            ty |= BIT(T_GLOBAL);
        uint32_t c = v >> 8;
        if (c == 0xC00002 || c == 0xC63364 || c == 0xCB0071) ty |= BIT(T_DOC);
        if ((v >> 17) == (0xC6120000u >> 17)) ty |= BIT(T_BENCH);
        if (c == 0xC05863) ty |= BIT(T_RELAY);
    }
    r->types = ty;
    r->scope = ipv4_scope(v);
}

/* the IID class rules of dualstack.addr.iid, first match wins */
static void classify_iid(const Tables *t, uint64_t hi, uint64_t lo, Row *r) {
    uint32_t high = (uint32_t)(lo >> 32), low = (uint32_t)lo;
    if ((hi >> 32) == 0x20010000u) {
        r->iid = I_TEREDO;
        return;
    }
    if (((lo >> 24) & 0xFFFF) == 0xFFFE) {
        r->iid = I_IEEE;
        return;
    }
    if ((high & 0xFCFFFFFFu) == 0x5EFE) {
        r->iid = I_ISATAP;
        r->iid_ipv4 = low;
        return;
    }
    if (lo == 0) {
        r->iid = I_ZERO;
        return;
    }
    if (high == 0 && (low >> 24) != 0 && (low & 0xFFFF) != 0) {
        r->iid = I_EMB4;
        r->iid_ipv4 = low;
        r->subtype = SUB_32;
        return;
    }
    int small = high == 0 && (low >> 24) == 0;
    if (small) {
        int32_t forward = t->ports[low & 0xFFFF];
        if (forward >= 0) {
            r->iid = I_PORT;
            r->port = forward;
            r->subtype = SUB_FWD;
            return;
        }
        int32_t reverse = t->ports[(low >> 16) & 0xFFFF];
        if ((low & 0xFF00) == 0 && reverse >= 0) {
            r->iid = I_PORT;
            r->port = reverse;
            r->subtype = SUB_REV;
            return;
        }
        if ((low & 0xFFFF) != 0) {
            r->iid = I_LOW;
            return;
        }
    }
    int16_t o0 = t->decimal[(lo >> 48) & 0xFFFF], o1 = t->decimal[(lo >> 32) & 0xFFFF];
    int16_t o2 = t->decimal[(lo >> 16) & 0xFFFF], o3 = t->decimal[lo & 0xFFFF];
    if (o0 >= 0 && o1 >= 0 && o2 >= 0 && o3 >= 0 && (high >> 16) != 0) {
        r->iid = I_EMB4;
        r->iid_ipv4 = ((uint32_t)(o0 & 0xFF) << 24) | ((uint32_t)(o1 & 0xFF) << 16) |
                      ((uint32_t)(o2 & 0xFF) << 8) | (uint32_t)(o3 & 0xFF);
        r->subtype = SUB_64;
        return;
    }
    int zeros = 0;
    for (int s = 0; s < 64; s += 8) zeros += ((lo >> s) & 0xFF) == 0;
    r->iid = zeros > 2 ? I_BYTES : I_RANDOM;
}

static void classify_multicast(const Tables *t, uint64_t hi, uint64_t lo, Row *r) {
    uint64_t flags = (hi >> 52) & 0xF;
    int prefix_based = (flags & 2) != 0, rp = (flags & 4) != 0;
    uint64_t plen = (hi >> 32) & 0xFF;
    int low80 = (hi & 0xFFFFFFFFFFFFull) == 0 && (lo >> 32) == 0;
    r->types |= BIT(T_MULTICAST);
    if (hi == (0xFF02ull << 48) && (lo >> 24) == 0x1FF) r->types |= BIT(T_SOLICITED);
    if (prefix_based && !rp) r->types |= BIT(T_PREFIX_BASED);
    if (rp) r->types |= BIT(T_EMBEDDED_RP);
    if (prefix_based && plen == 0 && !rp && low80) r->types |= BIT(T_SSM);
    if (first_inside(&t->known, hi, lo) >= 0) r->types |= BIT(T_WELL_KNOWN);
    r->scope = t->mscope[(hi >> 48) & 0xF];
}

static void classify_ipv6(const Tables *t, uint64_t hi, uint64_t lo, int full, Row *r) {
    if (full) r->registry = (int16_t)first_inside(&t->reg6, hi, lo);
    int high96 = hi == 0 && (lo >> 32) == 0;
    int mapped = hi == 0 && (lo >> 32) == 0xFFFF;
    int mcast = (hi >> 56) == 0xFF;
    r->scope = mcast ? 0 : S_GLOBAL;
    if (high96) {
        if (lo == 0) {
            r->types = BIT(T_UNSPECIFIED);
            r->scope = S_UNSPECIFIED;
        } else if (lo == 1) {
            r->types = BIT(T_LOOPBACK) | BIT(T_UNICAST);
            r->scope = S_INTERFACE;
        } else {
            r->types = BIT(T_COMPATIBLE) | BIT(T_UNICAST);
            r->roles = ROLE(R_COMPATIBLE);
        }
        return;
    }
    if (mapped) {
        r->types = BIT(T_MAPPED) | BIT(T_UNICAST);
        r->roles = ROLE(R_MAPPED);
        r->scope = ipv4_scope((uint32_t)lo);
        return;
    }
    /* the rest: where the core looks for tunnels (multicast included) */
    int teredo = (hi >> 32) == 0x20010000u;
    if ((hi >> 48) == 0x2002) r->roles |= ROLE(R_6TO4);
    if (teredo) r->roles |= ROLE(R_TEREDO);
    for (Py_ssize_t i = 0; i < t->nat64.n; i++)
        if (inside(t->nat64.q + 4 * i, hi, lo) && (!t->nat64_short[i] || ((lo >> 56) & 0xFF) == 0))
            r->nat64 |= (uint8_t)(1u << i);
    if (r->nat64) r->roles |= ROLE(R_NAT64);
    for (Py_ssize_t i = 0; i < t->sixrd.n; i++)
        if (inside(t->sixrd.q + 4 * i, hi, lo)) r->sixrd |= (uint8_t)(1u << i);
    if (r->sixrd) r->roles |= ROLE(R_6RD);
    if (!teredo && ((lo >> 32) & 0xFCFFFFFFu) == 0x5EFE) r->roles |= ROLE(R_ISATAP);
    uint64_t top10 = hi >> 54;
    if (top10 == 0x3FA) r->scope = S_LINK;
    if (top10 == 0x3FB) r->scope = S_SITE;
    if (mcast) {
        classify_multicast(t, hi, lo, r);
        return;
    }
    classify_iid(t, hi, lo, r);
    uint64_t main = top10 == 0x3FA            ? BIT(T_LINK_LOCAL)
                    : top10 == 0x3FB          ? BIT(T_SITE_LOCAL)
                    : (hi >> 57) == 0x7E      ? BIT(T_ULA)
                    : (hi >> 61) == 1         ? BIT(T_GLOBAL)
                                              : BIT(T_RESERVED);
    r->types |= BIT(T_UNICAST) | main;
    for (Py_ssize_t i = 0; i < t->named.n; i++)
        if (inside(t->named.q + 4 * i, hi, lo)) r->types |= BIT(t->named_token[i]);
    static const int role_token[5][2] = {
        {R_6TO4, T_6TO4}, {R_TEREDO, T_TEREDO}, {R_NAT64, T_NAT64}, {R_6RD, T_6RD},
        {R_ISATAP, T_ISATAP}};
    for (int i = 0; i < 5; i++)
        if (r->roles & ROLE(role_token[i][0])) r->types |= BIT(role_token[i][1]);
    if (r->iid == I_IEEE) r->types |= BIT(T_EUI64);
    if (r->iid == I_ZERO && (main == BIT(T_GLOBAL) || main == BIT(T_ULA)))
        r->types |= BIT(T_ANYCAST);
}

static void classify_row(const Tables *t, uint64_t hi, uint64_t lo, uint8_t version, int full,
                         Row *r) {
    *r = (Row){.iid = -1, .subtype = -1, .port = -1, .registry = -1};
    if (version == 4)
        classify_ipv4(t, lo, full, r);
    else if (version == 6)
        classify_ipv6(t, hi, lo, full, r);
}

/* ------------------------------------------------------------------ classify() */

enum { IN_HI, IN_LO, IN_VERSION, N_IN };
static const Spec IN_SPECS[N_IN] = {{8, "QL", 0, "hi"}, {8, "QL", 0, "lo"}, {1, "Bc", 0, "version"}};

enum {
    O_TYPES, O_SCOPE, O_IID, O_SUBTYPE, O_IID_IPV4, O_IID_PORT, O_ROLES, O_NAT64, O_SIXRD,
    O_REGISTRY, N_OUT
};
static const Spec OUT_SPECS[N_OUT] = {
    {8, "QL", 1, "types"}, {1, "b", 1, "scope"},    {1, "b", 1, "iid"},   {1, "b", 1, "subtype"},
    {4, "I", 1, "iid_ipv4"}, {4, "i", 1, "iid_port"}, {1, "B", 1, "roles"}, {1, "B", 1, "nat64"},
    {1, "B", 1, "sixrd"},  {2, "h", 1, "registry"}};

static int inputs_of(PyObject *const *objs, Buf *in, Py_ssize_t *n) {
    if (get_all(objs, IN_SPECS, in, N_IN) < 0) return -1;
    *n = items(&in[IN_HI]);
    if (items(&in[IN_LO]) != *n || items(&in[IN_VERSION]) != *n) {
        release_all(in, N_IN);
        PyErr_SetString(PyExc_ValueError, "hi, lo and version differ in length");
        return -1;
    }
    return 0;
}

/* The arguments of `name` (tables, hi, lo, version, then `count` more as `specs` say), after
 * checking there are that many; on failure none is held. */
static int acquire(const char *name, PyObject *const *args, Py_ssize_t nargs, Buf *tb, Tables *t,
                   Buf *in, Py_ssize_t *n, const Spec *specs, Buf *more, int count) {
    if (nargs != 1 + N_IN + count) {
        PyErr_Format(PyExc_TypeError, "%s() takes %d arguments", name, 1 + N_IN + count);
        return -1;
    }
    if (tables_of(args[0], tb, t) < 0) return -1;
    if (inputs_of(args + 1, in, n) < 0) {
        release_all(tb, N_TABLES);
        return -1;
    }
    if (get_all(args + 1 + N_IN, specs, more, count) < 0) {
        release_all(tb, N_TABLES);
        release_all(in, N_IN);
        return -1;
    }
    return 0;
}

static PyObject *classify(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs) {
    Buf tb[N_TABLES], in[N_IN], out[N_OUT];
    Tables t;
    Py_ssize_t n;
    if (acquire("classify", args, nargs, tb, &t, in, &n, OUT_SPECS, out, N_OUT) < 0) return NULL;
    for (int i = 0; i < N_OUT; i++) {
        if (items(&out[i]) != n) {
            PyErr_Format(PyExc_ValueError, "%s: expected %zd items", OUT_SPECS[i].name, n);
            release_all(tb, N_TABLES);
            release_all(in, N_IN);
            release_all(out, N_OUT);
            return NULL;
        }
    }
    const uint64_t *hi = in[IN_HI].view.buf, *lo = in[IN_LO].view.buf;
    const uint8_t *version = in[IN_VERSION].view.buf;
    uint64_t *types = out[O_TYPES].view.buf;
    int8_t *scope = out[O_SCOPE].view.buf, *iid = out[O_IID].view.buf;
    int8_t *subtype = out[O_SUBTYPE].view.buf;
    uint32_t *iid_ipv4 = out[O_IID_IPV4].view.buf;
    int32_t *iid_port = out[O_IID_PORT].view.buf;
    uint8_t *roles = out[O_ROLES].view.buf, *nat64 = out[O_NAT64].view.buf;
    uint8_t *sixrd = out[O_SIXRD].view.buf;
    int16_t *registry = out[O_REGISTRY].view.buf;
    Py_BEGIN_ALLOW_THREADS
    Row r;
    for (Py_ssize_t i = 0; i < n; i++) {
        classify_row(&t, hi[i], lo[i], version[i], 1, &r);
        types[i] = r.types;
        scope[i] = r.scope;
        iid[i] = r.iid;
        subtype[i] = r.subtype;
        iid_ipv4[i] = r.iid_ipv4;
        iid_port[i] = r.port;
        roles[i] = r.roles;
        nat64[i] = r.nat64;
        sixrd[i] = r.sixrd;
        registry[i] = r.registry;
    }
    Py_END_ALLOW_THREADS
    release_all(tb, N_TABLES);
    release_all(in, N_IN);
    release_all(out, N_OUT);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------ tally() */

static int in_sorted(const uint32_t *values, Py_ssize_t n, uint32_t x) {
    Py_ssize_t a = 0, b = n;
    while (a < b) {
        Py_ssize_t m = a + (b - a) / 2;
        if (values[m] < x)
            a = m + 1;
        else
            b = m;
    }
    return a < n && values[a] == x;
}

enum { K_SPLIT, K_COUNTS, N_TALLY };
static const Spec TALLY_SPECS[N_TALLY] = {{4, "I", 0, "split_ouis"}, {8, "ql", 1, "counts"}};

/* Counting: the fixed counts go into `counts`; what the hash tables take of each row goes
 * into columns grown as rows come (every row adds at most one entry to each, so one capacity
 * serves all). */
typedef struct {
    const Tables *t;
    int64_t *counts;
    const uint32_t *split_ouis;
    Py_ssize_t nsplit;
    uint64_t *vhi, *vlo, *pre, *whole, *split;
    uint8_t *vver;
    Py_ssize_t nv, np, nw, ns, cap;
} Counting;

static void counting_free(Counting *k) {
    size_t cap = (size_t)k->cap;
    column_free(k->vhi, cap * 8);
    column_free(k->vlo, cap * 8);
    column_free(k->pre, cap * 8);
    column_free(k->whole, cap * 8);
    column_free(k->split, cap * 8);
    column_free(k->vver, cap);
    k->vhi = k->vlo = k->pre = k->whole = k->split = NULL;
    k->vver = NULL;
}

/* Without the GIL. 0, or -1 when memory ran out (the columns stay valid). The first columns
 * come from the pool (column_alloc), larger ones by realloc. */
static int counting_grow(Counting *k, Py_ssize_t want) {
    Py_ssize_t cap = k->cap ? k->cap * 2 : 4096;
    while (cap < want) cap *= 2;
    uint64_t **cols[5] = {&k->vhi, &k->vlo, &k->pre, &k->whole, &k->split};
    size_t room;
    for (int i = 0; i < 5; i++) {
        void *p = k->cap ? realloc(*cols[i], (size_t)cap * 8) : column_alloc((size_t)cap * 8, &room);
        if (p == NULL) return -1;
        *cols[i] = p;
    }
    void *p = k->cap ? realloc(k->vver, (size_t)cap) : column_alloc((size_t)cap, &room);
    if (p == NULL) return -1;
    k->vver = p;
    k->cap = cap;
    return 0;
}

/* One address row (version 4 or 6) classified and counted; an Emit for the scanner. */
static int count_row(void *ctx, uint64_t hi, uint64_t lo, uint8_t v) {
    Counting *k = ctx;
    if (k->nv == k->cap && counting_grow(k, k->nv + 1) < 0) return -1;
    Row r;
    classify_row(k->t, hi, lo, v, 0, &r);
    int64_t *counts = k->counts;
    int f = v == 6;
    counts[f]++;
    for (uint64_t bits = r.types; bits; bits &= bits - 1)
        counts[C_TYPES + f * N_TOKENS + __builtin_ctzll(bits)]++;
    counts[C_SCOPES + f * N_SCOPES + r.scope]++;
    k->vhi[k->nv] = hi;
    k->vlo[k->nv] = lo;
    k->vver[k->nv++] = v;
    if (!f) return 0;
    if (r.iid >= 0) counts[C_IID + r.iid]++;
    for (int b = 0; b < N_ROLES; b++)
        if (r.roles & ROLE(b)) counts[C_ROLES + b]++;
    if ((hi >> 56) != 0xFF && hi != 0) k->pre[k->np++] = hi;
    if (r.iid == I_IEEE) {
        uint64_t mac = (((lo >> 40) ^ 0x020000) << 24) | (lo & 0xFFFFFF);
        uint32_t oui = (uint32_t)(mac >> 24);
        if (in_sorted(k->split_ouis, k->nsplit, oui))
            k->split[k->ns++] = mac >> 12;
        else
            k->whole[k->nw++] = (uint64_t)oui << 12;
    }
    return 0;
}

/* The kept columns (hi, lo, version of the rows counted, /64 keys, vendor keys of undivided
 * and of subdivided OUIs), handed over without a copy (k is emptied); `mine`: the caller's
 * own columns hold exactly the rows counted, so (hi, lo, version) are None. */
static PyObject *counted(Counting *k, int mine) {
    size_t cap = (size_t)k->cap;
    PyObject *cols[6] = {mine ? Py_NewRef(Py_None) : owned(k->vhi, k->nv * 8, cap * 8),
                         mine ? Py_NewRef(Py_None) : owned(k->vlo, k->nv * 8, cap * 8),
                         mine ? Py_NewRef(Py_None) : owned(k->vver, k->nv, cap),
                         owned(k->pre, k->np * 8, cap * 8), owned(k->whole, k->nw * 8, cap * 8),
                         owned(k->split, k->ns * 8, cap * 8)};
    if (!mine) k->vhi = k->vlo = NULL, k->vver = NULL;
    k->pre = k->whole = k->split = NULL;
    counting_free(k);
    for (int i = 0; i < 6; i++) {
        if (cols[i] == NULL) {
            for (int j = 0; j < 6; j++) Py_XDECREF(cols[j]);
            return NULL;
        }
    }
    return Py_BuildValue("(NNNNNN)", cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]);
}

static int counting_of(Counting *k, const Tables *t, Buf *more) {
    memset(k, 0, sizeof *k);
    if (items(&more[K_COUNTS]) != N_COUNTS) {
        PyErr_Format(PyExc_ValueError, "counts: expected %d items", N_COUNTS);
        return -1;
    }
    k->t = t;
    k->counts = more[K_COUNTS].view.buf;
    k->split_ouis = more[K_SPLIT].view.buf;
    k->nsplit = items(&more[K_SPLIT]);
    return 0;
}

static PyObject *tally(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs) {
    Buf tb[N_TABLES], in[N_IN], more[N_TALLY];
    Tables t;
    Py_ssize_t n;
    if (acquire("tally", args, nargs, tb, &t, in, &n, TALLY_SPECS, more, N_TALLY) < 0) return NULL;
    PyObject *result = NULL;
    Counting k;
    if (counting_of(&k, &t, more) < 0) goto done;
    if (counting_grow(&k, n > 0 ? n : 1) < 0) {
        PyErr_NoMemory();
        goto done;
    }
    const uint64_t *hi = in[IN_HI].view.buf, *lo = in[IN_LO].view.buf;
    const uint8_t *version = in[IN_VERSION].view.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        if (version[i] == 4 || version[i] == 6) count_row(&k, hi[i], lo[i], version[i]);
    Py_END_ALLOW_THREADS
    result = counted(&k, k.nv == n);
done:
    counting_free(&k);
    release_all(tb, N_TABLES);
    release_all(in, N_IN);
    release_all(more, N_TALLY);
    return result;
}

enum { S_TABLES, S_DATA, S_MODE, S_BEGIN, S_END, S_SPLIT, S_COUNTS, N_SCAN_TALLY };

static PyObject *scan_tally(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != N_SCAN_TALLY) {
        PyErr_Format(PyExc_TypeError, "scan_tally() takes %d arguments", N_SCAN_TALLY);
        return NULL;
    }
    Py_ssize_t mode = PyLong_AsSsize_t(args[S_MODE]), begin = PyLong_AsSsize_t(args[S_BEGIN]),
               end = PyLong_AsSsize_t(args[S_END]);
    if (PyErr_Occurred()) return NULL;
    Buf tb[N_TABLES], data = {.held = 0}, more[N_TALLY];
    Tables t;
    if (tables_of(args[S_TABLES], tb, &t) < 0) return NULL;
    PyObject *result = NULL, *rows = NULL;
    Counting k;
    memset(&k, 0, sizeof k);
    Rows r;
    memset(&r, 0, sizeof r);
    if (get_buffer(args[S_DATA], &data, &(Spec){1, "Bbc", 0, "data"}) < 0) goto done;
    if (get_all(args + S_SPLIT, TALLY_SPECS, more, N_TALLY) < 0) goto done;
    if (counting_of(&k, &t, more) < 0) goto released;
    if (mode < MODE_LIST || mode > MODE_CSV + MAX_COLUMN || begin < 0 || begin > end || end > data.view.len) {
        PyErr_SetString(PyExc_ValueError, "scan_tally: bad mode or range");
        goto released;
    }
    /* room for a row per 16 bytes up front (pages not written are never touched): growing by
     * copies as rows come would move the columns several times */
    if (counting_grow(&k, (end - begin) / 16 + 1) < 0) {
        PyErr_NoMemory();
        goto released;
    }
    r.emit = count_row;
    r.ctx = &k;
    int status;
    Py_ssize_t newlines;
    Py_BEGIN_ALLOW_THREADS
    status = scan_range(&r, data.view.buf, begin, end, (int)mode, &newlines);
    Py_END_ALLOW_THREADS
    if (status < 0) {
        PyErr_NoMemory();
        goto released;
    }
    Py_ssize_t emitted = r.emitted;
    rows = rows_result(&r, newlines);
    PyObject *kept = rows != NULL ? counted(&k, 0) : NULL;
    if (kept != NULL) result = Py_BuildValue("(NnN)", rows, emitted, kept);
    else Py_XDECREF(rows);
released:
    release_all(more, N_TALLY);
done:
    rows_free(&r);
    counting_free(&k);
    release(&data);
    release_all(tb, N_TABLES);
    return result;
}

/* ------------------------------------------------------------------ the split /24s */

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The OUI of a manuf row "HH:HH:HH:..." whose first field (up to a tab) holds a "/": an MA-M
 * or MA-S block, so IEEE split that /24. -1 for any other row. `n`: the row's length. */
static int64_t split_row(const uint8_t *s, Py_ssize_t n) {
    if (n < 9 || s[2] != ':' || s[5] != ':' || s[8] != ':') return -1;
    static const int at[6] = {0, 1, 3, 4, 6, 7};
    int64_t oui = 0;
    for (int i = 0; i < 6; i++) {
        int v = hexv[s[at[i]]];
        if (v < 0) return -1;
        oui = oui << 4 | v;
    }
    for (Py_ssize_t i = 9; i < n && s[i] != '\t'; i++)
        if (s[i] == '/') return oui;
    return -1;
}

/* split_ouis(manuf): the /24s of Wireshark's manuf file (its bytes) that have MA-M or MA-S
 * rows, as bytes of sorted distinct uint32: the list tally() takes. One pass, no regex. */
static PyObject *split_ouis(PyObject *Py_UNUSED(module), PyObject *arg) {
    Buf text = {.held = 0};
    if (get_buffer(arg, &text, &(Spec){1, "Bbc", 0, "manuf"}) < 0) return NULL;
    const uint8_t *s = text.view.buf;
    Py_ssize_t len = text.view.len, n = 0, cap = 1024;
    uint32_t *found = malloc((size_t)cap * 4);
    PyObject *result = NULL;
    if (found == NULL) goto nomemory;
    for (Py_ssize_t at = 0; at < len;) {
        const uint8_t *eol = memchr(s + at, '\n', (size_t)(len - at));
        Py_ssize_t stop = eol != NULL ? eol - s : len;
        int64_t oui = split_row(s + at, stop - at);
        if (oui >= 0 && (n == 0 || found[n - 1] != (uint32_t)oui)) {
            if (n == cap) {
                uint32_t *more = realloc(found, (size_t)(cap *= 2) * 4);
                if (more == NULL) goto nomemory;
                found = more;
            }
            found[n++] = (uint32_t)oui;
        }
        at = stop + 1;
    }
    qsort(found, (size_t)n, 4, cmp_u32); /* the file is sorted; this does not rely on it */
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (kept == 0 || found[kept - 1] != found[i]) found[kept++] = found[i];
    result = PyBytes_FromStringAndSize((const char *)found, kept * 4);
    goto done;
nomemory:
    PyErr_NoMemory();
done:
    free(found);
    release(&text);
    return result;
}

/* ------------------------------------------------------------------ module */

static PyMethodDef module_methods[] = {
    {"classify", (PyCFunction)(void (*)(void))classify, METH_FASTCALL,
     "classify(tables, hi, lo, version, *ten output columns): classify every row"},
    {"tally", (PyCFunction)(void (*)(void))tally, METH_FASTCALL,
     "tally(tables, hi, lo, version, split_ouis, counts): classify and count rows"},
    {"scan_tally", (PyCFunction)(void (*)(void))scan_tally, METH_FASTCALL,
     "scan_tally(tables, data, mode, begin, end, split_ouis, counts): scan, classify, count"},
    {"split_ouis", split_ouis, METH_O, "split_ouis(manuf): the /24s with MA-M or MA-S rows"},
    {NULL}};

static struct PyModuleDef classify_module = {
    PyModuleDef_HEAD_INIT, .m_name = "dualstack.bulk._classify",
    .m_doc = "Row classification and fixed counts (see dualstack.bulk.compiled).", .m_size = -1,
    .m_methods = module_methods,
};

static int add_names(PyObject *m, const char *name, const char **names, int count) {
    PyObject *tuple = PyTuple_New(count);
    if (tuple == NULL) return -1;
    for (int i = 0; i < count; i++) {
        PyObject *s = PyUnicode_FromString(names[i]);
        if (s == NULL) {
            Py_DECREF(tuple);
            return -1;
        }
        PyTuple_SET_ITEM(tuple, i, s);
    }
    int rc = PyModule_AddObjectRef(m, name, tuple);
    Py_DECREF(tuple);
    return rc;
}

PyMODINIT_FUNC PyInit__classify(void) {
    init_classes();
    if (pool_init() < 0) return PyErr_NoMemory();
    PyObject *m = PyModule_Create(&classify_module);
    if (m == NULL) return NULL;
    if (add_names(m, "TOKENS", TOKEN_NAMES, N_TOKENS) < 0 ||
        add_names(m, "SCOPES", SCOPE_NAMES, N_SCOPES) < 0 ||
        add_names(m, "IID_CLASSES", IID_NAMES, N_IID) < 0 ||
        add_names(m, "SUBTYPES", SUB_NAMES, N_SUB) < 0 ||
        add_names(m, "ROLES", ROLE_NAMES, N_ROLES) < 0 ||
        PyModule_AddIntConstant(m, "N_COUNTS", N_COUNTS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
