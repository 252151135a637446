#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU; its <unicode/ucnv.h> clashes with the
   toolchain's _FoundationICU in any Swift module that also sees Foundation.
   Only the ICU fields of xmlCharEncodingHandler depend on it, never touched here. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlIO.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>

/* xmlFree is a global function-pointer variable, which Swift 6 rejects. */
static inline void clx_free(void *ptr) { xmlFree(ptr); }

/* An external-entity loader that refuses everything. */
static inline xmlParserInputPtr clx_deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
    (void)url; (void)id; (void)ctxt;
    return NULL;
}

/* Install once per process: no external entity or DTD is ever fetched. */
static inline void clx_harden(void) {
    xmlInitParser();
    xmlSetExternalEntityLoader(clx_deny_loader);
}

/* Silence libxml2's generic (variadic) error printer; structured errors are captured per reader. */
static void clx_generic_sink(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void clx_silence_generic(void) { xmlSetGenericErrorFunc(NULL, clx_generic_sink); }
#endif
