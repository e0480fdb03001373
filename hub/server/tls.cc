#include "hub/server/tls.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gridhub::hub {

namespace tt = apache::thrift::transport;

PeerSslSocket::PeerSslSocket(std::shared_ptr<tt::SSLContext> ctx, THRIFT_SOCKET socket,
                             std::shared_ptr<THRIFT_SOCKET> interrupt_listener, int idle_timeout_ms)
    : tt::TSSLSocket(std::move(ctx), socket, std::move(interrupt_listener)),
      idle_timeout_ms_(idle_timeout_ms) {}

void PeerSslSocket::authorize() {
  tt::TSSLSocket::authorize();  // verify result and required certificate; throws on failure
  X509* cert = SSL_get1_peer_certificate(ssl_);
  principal_ = security::PrincipalFromCertificate(cert);
  if (cert != nullptr) X509_free(cert);
  // Authenticated: from now on only idleness ends the connection.
  setRecvTimeout(idle_timeout_ms_);
  setSendTimeout(idle_timeout_ms_);
}

PeerSslSocketFactory::PeerSslSocketFactory(int idle_timeout_ms)
    : tt::TSSLSocketFactory(tt::SSLTLS), idle_timeout_ms_(idle_timeout_ms) {
  server(true);
  authenticate(true);
  // SSLTLS negotiates; refuse anything older than TLS 1.2.
  SSL_CTX_set_min_proto_version(ctx_->get(), TLS1_2_VERSION);
  // No session resumption: every connection presents its certificate, and
  // clients with session caches are not refused for trying.
  SSL_CTX_set_session_cache_mode(ctx_->get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx_->get(), SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(ctx_->get(), 0);
  static constexpr unsigned char kContext[] = "gridhub-hubd";
  SSL_CTX_set_session_id_context(ctx_->get(), kContext, sizeof(kContext) - 1);
}

std::shared_ptr<tt::TSSLSocket> PeerSslSocketFactory::createSocket(THRIFT_SOCKET socket) {
  return createSocket(socket, nullptr);
}

std::shared_ptr<tt::TSSLSocket> PeerSslSocketFactory::createSocket(
    THRIFT_SOCKET socket, std::shared_ptr<THRIFT_SOCKET> interrupt_listener) {
  auto ssl = std::make_shared<PeerSslSocket>(ctx_, socket, std::move(interrupt_listener),
                                             idle_timeout_ms_);
  ssl->server(true);
  return ssl;
}

absl::Status CheckCertFiles(const CertPaths& paths) {
  for (const std::string* file : {&paths.ca, &paths.cert, &paths.key}) {
    struct stat st;
    if (::stat(file->c_str(), &st) != 0) {
      return absl::NotFoundError(absl::StrCat("certificate file ", *file, " does not exist"));
    }
  }
  struct stat st;
  ::stat(paths.key.c_str(), &st);
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "private key %s is readable by others (mode %04o); chmod 600 it", paths.key,
        st.st_mode & 07777));
  }
  return absl::OkStatus();
}

}  // namespace gridhub::hub
