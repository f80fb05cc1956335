#include "http/json_scanner.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace loci::http {
namespace {

using nlohmann::json;

// Every event the scanner tells, in order, as text.
class Recorder final : public nlohmann::json_sax<json> {
 public:
  explicit Recorder(int refuse_at = -1) : refuse_at_(refuse_at) {}

  bool null() override { return Note("null"); }
  bool boolean(bool value) override { return Note(value ? "true" : "false"); }
  bool number_integer(number_integer_t value) override {
    return Note("int " + std::to_string(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return Note("unsigned " + std::to_string(value));
  }
  bool number_float(number_float_t value, const string_t& /*text*/) override {
    return Note("float " + std::to_string(value));
  }
  bool string(string_t& value) override { return Note("string " + value); }
  bool binary(binary_t& /*value*/) override { return Note("binary"); }
  bool start_object(std::size_t elements) override { return Note("{ " + std::to_string(elements)); }
  bool end_object() override { return Note("}"); }
  bool start_array(std::size_t elements) override { return Note("[ " + std::to_string(elements)); }
  bool end_array() override { return Note("]"); }
  bool key(string_t& key) override { return Note("key " + key); }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*ex*/) override {
    return Note("error");
  }

  const std::vector<std::string>& events() const { return events_; }

 private:
  bool Note(std::string event) {
    events_.push_back(std::move(event));
    return static_cast<int>(events_.size()) != refuse_at_;
  }

  int refuse_at_;
  std::vector<std::string> events_;
};

// nlohmann's own events for `text`.
std::vector<std::string> NlohmannEvents(const std::string& text) {
  Recorder recorder;
  json::sax_parse(text, &recorder);
  return recorder.events();
}

TEST(JsonScannerTest, ReadsTheCommonSubsetWithNlohmannsEvents) {
  const std::vector<std::string> texts = {
      R"({"user_id":"u1","session_id":"w","messages":[{"role":"user","content":"hi"}]})",
      " \t\r\n{ \"a\" : [ 1 , -2 , 0 , -0 , 123456789012345678 , -123456789012345678 ] } \n",
      R"([true,false,null,{},[],"",{"":[{}]}])",
      R"("just a string")",
      "42",
      "-7",
      R"({"escapes":"\"\\\/\b\f\n\r\t","unicode":"\u00e9\u4e2d\ud83d\ude00\u0000x"})",
      "{\"raw\":\"caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80 \xED\x9F\xBF \xEF\xBF\xBF\"}",
      R"({"nested":{"deeper":{"deepest":[[[["x"]]]]}}})",
  };
  for (const std::string& text : texts) {
    Recorder recorder;
    EXPECT_EQ(ScanJson(text, recorder), ScanOutcome::kRead) << text;
    EXPECT_EQ(recorder.events(), NlohmannEvents(text)) << text;
  }
}

TEST(JsonScannerTest, LeavesWhatItDoesNotReadUndecided) {
  const std::vector<std::string> texts = {
      // Valid JSON outside the subset.
      "1.5", "1e3", "-2E-1", "1234567890123456789", "-1234567890123456789", "\xEF\xBB\xBF{}",
      // Not JSON.
      "", " ", "{", "}", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}", "{'a':1}",
      "[01]", "[-]", "[+1]", "[1.]", "[.5]", "tru", "nul", "True", "[true1]", "\"open",
      "\"bad \\x escape\"", "\"\\u12\"", "\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"",
      "\"tab\tinside\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"",
      "\"\xE0\x80\x80\"", "\"\xC3\"", "{} {}", "[] x", "{\"a\":1}}", "[[]", "[]]", "\"x\" //",
      "/* c */ 1"};
  for (const std::string& text : texts) {
    Recorder recorder;
    EXPECT_EQ(ScanJson(text, recorder), ScanOutcome::kUndecided) << text;
  }
  Recorder recorder;
  EXPECT_EQ(ScanJson(std::string("\"nul\0inside\"", 13), recorder), ScanOutcome::kUndecided);
}

TEST(JsonScannerTest, NothingNlohmannRefusesIsRead) {
  // Every prefix of a body with every kind of token: most are not JSON, and none may be read.
  const std::string body =
      R"({"a":[1,-2,true,false,null,"s\n\u00e9\ud83d\ude00"],"b":{},"c":[],"d":{"e":"f"}})";
  for (std::size_t length = 0; length <= body.size(); ++length) {
    const std::string text = body.substr(0, length);
    Recorder recorder;
    const ScanOutcome outcome = ScanJson(text, recorder);
    if (json::accept(text)) {
      EXPECT_EQ(outcome, ScanOutcome::kRead) << text;
      EXPECT_EQ(recorder.events(), NlohmannEvents(text)) << text;
    } else {
      EXPECT_EQ(outcome, ScanOutcome::kUndecided) << text;
    }
  }
}

TEST(JsonScannerTest, StopsWhereTheHandlerRefuses) {
  const std::string text = R"({"a":1,"b":[2,3],"c":"d"})";
  const std::vector<std::string> all = NlohmannEvents(text);
  for (int refuse_at = 1; refuse_at <= static_cast<int>(all.size()); ++refuse_at) {
    Recorder recorder(refuse_at);
    EXPECT_EQ(ScanJson(text, recorder), ScanOutcome::kRefused) << refuse_at;
    EXPECT_EQ(recorder.events(), std::vector<std::string>(all.begin(), all.begin() + refuse_at));
  }
}

}  // namespace
}  // namespace loci::http
