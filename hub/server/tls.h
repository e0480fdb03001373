// hub/server/tls.h: mutual-TLS sockets that remember who is on the other end.
//
// Thrift's TSSLSocket checks the client certificate but does not expose it.
// PeerSslSocket keeps the caller's Principal (security/principal.h), read
// from the verified certificate right after the handshake; the handshake
// runs on the first read, so callers ask for the principal when a call
// arrives, not when the connection is accepted.
//
// Thread-safety: a socket belongs to one connection thread; principal() is
// safe to call from that thread.
#ifndef GRIDHUB_HUB_SERVER_TLS_H_
#define GRIDHUB_HUB_SERVER_TLS_H_

#include <thrift/transport/TSSLSocket.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "security/principal.h"

namespace gridhub::hub {

class PeerSslSocket final : public apache::thrift::transport::TSSLSocket {
 public:
  // `idle_timeout_ms` replaces the (short) handshake timeout once the peer
  // is authenticated.
  PeerSslSocket(std::shared_ptr<apache::thrift::transport::SSLContext> ctx, THRIFT_SOCKET socket,
                std::shared_ptr<THRIFT_SOCKET> interrupt_listener, int idle_timeout_ms);

  // The caller; kUnauthenticated before the handshake or when the
  // certificate names nobody.
  absl::StatusOr<security::Principal> principal() const { return principal_; }

 protected:
  void authorize() override;

 private:
  absl::StatusOr<security::Principal> principal_ =
      absl::UnauthenticatedError("TLS handshake not complete");
  int idle_timeout_ms_;
};

// Server-side factory creating PeerSslSockets: requires a client certificate
// signed by the configured CA, TLS 1.2 or newer, no session resumption.
class PeerSslSocketFactory final : public apache::thrift::transport::TSSLSocketFactory {
 public:
  explicit PeerSslSocketFactory(int idle_timeout_ms);

  std::shared_ptr<apache::thrift::transport::TSSLSocket> createSocket(THRIFT_SOCKET socket) override;
  std::shared_ptr<apache::thrift::transport::TSSLSocket> createSocket(
      THRIFT_SOCKET socket, std::shared_ptr<THRIFT_SOCKET> interrupt_listener) override;

 private:
  int idle_timeout_ms_;
};

// Files of a certificate directory (ops/gen-certs.sh lays them out).
struct CertPaths {
  std::string ca;    // DIR/ca.pem
  std::string cert;  // DIR/server.pem or DIR/NAME.pem
  std::string key;   // DIR/server.key or DIR/NAME.key
};

// Checks the three files exist and the key is readable by its owner only
// (no group or other permission bits). kNotFound (missing) /
// kFailedPrecondition (key readable by others) name the file.
absl::Status CheckCertFiles(const CertPaths& paths);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_SERVER_TLS_H_
