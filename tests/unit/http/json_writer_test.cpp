#include "http/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace loci::http {
namespace {

using nlohmann::json;

std::string Quoted(std::string_view value) {
  std::string out;
  AppendJsonString(out, value);
  return out;
}

std::string NlohmannDump(const std::string& value) {
  return json(value).dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(JsonWriterTest, EscapesEveryControlCharacter) {
  for (int c = 0; c < 0x20; ++c) {
    const std::string input(1, static_cast<char>(c));
    std::string expected;
    switch (c) {
      case '\b':
        expected = R"("\b")";
        break;
      case '\f':
        expected = R"("\f")";
        break;
      case '\n':
        expected = R"("\n")";
        break;
      case '\r':
        expected = R"("\r")";
        break;
      case '\t':
        expected = R"("\t")";
        break;
      default: {
        char buf[16];
        std::snprintf(buf, sizeof buf, "\"\\u%04x\"", c);
        expected = buf;
      }
    }
    EXPECT_EQ(Quoted(input), expected) << c;
    EXPECT_EQ(json::parse(Quoted(input)), input) << c;
  }
  EXPECT_EQ(Quoted("\x7f"), "\"\x7f\"");  // DEL needs no escape
}

TEST(JsonWriterTest, EscapesQuotesAndBackslashOnly) {
  EXPECT_EQ(Quoted(R"(say "hi")"), R"("say \"hi\"")");
  EXPECT_EQ(Quoted(R"(C:\path\)"), R"("C:\\path\\")");
  EXPECT_EQ(Quoted("a/b <mark>&</mark>"), R"("a/b <mark>&</mark>")");
  EXPECT_EQ(Quoted(""), R"("")");
  EXPECT_EQ(Quoted(std::string_view("a\0b", 3)), R"("a\u0000b")");
  EXPECT_EQ(Quoted("line1\nline2\t\"end\""), R"("line1\nline2\t\"end\"")");
}

TEST(JsonWriterTest, PassesValidUtf8Through) {
  for (const char* text :
       {"café", "Lisboa — São Bento", "東京", "😀 emoji", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80",
        "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_EQ(Quoted(text), std::string("\"") + text + "\"") << text;
  }
}

TEST(JsonWriterTest, ReplacesInvalidUtf8) {
  const std::string r = "\xEF\xBF\xBD";
  const struct {
    std::string input;
    std::string expected;  // between the quotes
  } cases[] = {
      {"\x80", r},  // lone continuation byte
      {"a\xBF"
       "b",
       "a" + r + "b"},                      // ... in the middle
      {"\xC0\x80", r + r},                  // overlong NUL: C0 never starts a sequence
      {"\xC1\xBF", r + r},                  // C1 neither
      {"\xE0\x80\x80", r + r + r},          // overlong three-byte form
      {"\xED\xA0\x80", r + r + r},          // a UTF-16 surrogate
      {"\xF0\x80\x80\x80", r + r + r + r},  // overlong four-byte form
      {"\xF4\x90\x80\x80", r + r + r + r},  // past U+10FFFF
      {"\xF5\x80", r + r},                  // F5..FF never start a sequence
      {"\xFF", r},                          //
      {"\xE2\x82", r},                      // truncated at the end: one replacement
      {"\xE2\x82"
       "A",
       r + "A"},            // truncated before ASCII: the A stays
      {"\xF0\x9F\x98", r},  // truncated emoji
      {"\xF0\x9F\x98"
       "\"",
       r + "\\\""},  // truncated before a quote: it is escaped
      {"\xC3"
       "\xC3\xA9",
       r + "\xC3\xA9"},                          // broken lead then a valid é
      {"ok\xE2\x82\xACok", "ok\xE2\x82\xACok"},  // € stays
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Quoted(c.input), "\"" + c.expected + "\"") << json(c.expected).dump();
    EXPECT_EQ(Quoted(c.input), NlohmannDump(c.input)) << json(c.expected).dump();
  }
}

TEST(JsonWriterTest, FindsSpecialBytesAtEveryPositionOfAWord) {
  // Plain ASCII is skipped 8 bytes at a time: a byte that needs care must be caught wherever it
  // sits in the word, and in the tail shorter than a word.
  for (std::string_view special : std::initializer_list<std::string_view>{
           "\"", "\\", "\n", "\x1f", std::string_view("\0", 1), "\x7f", " ", "~", "\x80", "\xff",
           "\xC3\xA9", "\xE2\x82"}) {
    for (std::size_t length = 0; length <= 24; ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        std::string input(length, 'a');
        input.insert(at, special);
        EXPECT_EQ(Quoted(input), NlohmannDump(input)) << NlohmannDump(input);
      }
    }
  }
}

TEST(JsonWriterTest, NestsWithCommas) {
  JsonWriter writer;
  writer.BeginObject();
  writer.Key("a");
  writer.Int(1);
  writer.Key("b");
  writer.BeginArray();
  writer.Int(1);
  writer.BeginObject();
  writer.EndObject();
  writer.BeginArray();
  writer.EndArray();
  writer.String("x");
  writer.BeginArray();
  writer.Null();
  writer.Bool(true);
  writer.EndArray();
  writer.EndArray();
  writer.Key("c");
  writer.BeginObject();
  writer.Key("d");
  writer.Bool(false);
  writer.Key("e\"");
  writer.Null();
  writer.EndObject();
  writer.Key("f");
  writer.String("");
  writer.EndObject();
  EXPECT_EQ(writer.str(),
            R"({"a":1,"b":[1,{},[],"x",[null,true]],"c":{"d":false,"e\"":null},"f":""})");
  EXPECT_TRUE(json::accept(writer.str()));
}

TEST(JsonWriterTest, EmptyContainersAndScalarsAtTopLevel) {
  JsonWriter object;
  object.BeginObject();
  object.EndObject();
  EXPECT_EQ(object.Take(), "{}");
  JsonWriter array;
  array.BeginArray();
  array.EndArray();
  EXPECT_EQ(array.Take(), "[]");
  JsonWriter scalar;
  scalar.String("s");
  EXPECT_EQ(scalar.Take(), R"("s")");
}

TEST(JsonWriterTest, Integers) {
  JsonWriter writer;
  writer.BeginArray();
  writer.Int(0);
  writer.Int(-1);
  writer.Int(1830);
  writer.Int(std::numeric_limits<std::int64_t>::max());
  writer.Int(std::numeric_limits<std::int64_t>::min());
  writer.EndArray();
  EXPECT_EQ(writer.str(), "[0,-1,1830,9223372036854775807,-9223372036854775808]");
}

TEST(JsonWriterTest, DoublesAreShortestAndReadBackExactly) {
  const double values[] = {0.0, -0.0,    0.71,    0.86,  1.0,    100.0,  -2.5,    1e16,  1e-7,
                           0.1, 1.0 / 3, 123.456, 1e300, 5e-324, 2.0e15, 12345.0, 9.5e20};
  for (double value : values) {
    JsonWriter writer;
    writer.Double(value);
    const json parsed = json::parse(writer.str());
    ASSERT_TRUE(parsed.is_number_float()) << writer.str();  // never reads back as an integer
    EXPECT_EQ(parsed.get<double>(), value) << writer.str();
    EXPECT_EQ(std::signbit(parsed.get<double>()), std::signbit(value)) << writer.str();
    // The same number nlohmann writes, character for character where it is shortest too.
    EXPECT_EQ(json::parse(json(value).dump()).get<double>(), parsed.get<double>());
  }
  JsonWriter writer;
  writer.BeginArray();
  writer.Double(0.71);
  writer.Double(1.0);
  writer.Double(-0.0);
  writer.Double(std::nan(""));
  writer.Double(std::numeric_limits<double>::infinity());
  writer.Double(-std::numeric_limits<double>::infinity());
  writer.EndArray();
  EXPECT_EQ(writer.str(), "[0.71,1.0,-0.0,null,null,null]");
}

TEST(JsonWriterTest, RawIsAppendedAsIs) {
  JsonWriter writer;
  writer.BeginObject();
  writer.Key("metadata");
  writer.Raw(R"({"dia_id":"D1:3","n":[1,2]})");
  writer.Key("list");
  writer.BeginArray();
  writer.Raw("{}");
  writer.Raw("7");
  writer.EndArray();
  writer.EndObject();
  EXPECT_EQ(writer.str(), R"({"metadata":{"dia_id":"D1:3","n":[1,2]},"list":[{},7]})");
}

TEST(JsonWriterTest, MisuseIsFatal) {
  EXPECT_DEATH(
      {
        JsonWriter writer;
        writer.BeginObject();
        writer.Int(1);
      },
      "misuse");
  EXPECT_DEATH(
      {
        JsonWriter writer;
        writer.BeginArray();
        writer.Key("k");
      },
      "misuse");
  EXPECT_DEATH(
      {
        JsonWriter writer;
        writer.BeginArray();
        writer.EndObject();
      },
      "misuse");
}

// Random bytes (mostly invalid UTF-8) and random valid UTF-8: what the writer produces must
// parse back to what nlohmann's own dump with error_handler_t::replace gives, byte for byte.
std::string RandomBytes(std::mt19937& rng) {
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(static_cast<std::size_t>(length(rng)), '\0');
  for (char& c : out) c = static_cast<char>(byte(rng));
  return out;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string RandomUtf8(std::mt19937& rng) {
  std::uniform_int_distribution<int> length(0, 30);
  std::uniform_int_distribution<int> plane(0, 3);
  std::string out;
  for (int i = length(rng); i > 0; --i) {
    char32_t cp = 0;
    switch (plane(rng)) {
      case 0:
        cp = std::uniform_int_distribution<char32_t>(0, 0x7F)(rng);
        break;
      case 1:
        cp = std::uniform_int_distribution<char32_t>(0x80, 0x7FF)(rng);
        break;
      case 2:
        do {
          cp = std::uniform_int_distribution<char32_t>(0x800, 0xFFFF)(rng);
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        break;
      default:
        cp = std::uniform_int_distribution<char32_t>(0x10000, 0x10FFFF)(rng);
    }
    AppendUtf8(out, cp);
  }
  return out;
}

TEST(JsonWriterTest, AgreesWithNlohmannOnRandomStrings) {
  std::mt19937 rng(20261130);
  for (int i = 0; i < 400; ++i) {
    const std::string input = i % 2 == 0 ? RandomBytes(rng) : RandomUtf8(rng);
    const std::string ours = Quoted(input);
    const std::string theirs = NlohmannDump(input);
    const json parsed = json::parse(ours, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(parsed.is_discarded()) << theirs;
    EXPECT_EQ(parsed, json::parse(theirs)) << theirs;
    EXPECT_EQ(ours, theirs);
    if (i % 2 == 1) {
      EXPECT_EQ(parsed.get<std::string>(), input);  // valid UTF-8 survives
    }
  }
}

TEST(JsonWriterTest, OptionalValuesAreTheValueOrNull) {
  JsonWriter writer;
  writer.BeginArray();
  writer.OptionalString(std::string("a"));
  writer.OptionalString(std::nullopt);
  writer.OptionalInt(7);
  writer.OptionalInt(std::nullopt);
  writer.EndArray();
  EXPECT_EQ(writer.Take(), R"(["a",null,7,null])");
}

}  // namespace
}  // namespace loci::http
