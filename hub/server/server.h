// hub/server/server.h: the Thrift service over mutual TLS.
//
// Every call goes: caller from the client certificate (kUnauthenticated if
// none) -> policy decision for role x action x purpose (deny by default) ->
// the core (ingest, query, steward work) -> the view the grant allows ->
// reply (handler.h). Status codes become the IDL's typed exceptions in one
// place (ThrowStatus in handler.cc). Logs name the user, role, action,
// purpose and outcome, never resident data.
//
// Thread-safety: Start/Stop from one thread; calls are served concurrently,
// one thread per connection.
#ifndef GRIDHUB_HUB_SERVER_SERVER_H_
#define GRIDHUB_HUB_SERVER_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "hub/ingest/ingest.h"
#include "hub/query/query.h"
#include "hub/server/tls.h"
#include "security/policy.h"

namespace gridhub::hub {

// What the handler calls into. All pointers must outlive the server.
struct Services {
  Ingestor* ingestor = nullptr;
  const ResidentQuery* query = nullptr;
  const security::Policy* policy = nullptr;
};

struct ServerOptions {
  std::string host = "127.0.0.1";  // Default: loopback only
  int port = 7600;                 // 0 = any free port
  CertPaths certs;                 // required
  // An authenticated connection idle longer than this is closed.
  // Default: 300 s.
  int idle_timeout_ms = 300'000;
  // A connection that has not completed its TLS handshake within this is
  // closed. Default: 10 s.
  int handshake_timeout_ms = 10'000;
  // Connections served at once; further ones wait in the listen backlog.
  // Default: 256.
  int max_connections = 256;
  // Largest frame (one call) accepted, and largest string or container in
  // it. Defaults: 64 MiB, 16 MiB, 1,000,000 elements.
  int max_frame_bytes = 64 << 20;
  int max_string_bytes = 16 << 20;
  int max_container_size = 1'000'000;
  // Called (from the serving thread) if serving stops without Stop(), e.g.
  // the listening socket failed. Default: nothing.
  std::function<void()> on_failure;
};

class RpcServer {
 public:
  virtual ~RpcServer() = default;
  // The port actually bound (useful with port 0).
  virtual int port() const = 0;
  // Stops accepting, interrupts connections and joins the serving thread.
  // Idempotent.
  virtual void Stop() = 0;
};

// Loads the certificates, binds, and serves on a background thread. Returns
// once the socket is listening. kNotFound / kFailedPrecondition name a bad
// certificate file; kUnavailable when the address cannot be bound.
absl::StatusOr<std::unique_ptr<RpcServer>> StartRpcServer(const ServerOptions& options,
                                                          Services services);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_SERVER_SERVER_H_
