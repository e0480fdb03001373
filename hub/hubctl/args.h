// hub/hubctl/args.h: command-line parsing for hubctl.
//
// `--name VALUE`, `--name=VALUE` and bare `--flag`; options may appear
// before or after the command. Which names take a value is declared up
// front, so an unknown option is an error that names it.
// Not thread-safe; used once at start-up.
#ifndef GRIDHUB_HUB_HUBCTL_ARGS_H_
#define GRIDHUB_HUB_HUBCTL_ARGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gridhub::hubctl {

struct Args {
  std::vector<std::string> positional;               // command first
  std::multimap<std::string, std::string> options;   // repeated options keep all values
  std::set<std::string> flags;

  bool Flag(const std::string& name) const { return flags.count(name) > 0; }
  // The last value of an option, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> All(const std::string& name) const;
};

// `with_value`: option names that take a value; `flags`: names that don't.
absl::StatusOr<Args> ParseArgs(int argc, char** argv, const std::set<std::string>& with_value,
                               const std::set<std::string>& flags);

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_ARGS_H_
