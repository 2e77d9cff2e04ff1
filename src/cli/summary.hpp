#pragma once

#include <string>

#include "pipeline/etl.hpp"

namespace salespipe::cli {

/// The one-screen summary of an ETL run for people: rows, rejects by reason, dates resolved by
/// step, outputs written, time.
std::string etl_summary(const pipeline::EtlOptions& options, const pipeline::EtlResult& result,
                        double seconds);

}  // namespace salespipe::cli
