// hub/hubctl/help.h: hubctl's help texts: `hubctl --help` lists every
// command; `hubctl COMMAND --help` (or `hubctl help COMMAND`) explains one.
#ifndef GRIDHUB_HUB_HUBCTL_HELP_H_
#define GRIDHUB_HUB_HUBCTL_HELP_H_

#include <string_view>

namespace gridhub::hubctl {

// Usage, global options and a synopsis of every command.
std::string_view GeneralHelp();

// One command's usage, options and examples; "" for an unknown command.
std::string_view CommandHelp(std::string_view command);

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_HELP_H_
