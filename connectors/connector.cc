// connectors/connector.cc: the connector registry and the extension table.
#include "connectors/connector.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gridhub::connectors {
namespace {

// File extensions (lower case, with the dot) and the connector that reads them.
struct ExtensionEntry {
  std::string_view extension;
  std::string_view connector;
};
constexpr ExtensionEntry kExtensions[] = {
    {".csv", "csv"},
    {".tsv", "csv"},
    {".txt", "csv"},
    {".xlsx", "xlsx"},
};

// Extensions recognised but not read, with what to do instead.
struct UnsupportedEntry {
  std::string_view extension;
  std::string_view advice;
};
constexpr UnsupportedEntry kUnsupported[] = {
    {".xls", "old binary Excel format; save as .xlsx or CSV"},
};

std::string SupportedExtensions() {
  std::string out;
  for (const ExtensionEntry& entry : kExtensions) {
    absl::StrAppend(&out, out.empty() ? "" : ", ",
                    absl::string_view(entry.extension.data(), entry.extension.size()));
  }
  return out;
}

}  // namespace

absl::Status ConnectorRegistry::Register(ConnectorFactory factory) {
  if (factory.name.empty()) {
    return absl::InvalidArgumentError("connector registration needs a name");
  }
  if (!factory.create) {
    return absl::InvalidArgumentError(
        absl::StrCat("connector '", factory.name, "' has no create function"));
  }
  if (factories_.count(factory.name) != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("connector '", factory.name, "' is already registered"));
  }
  std::string name = factory.name;
  factories_.emplace(std::move(name), std::move(factory));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Connector>> ConnectorRegistry::Create(
    std::string_view name, const ConnectorOptions& options) const {
  const ConnectorFactory* factory = Find(name);
  if (factory == nullptr) {
    const std::vector<std::string> names = Names();
    return absl::NotFoundError(absl::StrCat(
        "unknown connector '", std::string(name),
        "' (known: ", names.empty() ? std::string("none") : absl::StrJoin(names, ", "), ")"));
  }
  return factory->create(options);
}

const ConnectorFactory* ConnectorRegistry::Find(std::string_view name) const {
  const auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> ConnectorRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(factories_.size());
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;  // std::map keeps them sorted
}

absl::StatusOr<std::string> ConnectorForPath(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = file.find_last_of('.');
  std::string extension;
  if (dot != std::string_view::npos && dot != 0) {
    extension = absl::AsciiStrToLower(absl::string_view(file.data() + dot, file.size() - dot));
    for (const ExtensionEntry& entry : kExtensions) {
      if (extension == entry.extension) return std::string(entry.connector);
    }
    for (const UnsupportedEntry& entry : kUnsupported) {
      if (extension == entry.extension) {
        return absl::InvalidArgumentError(
            absl::StrCat("no connector for '", std::string(path),
                         "': ", absl::string_view(entry.advice.data(), entry.advice.size())));
      }
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("no connector for '", std::string(path), "': ",
                   extension.empty() ? std::string("it has no file extension")
                                     : absl::StrCat("unknown extension '", extension, "'"),
                   " (supported: ", SupportedExtensions(), ")"));
}

}  // namespace gridhub::connectors
