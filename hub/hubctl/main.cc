// hubctl: the command-line client for every gridhub user task.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "hub/hubctl/args.h"
#include "hub/hubctl/commands.h"

namespace gridhub::hubctl {
namespace {

constexpr char kHelp[] = R"(hubctl: the gridhub command-line client

usage: hubctl [global options] COMMAND [options] [arguments]

global options (also from the environment):
  --server HOST:PORT   hubd address               (HUB_SERVER, default 127.0.0.1:7600)
  --certs DIR          certificate directory      (HUB_CERTS)
  --user NAME          who you are: uses DIR/ca.pem, DIR/NAME.pem, DIR/NAME.key (HUB_USER)
  --json               machine-readable output
  --help               this help

commands:
  ping                 check the connection and show who the server thinks you are
  import --source NAME [--record-id COLUMN] [--map COLUMN=FIELD]... [--encoding auto|utf-8|gb18030]
         [--sheet NAME] [--header-row LINE] [--batch N] FILE
                       read a CSV/TSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX file and import
                       it; title rows above the header are skipped (--header-row to choose);
                       columns are mapped from their headers unless --record-id/--map say
                       otherwise; prints rows read, imported, unchanged, rejected (with line
                       numbers and reasons), quarantined, residents created, records linked,
                       and the repairs and doubts found per field
  inspect [--rows N] [--record-id COLUMN] [--map COLUMN=FIELD]... FILE
                       offline: the detected encoding, delimiter or sheet, the column mapping,
                       and the first rows normalized, before anything is imported
  normalize [--json] [--home-county PREFIX] FIELD VALUE...
                       offline: each value's canonical form, validity, flags and parts
  quarantine list|retry [--source S]
                       rows and records kept out of the residents, with reasons; retry
                       normalizes quarantined records again and imports those now usable
  get --purpose P [--case REF] ID_NUMBER_OR_RESIDENT_ID
                       one resident's unified record, as far as your role and purpose allow
  export --purpose P [--case REF] --json
                       every resident, one JSON object a line

canonical fields for --map:
  id_number name gender birth_date phone household_address current_address grid_code ethnicity
  (other columns are kept as source attributes)

exit status: 0 success, 1 failure, 2 usage error
)";

}  // namespace
}  // namespace gridhub::hubctl

int main(int argc, char** argv) {
  using namespace gridhub::hubctl;  // NOLINT: main only
  // A server that drops the TLS connection mid-write must give an error
  // message, not kill us with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  auto args = ParseArgs(argc, argv,
                        {"server", "certs", "user", "source", "record-id", "map", "encoding",
                         "purpose", "case", "batch", "page-size", "sheet", "rows", "home-county",
                         "header-row"},
                        {"json", "help", "quiet"});
  if (!args.ok()) return Fail(kExitUsage, std::string(args.status().message()));
  if (args->Flag("help") || args->positional.empty() || args->positional[0] == "help") {
    std::cout << kHelp;
    return args->positional.empty() && !args->Flag("help") ? kExitUsage : kExitOk;
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
  return Fail(kExitUsage, "unknown command \"" + command + "\" (see hubctl --help)");
}
