// connectors/xlsx/xlsx_package.h: the zip container of an .xlsx workbook
// (an Open Packaging Conventions package) and the XML parts inside it.
//
// Only the xlsx connector uses this header. It hides Poco: Poco::Zip reads
// the archive, Poco::XML parses parts, and every Poco exception is turned
// into an absl::Status here or in the other xlsx files, never let through.
//
// Thread-safety: one thread at a time. Each open part has its own file
// handle, so a part being streamed and another being read do not interfere.
#ifndef GRIDHUB_CONNECTORS_XLSX_XLSX_PACKAGE_H_
#define GRIDHUB_CONNECTORS_XLSX_XLSX_PACKAGE_H_

#include <fstream>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace Poco::XML {
class Attributes;
class ContentHandler;
}  // namespace Poco::XML
namespace Poco::Zip {
class ZipArchive;
}  // namespace Poco::Zip

namespace gridhub::connectors::xlsx {

// One part of the package, decompressed as it is read.
class PartStream {
 public:
  PartStream(std::unique_ptr<std::ifstream> file, std::unique_ptr<std::istream> zip)
      : file_(std::move(file)), zip_(std::move(zip)) {}
  std::istream& stream() { return *zip_; }

 private:
  std::unique_ptr<std::ifstream> file_;  // the archive, positioned at the part
  std::unique_ptr<std::istream> zip_;    // inflates from *file_; destroyed first
};

// A relationship from a part's _rels file: <Relationship Id Type Target>.
struct Relationship {
  std::string id;
  std::string type;  // a URI; compare its last segment ("worksheet", "styles", ...)
  std::string part;  // the target resolved to a part name ("xl/worksheets/sheet1.xml")
};

// The package must outlive the PartStreams it opens.
class XlsxPackage {
 public:
  // Opens the zip at `path` and reads its directory. kNotFound if the file
  // does not exist, kPermissionDenied if it cannot be read, kInvalidArgument
  // ("'path' is not an .xlsx workbook ...") if it is a directory or not a zip.
  static absl::StatusOr<std::unique_ptr<XlsxPackage>> Open(const std::string& path);

  ~XlsxPackage();
  XlsxPackage(const XlsxPackage&) = delete;
  XlsxPackage& operator=(const XlsxPackage&) = delete;

  const std::string& path() const { return path_; }

  // Whether the archive holds the part (a name like "xl/workbook.xml").
  bool Has(const std::string& part) const;

  // Opens a part for streaming. kInvalidArgument if the archive has no such
  // part, kDataLoss if it cannot be read. Messages name the file and part.
  absl::StatusOr<std::unique_ptr<PartStream>> OpenPart(const std::string& part) const;

  // Parses a whole part with the SAX parser (namespaces on), feeding
  // `handler`. Malformed XML or a damaged entry is kDataLoss naming the part.
  absl::Status ParseXml(const std::string& part, Poco::XML::ContentHandler* handler) const;

  // The relationships of `source_part` (from "<dir>/_rels/<name>.rels"; ""
  // for the package itself), external targets left out. A part without a
  // _rels file has none: an empty list, not an error.
  absl::StatusOr<std::vector<Relationship>> ReadRelationships(const std::string& source_part) const;

  // "xlsx: 'path'": how every message about this file starts.
  std::string Where() const;

 private:
  XlsxPackage(std::string path, std::unique_ptr<Poco::Zip::ZipArchive> archive);

  const std::string path_;
  std::unique_ptr<Poco::Zip::ZipArchive> archive_;
};

// Resolves a relationship target against the part that holds it: "/xl/a.xml"
// is absolute, "worksheets/s.xml" from "xl/workbook.xml" is
// "xl/worksheets/s.xml"; "." and ".." segments are folded.
std::string ResolvePartName(std::string_view source_part, std::string_view target);

// The value of the attribute with local name `name`, or "" if absent. With
// `qualified`, only a namespaced attribute matches (r:id); otherwise only an
// attribute without a namespace (the usual case).
std::string AttributeValue(const Poco::XML::Attributes& attributes, std::string_view name,
                           bool qualified = false);

// Whether a relationship type URI ends in "/<kind>" (e.g. kind "worksheet").
bool RelationshipIs(std::string_view type, std::string_view kind);

}  // namespace gridhub::connectors::xlsx

#endif  // GRIDHUB_CONNECTORS_XLSX_XLSX_PACKAGE_H_
