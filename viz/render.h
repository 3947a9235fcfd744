/* render — diagrams through Graphviz: the one file that talks to cgraph and gvc. DOT is
 * written by cgraph (agwrite); SVG and PNG are laid out (dot) and rendered by gvc. */
#ifndef PN_RENDER_H
#define PN_RENDER_H

#include "viz/graph.h"

#include <stdio.h>

/* The format a file name asks for: "svg", "png" or "dot" (by extension), or NULL. */
const char *pn_render_format_of(const char *path);

/* Writes g as DOT to out. Returns 0 or -1. */
int pn_render_dot(const pn_vgraph *g, FILE *out);

/* Lays g out and renders it to path in format ("svg" or "png"). Returns 0, or -1 with a
 * static message in *why (for a failed write, strerror's: the caller prints the path). */
int pn_render_file(const pn_vgraph *g, const char *format, const char *path, const char **why);

#endif
