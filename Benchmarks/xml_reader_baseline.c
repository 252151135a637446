/* libxml2's own streaming reader over one XML file, as the baseline of the XML target in
 * `make bench`: every node read, every text node's value taken, elements named <item> counted.
 * No tree is built, as the pipeline's reader builds none. Prints the item count and the seconds.
 *
 *   cc -O2 $(pkg-config --cflags libxml-2.0) xml_reader_baseline.c $(pkg-config --libs libxml-2.0)
 */
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s FILE.xml\n", argv[0]); return 2; }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    xmlTextReaderPtr reader = xmlReaderForFile(argv[1], NULL, XML_PARSE_NONET | XML_PARSE_COMPACT);
    if (!reader) { fprintf(stderr, "cannot open %s\n", argv[1]); return 1; }
    long items = 0, text = 0;
    int r;
    while ((r = xmlTextReaderRead(reader)) == 1) {
        int type = xmlTextReaderNodeType(reader);
        if (type == XML_READER_TYPE_ELEMENT) {
            const xmlChar *name = xmlTextReaderConstLocalName(reader);
            if (name && strcmp((const char *)name, "item") == 0) items++;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
            const xmlChar *value = xmlTextReaderConstValue(reader);
            if (value) text += (long)strlen((const char *)value);
        }
    }
    xmlFreeTextReader(reader);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (r != 0) { fprintf(stderr, "parse error in %s\n", argv[1]); return 1; }
    printf("%ld %ld %.3f\n", items, text, (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
