// Cairo (Debian's libcairo2-dev): 2-D drawing to image surfaces and PNG.
#include <cairo/cairo.h>
