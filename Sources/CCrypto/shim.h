// OpenSSL's libcrypto: SHA-256, and PBKDF2 for the `serve` page's password. The SHA256_* calls
// are deprecated in OpenSSL 3 in favour of EVP, but they keep a plain copyable context, which
// suits a Swift value type.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <openssl/evp.h>
