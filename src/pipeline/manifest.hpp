#pragma once

#include <string>

#include "pipeline/etl.hpp"

namespace salespipe::pipeline {

/// The run manifest (data_warehouse/run_manifest.json): inputs with size and fingerprint,
/// parameters, every count, data quality, timings per stage, outputs. Keys in a fixed order, so
/// two runs on the same inputs differ only in their timings.
std::string manifest_json(const EtlOptions& options, const EtlResult& result);

}  // namespace salespipe::pipeline
