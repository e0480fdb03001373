#include "security/principal.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "absl/strings/ascii.h"

namespace gridhub::security {
namespace {

// The first entry of `nid` in `name` as UTF-8, or "".
std::string SubjectEntry(const X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return "";
  const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, index);
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(entry);
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

absl::StatusOr<Principal> PrincipalFromCertificate(const X509* cert) {
  if (cert == nullptr) return absl::UnauthenticatedError("no client certificate");
  const X509_NAME* subject = X509_get_subject_name(cert);
  Principal p;
  p.user = SubjectEntry(subject, NID_commonName);
  p.department = SubjectEntry(subject, NID_organizationName);
  p.role = absl::AsciiStrToLower(SubjectEntry(subject, NID_organizationalUnitName));
  if (p.user.empty()) {
    return absl::UnauthenticatedError("client certificate has no CN (user)");
  }
  if (p.role.empty()) {
    return absl::UnauthenticatedError("client certificate has no OU (role)");
  }
  return p;
}

absl::StatusOr<Principal> PrincipalFromPem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return absl::InternalError("BIO_new_mem_buf failed");
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return absl::InvalidArgumentError("not a PEM certificate");
  return PrincipalFromCertificate(cert.get());
}

}  // namespace gridhub::security
