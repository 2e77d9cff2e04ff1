#pragma once

// Checks shared by the real sync and the build without libcurl, private to io/http.

#include <string_view>

#include "core/export_tables.hpp"

namespace salespipe::io::http::detail {

/// Throws Error{Input} for data that cannot be sent (see sync_http) and Error{Internal} for
/// columns of different lengths.
void check_customers(const ExportCustomers& customers);

/// The URL without its query and fragment, for messages and the default state key.
std::string_view url_without_query(std::string_view url) noexcept;

}  // namespace salespipe::io::http::detail
