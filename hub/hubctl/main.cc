// hubctl: the command-line client for every gridhub user task.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "hub/hubctl/args.h"
#include "hub/hubctl/commands.h"
#include "hub/hubctl/help.h"

int main(int argc, char** argv) {
  using namespace gridhub::hubctl;  // NOLINT: main only
  // A server that drops the TLS connection mid-write must give an error
  // message, not kill us with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  auto args = ParseArgs(argc, argv,
                        {"server", "certs", "user", "source", "record-id", "map", "encoding",
                         "purpose", "case", "batch", "page-size", "sheet", "rows", "home-county",
                         "header-row", "limit", "cursor", "note"},
                        {"json", "help", "quiet"});
  if (!args.ok()) return Fail(kExitUsage, std::string(args.status().message()));
  if (args->Flag("help") || args->positional.empty() || args->positional[0] == "help") {
    // `hubctl COMMAND --help` and `hubctl help COMMAND` explain one command.
    const auto& pos = args->positional;
    const std::string topic = pos.empty() ? "" : pos[0] == "help" ? (pos.size() > 1 ? pos[1] : "") : pos[0];
    const std::string_view text = CommandHelp(topic);
    std::cout << (text.empty() ? GeneralHelp() : text);
    return pos.empty() && !args->Flag("help") ? kExitUsage : kExitOk;
  }
  auto env = [](const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return std::string(v != nullptr && *v != '\0' ? v : fallback);
  };
  ClientConfig config;
  config.server = args->Get("server", env("HUB_SERVER", "127.0.0.1:7600"));
  config.certs = args->Get("certs", env("HUB_CERTS", ""));
  config.user = args->Get("user", env("HUB_USER", ""));

  const std::string& command = args->positional[0];
  if (command == "normalize") return RunNormalize(*args);
  if (command == "inspect") return RunInspect(*args);
  if (command == "quarantine") return RunQuarantine(*args, config);
  if (command == "ping") return RunPing(*args, config);
  if (command == "import") return RunImport(*args, config);
  if (command == "get") return RunGet(*args, config);
  if (command == "export") return RunExport(*args, config);
  if (command == "review") return RunReview(*args, config);
  if (command == "resident") return RunResident(*args, config);
  if (command == "explain") return RunExplain(*args, config);
  if (command == "why") return RunWhy(*args, config);
  if (command == "model") return RunModel(*args, config);
  return Fail(kExitUsage, "unknown command \"" + command + "\" (see hubctl --help)");
}
