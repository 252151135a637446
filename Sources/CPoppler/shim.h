// poppler's GLib interface, for the PDF worker only. It is loaded when a worker starts (dlopen),
// never linked: every other command of the executable starts without poppler and the fifty
// libraries it pulls in (8 ms of every start), and a machine without poppler still runs every
// job that has no PDF in it.
//
// The few declarations the worker needs are written here (poppler-glib's API and ABI are
// stable: these are poppler 0.x-25.x's), so the module needs neither poppler's headers nor
// its libraries to build.
#ifndef CPOPPLER_SHIM_H
#define CPOPPLER_SHIM_H
#include <dlfcn.h>
#include <stddef.h>

typedef struct _PopplerDocument PopplerDocument;
typedef struct _PopplerPage PopplerPage;
typedef struct _GBytes GBytes;
typedef unsigned int guint;
typedef unsigned int GQuark;
typedef int gboolean;
typedef struct { GQuark domain; int code; char *message; } GError;
typedef struct { double x1, y1, x2, y2; } PopplerRectangle;
typedef struct _GList { void *data; struct _GList *next; struct _GList *prev; } GList;

/// POPPLER_ERROR_ENCRYPTED in poppler's PopplerError.
enum { CPOPPLER_ERROR_ENCRYPTED = 1 };

struct cpoppler_api {
    GBytes *(*bytes_new)(const void *data, size_t size);
    void (*bytes_unref)(GBytes *bytes);
    void (*object_unref)(void *object);
    void (*free)(void *memory);
    void (*error_free)(GError *error);
    guint (*list_length)(GList *list);
    GQuark (*error_quark)(void);
    PopplerDocument *(*document_new_from_bytes)(GBytes *bytes, const char *password, GError **error);
    int (*document_get_n_pages)(PopplerDocument *document);
    PopplerPage *(*document_get_page)(PopplerDocument *document, int index);
    void (*page_get_size)(PopplerPage *page, double *width, double *height);
    char *(*page_get_text)(PopplerPage *page);
    gboolean (*page_get_text_layout)(PopplerPage *page, PopplerRectangle **rectangles, guint *count);
    GList *(*page_get_image_mapping)(PopplerPage *page);
    void (*page_free_image_mapping)(GList *list);
};

/// Loads poppler-glib (`path`, when given: a library installed elsewhere) and every function the
/// worker calls; NULL when it cannot, with what failed in `why`.
static inline const struct cpoppler_api *cpoppler_load(const char *path, const char **why) {
    static struct cpoppler_api api;
    static const char *names[] = {"libpoppler-glib.so.8", "libpoppler-glib.so"};
    void *library = NULL;
    if (path && *path) library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    else for (size_t i = 0; i < sizeof names / sizeof *names && !library; i++) library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!library) { *why = dlerror(); return NULL; }
#define CPOPPLER_BIND(field, symbol) \
    if (!(*(void **)&api.field = dlsym(library, symbol))) { *why = symbol; return NULL; }
    CPOPPLER_BIND(bytes_new, "g_bytes_new")
    CPOPPLER_BIND(bytes_unref, "g_bytes_unref")
    CPOPPLER_BIND(object_unref, "g_object_unref")
    CPOPPLER_BIND(free, "g_free")
    CPOPPLER_BIND(error_free, "g_error_free")
    CPOPPLER_BIND(list_length, "g_list_length")
    CPOPPLER_BIND(error_quark, "poppler_error_quark")
    CPOPPLER_BIND(document_new_from_bytes, "poppler_document_new_from_bytes")
    CPOPPLER_BIND(document_get_n_pages, "poppler_document_get_n_pages")
    CPOPPLER_BIND(document_get_page, "poppler_document_get_page")
    CPOPPLER_BIND(page_get_size, "poppler_page_get_size")
    CPOPPLER_BIND(page_get_text, "poppler_page_get_text")
    CPOPPLER_BIND(page_get_text_layout, "poppler_page_get_text_layout")
    CPOPPLER_BIND(page_get_image_mapping, "poppler_page_get_image_mapping")
    CPOPPLER_BIND(page_free_image_mapping, "poppler_page_free_image_mapping")
#undef CPOPPLER_BIND
    return &api;
}
#endif
