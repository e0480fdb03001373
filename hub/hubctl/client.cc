#include "hub/hubctl/client.h"

#include <thrift/TConfiguration.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSSLSocket.h>
#include <unistd.h>

#include "GridHub.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gridhub::hubctl {

namespace tt = apache::thrift::transport;

struct HubClient::Impl {
  std::shared_ptr<tt::TSSLSocketFactory> factory;
  std::shared_ptr<tt::TTransport> transport;
  std::unique_ptr<wire::GridHubClient> client;
};

absl::StatusOr<std::unique_ptr<HubClient>> HubClient::Connect(const ClientConfig& config) {
  if (config.certs.empty()) {
    return absl::InvalidArgumentError("no certificate directory: use --certs DIR or HUB_CERTS");
  }
  if (config.user.empty()) {
    return absl::InvalidArgumentError("no user: use --user NAME or HUB_USER");
  }
  const size_t colon = config.server.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(config.server.substr(colon + 1), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("server \"", config.server, "\": expected HOST:PORT"));
  }
  const std::string host = config.server.substr(0, colon);
  const std::string ca = config.certs + "/ca.pem";
  const std::string cert = absl::StrCat(config.certs, "/", config.user, ".pem");
  const std::string key = absl::StrCat(config.certs, "/", config.user, ".key");
  for (const std::string& f : {ca, cert, key}) {
    if (::access(f.c_str(), R_OK) != 0) {
      return absl::NotFoundError(absl::StrCat("cannot read ", f));
    }
  }
  auto impl = std::make_unique<Impl>();
  try {
    impl->factory = std::make_shared<tt::TSSLSocketFactory>(tt::SSLTLS);
    impl->factory->authenticate(true);
    impl->factory->loadTrustedCertificates(ca.c_str());
    impl->factory->loadCertificate(cert.c_str());
    impl->factory->loadPrivateKey(key.c_str());
    std::shared_ptr<tt::TSSLSocket> socket = impl->factory->createSocket(host, port);
    socket->setConnTimeout(10'000);
    socket->setRecvTimeout(config.timeout_ms);
    socket->setSendTimeout(config.timeout_ms);
    // The same frame limit as hubd (hub/server/server.h, max_frame_bytes).
    auto limits = std::make_shared<apache::thrift::TConfiguration>(64 << 20, 64 << 20);
    impl->transport = std::make_shared<tt::TFramedTransport>(socket, limits);
    auto protocol = std::make_shared<apache::thrift::protocol::TCompactProtocol>(impl->transport);
    impl->client = std::make_unique<wire::GridHubClient>(protocol);
    impl->transport->open();
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", config.server, ": ", e.what()));
  }
  std::unique_ptr<HubClient> out(new HubClient());
  out->rpc_ = impl->client.get();
  out->impl_ = std::move(impl);
  return out;
}

HubClient::~HubClient() {
  if (impl_ && impl_->transport) {
    try {
      impl_->transport->close();
    } catch (const std::exception&) {
      // Closing a connection the server already dropped: nothing to do.
    }
  }
}

}  // namespace gridhub::hubctl
