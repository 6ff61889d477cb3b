// libjpeg-turbo's TurboJPEG API (Debian's libturbojpeg0-dev): JPEG decoding
// with scaling, so that a large photo is never decoded at full size.
#include <turbojpeg.h>
