// export_postgres in a build configured with SALESPIPE_WITH_POSTGRES=OFF (no libpqxx).

#include "core/error.hpp"
#include "io/db_export/db_export.hpp"
#include "io/db_export/schema.hpp"

namespace salespipe::io::db_export {

DbExportResult export_postgres(const std::string& /*dsn*/, const ExportData& data,
                               const DbExportOptions& options) {
  detail::check_export(data, options, true);
  throw Error(ErrorKind::Usage,
              "PostgreSQL export is not available: salespipe was built with "
              "SALESPIPE_WITH_POSTGRES=OFF");
}

}  // namespace salespipe::io::db_export
