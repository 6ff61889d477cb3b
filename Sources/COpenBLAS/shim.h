// OpenBLAS's CBLAS interface (Debian's libopenblas-dev, pthread variant).
#include <cblas.h>
