// security/principal.h: who is calling, taken from a client certificate.
//
// hubd requires a client certificate signed by its CA (mutual TLS). The
// certificate's subject names the caller: CN is the user, O the department,
// OU the role (see ops/gen-certs.sh). A certificate without a CN or an OU
// names nobody and is refused as unauthenticated.
//
// Thread-safe: pure functions.
#ifndef GRIDHUB_SECURITY_PRINCIPAL_H_
#define GRIDHUB_SECURITY_PRINCIPAL_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

typedef struct x509_st X509;  // from OpenSSL, without including its headers

namespace gridhub::security {

struct Principal {
  std::string user;        // subject CN
  std::string department;  // subject O (may be empty)
  std::string role;        // subject OU, lower-cased
};

// Reads the principal from a certificate's subject. kUnauthenticated when the
// certificate is null or has no CN or no OU.
absl::StatusOr<Principal> PrincipalFromCertificate(const X509* cert);

// The same from a PEM-encoded certificate (for tools and tests).
// kInvalidArgument if the PEM does not parse.
absl::StatusOr<Principal> PrincipalFromPem(std::string_view pem);

}  // namespace gridhub::security

#endif  // GRIDHUB_SECURITY_PRINCIPAL_H_
