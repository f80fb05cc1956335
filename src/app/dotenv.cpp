#include "app/dotenv.h"

#include <cctype>

namespace loci::app {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsValidKey(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

Result<std::string> ParseValue(std::string_view raw, int line_number) {
  raw = Trim(raw);
  auto malformed = [line_number](const char* why) {
    return InvalidArgument(".env line " + std::to_string(line_number) + ": " + why);
  };
  if (!raw.empty() && raw.front() == '\'') {
    size_t close = raw.find('\'', 1);
    if (close == std::string_view::npos) return malformed("unterminated single quote");
    return std::string(raw.substr(1, close - 1));
  }
  if (!raw.empty() && raw.front() == '"') {
    std::string value;
    for (size_t i = 1; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == '"') return value;
      if (c == '\\' && i + 1 < raw.size()) {
        char next = raw[++i];
        value.push_back(next == 'n' ? '\n' : next);
      } else {
        value.push_back(c);
      }
    }
    return malformed("unterminated double quote");
  }
  size_t comment = raw.find(" #");
  return std::string(Trim(raw.substr(0, comment)));
}

}  // namespace

Result<std::map<std::string, std::string>> ParseDotenv(std::string_view text) {
  std::map<std::string, std::string> values;
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 7) == "export ") line = Trim(line.substr(7));
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      return InvalidArgument(".env line " + std::to_string(line_number) + ": expected KEY=VALUE");
    }
    std::string_view key = Trim(line.substr(0, equals));
    if (!IsValidKey(key)) {
      return InvalidArgument(".env line " + std::to_string(line_number) + ": invalid name '" +
                             std::string(key) + "'");
    }
    ASSIGN_OR_RETURN(std::string value, ParseValue(line.substr(equals + 1), line_number));
    values[std::string(key)] = std::move(value);
  }
  return values;
}

}  // namespace loci::app
