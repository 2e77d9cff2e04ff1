#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/etl.hpp"

namespace salespipe::pipeline {

/// The run manifest (data_warehouse/run_manifest.json) as data: its top-level keys in order, each
/// with its value as JSON text laid out by JsonWriter. Each stage sets its own sections (etl all
/// but "segmentation", segment "segmentation") and json() writes the file, so a section's place
/// and the other sections' bytes do not depend on which stage wrote last.
class RunManifest {
 public:
  /// A manifest as salespipe wrote it, read back section by section: numbers keep their text and
  /// strings are escaped again as JsonWriter does, so json() gives the same bytes. Throws
  /// Error{Input} located at `file` when the text is not JSON or not an object.
  static RunManifest parse(std::string_view json, std::string_view file);

  /// Sets section `key` to `value_json`, one value laid out by JsonWriter (a final newline, as
  /// finish() adds, is dropped): in its place when the key is there, else after the others.
  void set(std::string_view key, std::string value_json);
  /// A section's value as set() stored it, or nullptr when the manifest has no such key.
  const std::string* find(std::string_view key) const;
  /// The file's bytes: one pretty-printed object with the sections in order, a final newline.
  std::string json() const;

 private:
  struct Section {
    std::string key;
    std::string value_json;
  };
  std::vector<Section> sections_;
};

/// The etl stage's manifest: inputs with size and fingerprint, parameters, every count, data
/// quality, timings per stage, outputs. Keys in a fixed order, so two runs on the same inputs
/// differ only in their timings.
RunManifest etl_manifest(const EtlOptions& options, const EtlResult& result);

/// etl_manifest(options, result).json(): what etl writes to run_manifest.json.
std::string manifest_json(const EtlOptions& options, const EtlResult& result);

}  // namespace salespipe::pipeline
