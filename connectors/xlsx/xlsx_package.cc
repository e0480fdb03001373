// connectors/xlsx/xlsx_package.cc: see xlsx_package.h.
#include "connectors/xlsx/xlsx_package.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <utility>

#include "Poco/Exception.h"
#include "Poco/SAX/Attributes.h"
#include "Poco/SAX/ContentHandler.h"
#include "Poco/SAX/DefaultHandler.h"
#include "Poco/SAX/InputSource.h"
#include "Poco/SAX/SAXParser.h"
#include "Poco/SAX/XMLReader.h"
#include "Poco/Zip/ZipArchive.h"
#include "Poco/Zip/ZipStream.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gridhub::connectors::xlsx {
namespace {

// Collects <Relationship> elements of a .rels part.
class RelationshipHandler : public Poco::XML::DefaultHandler {
 public:
  RelationshipHandler(std::string source_part, std::vector<Relationship>* out)
      : source_part_(std::move(source_part)), out_(out) {}

  void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local_name,
                    const Poco::XML::XMLString& qname,
                    const Poco::XML::Attributes& attributes) override {
    if (local_name != "Relationship") return;
    if (AttributeValue(attributes, "TargetMode") == "External") return;
    Relationship relationship;
    relationship.id = AttributeValue(attributes, "Id");
    relationship.type = AttributeValue(attributes, "Type");
    relationship.part = ResolvePartName(source_part_, AttributeValue(attributes, "Target"));
    out_->push_back(std::move(relationship));
  }

 private:
  const std::string source_part_;
  std::vector<Relationship>* out_;
};

}  // namespace

std::string AttributeValue(const Poco::XML::Attributes& attributes, std::string_view name,
                           bool qualified) {
  for (int i = 0; i < attributes.getLength(); ++i) {
    if (attributes.getLocalName(i) == name && attributes.getURI(i).empty() != qualified) {
      return attributes.getValue(i);
    }
  }
  return "";
}

std::string ResolvePartName(std::string_view source_part, std::string_view target) {
  std::string joined;
  if (!target.empty() && target.front() == '/') {
    joined = std::string(target);
  } else {
    const size_t slash = source_part.find_last_of('/');
    const std::string_view dir =
        slash == std::string_view::npos ? std::string_view() : source_part.substr(0, slash + 1);
    joined = absl::StrCat(std::string(dir), std::string(target));
  }
  std::vector<std::string> segments;
  for (const absl::string_view segment : absl::StrSplit(joined, '/', absl::SkipEmpty())) {
    if (segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.emplace_back(segment);
  }
  return absl::StrJoin(segments, "/");
}

bool RelationshipIs(std::string_view type, std::string_view kind) {
  return type.size() > kind.size() && type.substr(type.size() - kind.size()) == kind &&
         type[type.size() - kind.size() - 1] == '/';
}

XlsxPackage::XlsxPackage(std::string path, std::unique_ptr<Poco::Zip::ZipArchive> archive)
    : path_(std::move(path)), archive_(std::move(archive)) {}

XlsxPackage::~XlsxPackage() = default;

std::string XlsxPackage::Where() const { return absl::StrCat("xlsx: '", path_, "'"); }

absl::StatusOr<std::unique_ptr<XlsxPackage>> XlsxPackage::Open(const std::string& path) {
  // open(2) first, for a precise errno (missing file, no permission).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return absl::ErrnoToStatus(error, absl::StrCat("xlsx: cannot open '", path, "'"));
  }
  struct stat info;
  const bool is_directory = ::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode);
  ::close(fd);
  if (is_directory) {
    return absl::InvalidArgumentError(
        absl::StrCat("xlsx: '", path, "' is a directory, not an .xlsx workbook"));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::PermissionDeniedError(absl::StrCat("xlsx: cannot read '", path, "'"));
  }
  std::unique_ptr<Poco::Zip::ZipArchive> archive;
  try {
    archive = std::make_unique<Poco::Zip::ZipArchive>(file);
  } catch (const Poco::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        "xlsx: '", path, "' is not an .xlsx workbook (not a zip archive: ", e.displayText(), ")"));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        "xlsx: '", path, "' is not an .xlsx workbook (not a zip archive: ", e.what(), ")"));
  }
  if (archive->headerBegin() == archive->headerEnd()) {
    return absl::InvalidArgumentError(
        absl::StrCat("xlsx: '", path, "' is not an .xlsx workbook (not a zip archive)"));
  }
  return std::unique_ptr<XlsxPackage>(new XlsxPackage(path, std::move(archive)));
}

bool XlsxPackage::Has(const std::string& part) const {
  return archive_->findHeader(part) != archive_->headerEnd();
}

absl::StatusOr<std::unique_ptr<PartStream>> XlsxPackage::OpenPart(const std::string& part) const {
  const auto header = archive_->findHeader(part);
  if (header == archive_->headerEnd()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Where(), " is not a valid .xlsx workbook: it has no part '", part, "'"));
  }
  auto file = std::make_unique<std::ifstream>(path_, std::ios::binary);
  if (!*file) {
    return absl::DataLossError(absl::StrCat(Where(), ": cannot reopen the file to read ", part));
  }
  try {
    auto zip = std::make_unique<Poco::Zip::ZipInputStream>(*file, header->second, true);
    return std::make_unique<PartStream>(std::move(file), std::move(zip));
  } catch (const Poco::Exception& e) {
    return absl::DataLossError(
        absl::StrCat(Where(), ": cannot read part ", part, ": ", e.displayText()));
  } catch (const std::exception& e) {
    return absl::DataLossError(absl::StrCat(Where(), ": cannot read part ", part, ": ", e.what()));
  }
}

absl::Status XlsxPackage::ParseXml(const std::string& part,
                                   Poco::XML::ContentHandler* handler) const {
  auto stream = OpenPart(part);
  if (!stream.ok()) return stream.status();
  try {
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    parser.setContentHandler(handler);
    Poco::XML::InputSource source((*stream)->stream());
    parser.parse(&source);
  } catch (const Poco::Exception& e) {
    return absl::DataLossError(
        absl::StrCat(Where(), ": part ", part, " is damaged: ", e.displayText()));
  } catch (const std::exception& e) {
    return absl::DataLossError(absl::StrCat(Where(), ": part ", part, " is damaged: ", e.what()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Relationship>> XlsxPackage::ReadRelationships(
    const std::string& source_part) const {
  const size_t slash = source_part.find_last_of('/');
  const std::string rels_part = slash == std::string::npos
                                    ? absl::StrCat("_rels/", source_part, ".rels")
                                    : absl::StrCat(source_part.substr(0, slash), "/_rels/",
                                                   source_part.substr(slash + 1), ".rels");
  std::vector<Relationship> relationships;
  if (!Has(rels_part)) return relationships;
  RelationshipHandler handler(source_part, &relationships);
  const absl::Status parsed = ParseXml(rels_part, &handler);
  if (!parsed.ok()) return parsed;
  return relationships;
}

}  // namespace gridhub::connectors::xlsx
