// connectors/xlsx/workbook.cc: see workbook.h.
#include "connectors/xlsx/workbook.h"

#include <map>
#include <utility>

#include "Poco/SAX/Attributes.h"
#include "Poco/SAX/DefaultHandler.h"
#include "absl/strings/str_cat.h"
#include "schema/status.h"

namespace gridhub::connectors::xlsx {
namespace {

constexpr char kDefaultWorkbookPart[] = "xl/workbook.xml";

// Reads <workbookPr date1904> and <sheets><sheet name r:id state>.
class WorkbookHandler : public Poco::XML::DefaultHandler {
 public:
  struct Sheet {
    std::string name;
    std::string relationship_id;
    bool visible = true;
  };

  void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local_name,
                    const Poco::XML::XMLString& qname,
                    const Poco::XML::Attributes& attributes) override {
    if (local_name == "workbookPr") {
      const std::string value = AttributeValue(attributes, "date1904");
      date1904_ = value == "1" || value == "true";
    } else if (local_name == "sheet") {
      Sheet sheet;
      sheet.name = AttributeValue(attributes, "name");
      sheet.relationship_id = AttributeValue(attributes, "id", /*qualified=*/true);
      const std::string state = AttributeValue(attributes, "state");
      sheet.visible = state != "hidden" && state != "veryHidden";
      sheets_.push_back(std::move(sheet));
    }
  }

  bool date1904() const { return date1904_; }
  const std::vector<Sheet>& sheets() const { return sheets_; }

 private:
  bool date1904_ = false;
  std::vector<Sheet> sheets_;
};

}  // namespace

absl::StatusOr<WorkbookInfo> ReadWorkbook(const XlsxPackage& package) {
  WorkbookInfo info;
  GRIDHUB_ASSIGN_OR_RETURN(const std::vector<Relationship> package_rels,
                           package.ReadRelationships(""));
  for (const Relationship& relationship : package_rels) {
    if (RelationshipIs(relationship.type, "officeDocument") && package.Has(relationship.part)) {
      info.part = relationship.part;
      break;
    }
  }
  if (info.part.empty() && package.Has(kDefaultWorkbookPart)) info.part = kDefaultWorkbookPart;
  if (info.part.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(package.Where(), " is not an .xlsx workbook (it has no xl/workbook.xml)"));
  }

  WorkbookHandler handler;
  GRIDHUB_RETURN_IF_ERROR(package.ParseXml(info.part, &handler));
  info.date1904 = handler.date1904();

  GRIDHUB_ASSIGN_OR_RETURN(const std::vector<Relationship> workbook_rels,
                           package.ReadRelationships(info.part));
  std::map<std::string, const Relationship*> by_id;
  for (const Relationship& relationship : workbook_rels) {
    by_id.emplace(relationship.id, &relationship);
    if (RelationshipIs(relationship.type, "sharedStrings")) {
      info.shared_strings_part = relationship.part;
    } else if (RelationshipIs(relationship.type, "styles")) {
      info.styles_part = relationship.part;
    }
  }
  for (const WorkbookHandler::Sheet& sheet : handler.sheets()) {
    SheetEntry entry;
    entry.name = sheet.name;
    entry.visible = sheet.visible;
    const auto it = by_id.find(sheet.relationship_id);
    if (it != by_id.end()) {
      entry.part = it->second->part;
      entry.is_worksheet = RelationshipIs(it->second->type, "worksheet");
    }
    info.sheets.push_back(std::move(entry));
  }
  return info;
}

}  // namespace gridhub::connectors::xlsx
