// JsonRecords: reads the JSON a chat model was asked to answer with into plain records, for
// callers that may not see JSON themselves (service/: the LLM preference extractor). Strict:
// the answer must be one JSON value (a Markdown code fence around it is allowed, as models add
// one); only flat objects become records.
// Thread-safety: a pure function.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/status.h"

namespace loci::embed {

// A record's field value: JSON null, a boolean, a number or a string.
using RecordValue = std::variant<std::nullptr_t, bool, double, std::string>;
using JsonRecord = std::map<std::string, RecordValue, std::less<>>;

struct JsonRecords {
  std::vector<JsonRecord> records;
  int skipped = 0;  // elements that were not flat objects (an array or object as a value, …)
};

// The elements of the array `field` of the JSON object `answer`, or of `answer` itself when it
// is an array. An element becomes a record when it is an object whose values are all null,
// booleans, numbers or strings; other elements are skipped and counted. InvalidArgument when
// the answer is not JSON, holds more than one value, or holds no such array.
Result<JsonRecords> ParseJsonRecords(std::string_view answer, std::string_view field);

}  // namespace loci::embed
