// hub/hubctl/client.h: a mutual-TLS Thrift connection to hubd.
//
// The client presents DIR/USER.pem and DIR/USER.key and trusts only
// DIR/ca.pem; the server's certificate must name the host dialled
// (127.0.0.1 or localhost for the development certificates).
// Thread-safety: one thread per HubClient.
#ifndef GRIDHUB_HUB_HUBCTL_CLIENT_H_
#define GRIDHUB_HUB_HUBCTL_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace gridhub::wire {
class GridHubClient;
}  // namespace gridhub::wire

namespace gridhub::hubctl {

struct ClientConfig {
  std::string server = "127.0.0.1:7600";  // HOST:PORT
  std::string certs;                      // directory
  std::string user;                       // certificate name in the directory
  int timeout_ms = 600'000;               // per call (imports can be long)
};

class HubClient {
 public:
  // Connects and completes the TLS handshake. kInvalidArgument for a bad
  // address or missing user/certs; kNotFound naming a missing file;
  // kUnavailable (with the reason) when the server cannot be reached or
  // refuses the certificate.
  static absl::StatusOr<std::unique_ptr<HubClient>> Connect(const ClientConfig& config);
  ~HubClient();

  wire::GridHubClient& rpc() { return *rpc_; }

 private:
  struct Impl;
  HubClient() = default;
  std::unique_ptr<Impl> impl_;
  wire::GridHubClient* rpc_ = nullptr;
};

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_CLIENT_H_
