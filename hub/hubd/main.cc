// hubd: the gridhub server. Embedded RocksDB in --data-dir, Thrift over
// mutual TLS on --listen. See `hubd --help`.
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/File.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <Poco/Path.h>
#include <signal.h>
#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <set>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "hub/clock.h"
#include "hub/huge_pages.h"
#include "hub/ingest/ingest.h"
#include "hub/query/query.h"
#include "hub/server/server.h"
#include "hub/store/kv_store.h"
#include "security/policy.h"

namespace gridhub::hub {
namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

// Splits "HOST:PORT" (PORT 0-65535; 0 = any free port).
absl::Status ParseListen(const std::string& text, std::string* host, int* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(text.substr(colon + 1), port) || *port < 0 || *port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--listen \"", text, "\": expected HOST:PORT, e.g. 127.0.0.1:7600"));
  }
  *host = text.substr(0, colon);
  return absl::OkStatus();
}

class Hubd final : public Poco::Util::ServerApplication {
 protected:
  void initialize(Application& self) override {
    std::signal(SIGPIPE, SIG_IGN);  // a client reset mid-response must not kill us
    // Termination signals are taken only by waitForTerminationRequest():
    // block them before any thread starts, so every thread inherits the mask.
    sigset_t termination;
    sigemptyset(&termination);
    sigaddset(&termination, SIGINT);
    sigaddset(&termination, SIGTERM);
    sigaddset(&termination, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &termination, nullptr);
    ::umask(077);  // the store and port file hold or reveal resident data
    if (!config_file_.empty()) loadConfiguration(config_file_);
    ServerApplication::initialize(self);
    Poco::AutoPtr<Poco::PatternFormatter> pattern(
        new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %s: %t"));
    Poco::AutoPtr<Poco::FormattingChannel> channel(
        new Poco::FormattingChannel(pattern, new Poco::ConsoleChannel(std::cerr)));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(config().getString("hubd.log_level", "information"));
    logger().setChannel(channel);
    logger().setLevel(Poco::Logger::root().getLevel());
  }

  void defineOptions(OptionSet& options) override {
    ServerApplication::defineOptions(options);
    auto add = [&](const char* name, const char* arg, const char* help, const char* key) {
      Option o(name, "", help);
      o.required(false).repeatable(false);
      if (arg) o.argument(arg);
      if (key) o.binding(key);
      options.addOption(o);
    };
    add("help", nullptr, "Show this help and exit.", nullptr);
    add("data-dir", "DIR", "Directory of the embedded store (created if missing). Required.",
        "hubd.data_dir");
    add("listen", "HOST:PORT", "Address to serve on. Default 127.0.0.1:7600; port 0 = any free port.",
        "hubd.listen");
    add("certs", "DIR", "Directory with ca.pem, server.pem, server.key (ops/gen-certs.sh). Required.",
        "hubd.certs");
    add("config", "FILE", "Configuration file (.properties or .ini) with hubd.* keys.", nullptr);
    add("policy", "FILE", "Access policy file. Default: the built-in policy (see --print-policy).",
        "hubd.policy");
    add("home-county", "PREFIX",
        "The county this hub serves, e.g. 浙江省杭州市桐庐县: addresses in it compare without that prefix.",
        "hubd.home_county");
    add("source-priority", "SPEC",
        "Which department's value becomes the golden value, per field, e.g. "
        "\"default=police,civil,grid; current_address=grid,police,civil; phone=grid,police,civil\" "
        "(the default). Applies to residents as they next change.",
        "hubd.source_priority");
    add("port-file", "FILE", "Write the bound port to FILE once listening (for scripts).",
        "hubd.port_file");
    add("print-policy", nullptr, "Print the built-in access policy and exit.", nullptr);
  }

  void handleOption(const std::string& name, const std::string& value) override {
    // Paths are made absolute now: --daemon changes directory to "/".
    static const std::set<std::string> kPathOptions = {"data-dir", "certs", "config", "policy",
                                                       "port-file"};
    if (kPathOptions.count(name) && !value.empty()) {
      const std::string absolute = Poco::Path(value).makeAbsolute().toString();
      ServerApplication::handleOption(name, absolute);
      if (name == "config") config_file_ = absolute;
      if (name != "config") config().setString(BindingOf(name), absolute);
      return;
    }
    ServerApplication::handleOption(name, value);
    if (name == "help") {
      help_ = true;
      stopOptionsProcessing();
    } else if (name == "print-policy") {
      print_policy_ = true;
    } else if (name == "config") {
      config_file_ = value;
    }
  }

  int main(const std::vector<std::string>& args) override {
    if (help_) {
      Poco::Util::HelpFormatter help(options());
      help.setCommand(commandName());
      help.setUsage("--data-dir DIR --certs DIR [--listen HOST:PORT] [options]");
      help.setHeader(
          "gridhub server: resolves residents' records from police, civil-affairs and grid "
          "sources into one record per resident and serves authorized views over Thrift with "
          "mutual TLS. Logs go to stderr; SIGTERM or SIGINT stops it cleanly. The heap is put on "
          "transparent huge pages where the kernel allows (faster imports); GRIDHUB_HUGE_PAGES=off "
          "in the environment keeps it on normal pages.");
      help.format(std::cout);
      return EXIT_OK;
    }
    if (print_policy_) {
      std::cout << security::Policy::DefaultPolicyText();
      return EXIT_OK;
    }
    if (!args.empty()) return Fail(EXIT_USAGE, absl::StrCat("unexpected argument \"", args[0], "\""));
    // Before any thread starts (huge_pages.h). Only the speed depends on it.
    if (absl::Status huge = UseHugePages(); huge.ok()) {
      log_.information("heap on 2 MiB transparent huge pages (%s=off to turn them off)",
                       std::string(kHugePagesEnv));
    } else {
      log_.information("heap on normal pages: %s", std::string(huge.message()));
    }
    const std::string data_dir = config().getString("hubd.data_dir", "");
    const std::string certs = config().getString("hubd.certs", "");
    if (data_dir.empty()) return Fail(EXIT_USAGE, "--data-dir is required (see --help)");
    if (certs.empty()) return Fail(EXIT_USAGE, "--certs is required (see --help)");

    ServerOptions server_options;
    server_options.on_failure = [this] { failed_ = true; terminate(); };
    absl::Status s = ParseListen(config().getString("hubd.listen", "127.0.0.1:7600"),
                                 &server_options.host, &server_options.port);
    if (!s.ok()) return Fail(EXIT_USAGE, std::string(s.message()));
    server_options.certs = {certs + "/ca.pem", certs + "/server.pem", certs + "/server.key"};

    security::Policy policy = security::Policy::Default();
    const std::string policy_file = config().getString("hubd.policy", "");
    if (!policy_file.empty()) {
      auto loaded = security::Policy::LoadFile(policy_file);
      if (!loaded.ok()) return Fail(EXIT_CONFIG, std::string(loaded.status().message()));
      policy = *std::move(loaded);
    }

    if (absl::Status s = PrepareDataDir(data_dir); !s.ok()) {
      return Fail(EXIT_CANTCREAT, std::string(s.message()));
    }
    StoreOptions store_options;
    store_options.path = data_dir + "/db";
    auto store = OpenRocksStore(store_options);
    if (!store.ok()) return Fail(EXIT_IOERR, std::string(store.status().message()));

    SystemClock clock;
    IngestOptions ingest_options;
    ingest_options.home_county = config().getString("hubd.home_county", "");
    if (const std::string spec = config().getString("hubd.source_priority", ""); !spec.empty()) {
      auto golden = ParseSourcePriority(spec);
      if (!golden.ok()) return Fail(EXIT_CONFIG, std::string(golden.status().message()));
      ingest_options.golden = *std::move(golden);
    }
    Ingestor ingestor(store->get(), &clock, ingest_options);
    ResidentQuery query(store->get(), ingest_options.golden);
    auto server = StartRpcServer(server_options, Services{&ingestor, &query, &policy});
    if (!server.ok()) return Fail(EXIT_UNAVAILABLE, std::string(server.status().message()));

    log_.information("hubd listening on %s:%d (mutual TLS), data in %s, %d policy rules",
                         server_options.host, (*server)->port(), data_dir,
                         static_cast<int>(policy.rules().size()));
    const std::string port_file = config().getString("hubd.port_file", "");
    if (!port_file.empty()) {
      std::ofstream(port_file + ".tmp") << (*server)->port() << "\n";
      std::rename((port_file + ".tmp").c_str(), port_file.c_str());
    }
    waitForTerminationRequest();
    log_.information("hubd stopping");
    (*server)->Stop();
    store->reset();
    if (failed_) {
      log_.critical("hubd stopped because serving failed; see the errors above");
      return EXIT_SOFTWARE;
    }
    log_.information("hubd stopped");
    return EXIT_OK;
  }

 private:
  static std::string BindingOf(const std::string& option) {
    if (option == "data-dir") return "hubd.data_dir";
    if (option == "port-file") return "hubd.port_file";
    return "hubd." + option;
  }

  // Creates the data directory owner-only, or checks an existing one is.
  static absl::Status PrepareDataDir(const std::string& dir) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) {
      try {
        Poco::File(dir).createDirectories();
      } catch (const Poco::Exception& e) {
        return absl::InternalError(absl::StrCat("cannot create data dir ", dir, ": ", e.displayText()));
      }
      ::chmod(dir.c_str(), 0700);
      return absl::OkStatus();
    }
    if (!S_ISDIR(st.st_mode)) return absl::InvalidArgumentError(absl::StrCat(dir, " is not a directory"));
    if ((st.st_mode & 077) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data dir ", dir, " is accessible to group or others; it holds resident data: chmod 700 it"));
    }
    return absl::OkStatus();
  }

  int Fail(int code, const std::string& message) {
    std::cerr << "hubd: " << message << "\n";
    return code;
  }

  Poco::Logger& log_ = Poco::Logger::get("gridhub.hubd");
  bool failed_ = false;
  bool help_ = false;
  bool print_policy_ = false;
  std::string config_file_;
};

}  // namespace
}  // namespace gridhub::hub

POCO_SERVER_MAIN(gridhub::hub::Hubd)
