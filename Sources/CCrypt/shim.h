// libxcrypt (Debian: libcrypt-dev): crypt_r, crypt_gensalt_rn, crypt_preferred_method.
#include <crypt.h>
