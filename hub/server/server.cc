#include "hub/server/server.h"

#include <Poco/Logger.h>
#include <thrift/TConfiguration.h>
#include <thrift/TOutput.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSSLServerSocket.h>

#include <atomic>
#include <future>
#include <thread>

#include "GridHub.h"
#include "absl/strings/str_cat.h"
#include "hub/server/handler.h"

namespace gridhub::hub {
namespace {

namespace at = apache::thrift;
namespace tt = apache::thrift::transport;

// Turns anything a call throws that is not a Thrift exception (for example
// std::bad_alloc from a hostile length prefix) into a transport error, so it
// ends that connection only, never the process.
class GuardedProcessor final : public at::TProcessor {
 public:
  explicit GuardedProcessor(std::shared_ptr<at::TProcessor> inner) : inner_(std::move(inner)) {}
  bool process(std::shared_ptr<at::protocol::TProtocol> in,
               std::shared_ptr<at::protocol::TProtocol> out, void* ctx) override {
    try {
      return inner_->process(std::move(in), std::move(out), ctx);
    } catch (const at::TException&) {
      throw;
    } catch (const std::exception& e) {
      Poco::Logger::get("gridhub.rpc").warning("connection dropped: %s", std::string(e.what()));
      throw tt::TTransportException(tt::TTransportException::CORRUPTED_DATA, e.what());
    }
  }

 private:
  std::shared_ptr<at::TProcessor> inner_;
};

class HandlerFactory final : public at::TProcessorFactory {
 public:
  explicit HandlerFactory(Services services) : services_(services) {}
  std::shared_ptr<at::TProcessor> getProcessor(const at::TConnectionInfo& info) override {
    auto socket = std::dynamic_pointer_cast<PeerSslSocket>(info.transport);
    return std::make_shared<GuardedProcessor>(
        std::make_shared<wire::GridHubProcessor>(std::make_shared<Handler>(services_, socket)));
  }

 private:
  Services services_;
};

// Framed transports with explicit frame and message limits (the same on
// both ends; hubctl uses ClientTransportConfig-equivalent values).
class FramedTransportFactory final : public tt::TTransportFactory {
 public:
  explicit FramedTransportFactory(int max_frame_bytes)
      : config_(std::make_shared<at::TConfiguration>(max_frame_bytes, max_frame_bytes)) {}
  std::shared_ptr<tt::TTransport> getTransport(std::shared_ptr<tt::TTransport> trans) override {
    return std::make_shared<tt::TFramedTransport>(std::move(trans), config_);
  }

 private:
  std::shared_ptr<at::TConfiguration> config_;
};

// A listening socket that survives resource exhaustion: when accept() fails
// (too many open files, no memory, an aborted connection) it waits a moment
// and reports a timeout, which the server treats as "keep going", instead
// of an error that would end serve() and leave the port closed.
class ResilientServerSocket final : public tt::TSSLServerSocket {
 public:
  using tt::TSSLServerSocket::TSSLServerSocket;

 protected:
  std::shared_ptr<tt::TTransport> acceptImpl() override {
    try {
      return tt::TSSLServerSocket::acceptImpl();
    } catch (const tt::TTransportException& e) {
      if (e.getType() != tt::TTransportException::UNKNOWN) throw;  // interrupted, not open
      Poco::Logger::get("gridhub.rpc").warning("accept failed (%s); retrying", std::string(e.what()));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      throw tt::TTransportException(tt::TTransportException::TIMED_OUT, "accept retry");
    }
  }
};

// Learns the bound port once serve() is listening.
class ReadySignal final : public at::server::TServerEventHandler {
 public:
  explicit ReadySignal(std::shared_ptr<tt::TServerSocket> socket) : socket_(std::move(socket)) {}
  void preServe() override { ready_.set_value(socket_->getPort()); }
  std::future<int> port() { return ready_.get_future(); }

 private:
  std::shared_ptr<tt::TServerSocket> socket_;
  std::promise<int> ready_;
};

class ThriftServer final : public RpcServer {
 public:
  ~ThriftServer() override { Stop(); }
  int port() const override { return port_; }
  void Stop() override {
    stopping_ = true;
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }

  absl::Status Start(const ServerOptions& options, Services services) {
    try {
      auto factory = std::make_shared<PeerSslSocketFactory>(options.idle_timeout_ms);
      factory->loadCertificate(options.certs.cert.c_str());
      factory->loadPrivateKey(options.certs.key.c_str());
      factory->loadTrustedCertificates(options.certs.ca.c_str());
      auto socket = std::make_shared<ResilientServerSocket>(options.host, options.port, factory);
      // Until the handshake completes only this short timeout applies
      // (PeerSslSocket::authorize raises it to the idle timeout).
      socket->setRecvTimeout(options.handshake_timeout_ms);
      socket->setSendTimeout(options.handshake_timeout_ms);
      server_ = std::make_shared<at::server::TThreadedServer>(
          std::make_shared<HandlerFactory>(services), socket,
          std::make_shared<FramedTransportFactory>(options.max_frame_bytes),
          std::make_shared<at::protocol::TCompactProtocolFactoryT<tt::TFramedTransport>>(
              options.max_string_bytes, options.max_container_size));
      server_->setConcurrentClientLimit(options.max_connections);
      auto ready = std::make_shared<ReadySignal>(socket);
      std::future<int> bound = ready->port();
      server_->setServerEventHandler(ready);
      std::promise<std::string> failed;
      std::future<std::string> failure = failed.get_future();
      thread_ = std::thread([this, on_failure = options.on_failure, p = std::move(failed)]() mutable {
        std::string error;
        try {
          server_->serve();
        } catch (const std::exception& e) {
          error = e.what();
        }
        p.set_value(error.empty() ? "serving stopped" : error);
        if (!stopping_) {
          Poco::Logger::get("gridhub.rpc").critical("serving stopped unexpectedly: %s", error);
          if (listening_ && on_failure) on_failure();
        }
      });
      // Either serve() reaches preServe (listening) or it throws (bind failed).
      while (true) {
        if (bound.wait_for(std::chrono::milliseconds(10)) == std::future_status::ready) {
          port_ = bound.get();
          listening_ = true;
          return absl::OkStatus();
        }
        if (failure.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready) {
          thread_.join();
          return absl::UnavailableError(absl::StrCat("cannot listen on ", options.host, ":",
                                                     options.port, ": ", failure.get()));
        }
      }
    } catch (const tt::TTransportException& e) {
      return absl::FailedPreconditionError(absl::StrCat("TLS setup failed: ", e.what()));
    }
  }

 private:
  std::shared_ptr<at::server::TThreadedServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
};

}  // namespace

absl::StatusOr<std::unique_ptr<RpcServer>> StartRpcServer(const ServerOptions& options,
                                                          Services services) {
  absl::Status files = CheckCertFiles(options.certs);
  if (!files.ok()) return files;
  // Route Thrift's own chatter (e.g. "SSL_shutdown: Broken pipe") to our log.
  at::GlobalOutput.setOutputFunction([](const char* msg) {
    // Normal closes are chatty ("SSL_shutdown: Broken pipe"); failures say
    // "died", "exception" or "error" and must be seen.
    const std::string text(msg);
    Poco::Logger& log = Poco::Logger::get("gridhub.thrift");
    const bool noise = text.find("SSL_shutdown") != std::string::npos;
    if (!noise && (text.find("died") != std::string::npos ||
                   text.find("xception") != std::string::npos ||
                   text.find("rror") != std::string::npos)) {
      log.warning("%s", text);
    } else {
      log.debug("%s", text);
    }
  });
  auto server = std::make_unique<ThriftServer>();
  absl::Status started = server->Start(options, services);
  if (!started.ok()) return started;
  return std::unique_ptr<RpcServer>(std::move(server));
}

}  // namespace gridhub::hub
