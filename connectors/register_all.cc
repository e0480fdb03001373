// connectors/register_all.cc: the explicit list of built-in connectors. Add a
// line here for each new connector (and its sources to CMakeLists.txt).
#include "connectors/connector.h"
#include "connectors/csv/csv_connector.h"
#include "connectors/xlsx/xlsx_connector.h"

namespace gridhub::connectors {

void RegisterAll(ConnectorRegistry* registry) {
  // A name that is already registered keeps its first factory, so calling
  // RegisterAll twice is harmless; that is the only way these can fail.
  registry->Register(CsvConnectorFactory()).IgnoreError();
  registry->Register(XlsxConnectorFactory()).IgnoreError();
}

}  // namespace gridhub::connectors
