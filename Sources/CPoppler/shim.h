// poppler's GLib interface: the PDF worker's only C library (run in a child process, never in a run).
#ifndef CPOPPLER_SHIM_H
#define CPOPPLER_SHIM_H
#include <poppler.h>
#include <glib.h>

// g_object_unref and g_free are fine to call from Swift; these name what the worker frees.
static inline void cpoppler_unref(void *object) { if (object) g_object_unref(object); }
static inline void cpoppler_free(void *memory) { g_free(memory); }
static inline void cpoppler_error_free(GError *error) { if (error) g_error_free(error); }
static inline int cpoppler_is_encrypted(const GError *error) {
    return error && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED;
}
// The number of images painted on a page (a scanned page is one image and no text).
static inline int cpoppler_image_count(PopplerPage *page) {
    GList *list = poppler_page_get_image_mapping(page);
    int n = (int)g_list_length(list);
    poppler_page_free_image_mapping(list);
    return n;
}
#endif
