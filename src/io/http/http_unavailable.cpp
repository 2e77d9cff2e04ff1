// sync_http in a build configured with SALESPIPE_WITH_HTTP=OFF (no libcurl).

#include "io/http/checks.hpp"
#include "io/http/http_sync.hpp"

namespace salespipe::io::http {

HttpSyncResult sync_http(const ExportCustomers& customers, sql::StateDb& /*state*/,
                         const HttpOptions& options) {
  options.validate();
  detail::check_customers(customers);
  throw Error(ErrorKind::Usage,
              "HTTP export is not available: salespipe was built with SALESPIPE_WITH_HTTP=OFF");
}

}  // namespace salespipe::io::http
