// A quick reader for the JSON that request bodies nearly always hold: objects, arrays, strings,
// integers of up to 18 digits, true, false and null. It reports each value to a nlohmann SAX
// handler with the very events, in the very order, that nlohmann's own parser would. Anything
// else (fractions and exponents, longer integers, a byte order mark, and whatever is not JSON
// at all) it leaves undecided, for nlohmann's parser to read or to describe the error of.
//
// Thread-safety: a pure function (the handler is the caller's).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace loci::http {

enum class ScanOutcome {
  kRead,       // the whole text is one JSON value; the handler was told all of it
  kRefused,    // the handler returned false for an event; reading stopped there
  kUndecided,  // not read here: the handler may have been told part of the text, to be dropped
};

ScanOutcome ScanJson(std::string_view text, nlohmann::json_sax<nlohmann::json>& sax);

}  // namespace loci::http
