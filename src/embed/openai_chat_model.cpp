#include "embed/openai_chat_model.h"

namespace loci::embed {
namespace {

Status Malformed(const std::string& why) {
  return Unavailable("chat model: malformed answer: " + why);
}

}  // namespace

OpenAiChatModel::OpenAiChatModel(OpenAiChatOptions options)
    : options_(std::move(options)),
      client_("chat model", EndpointUrl(options_.url, "/v1/chat/completions"), options_.api_key,
              options_.http, options_.sleeper),
      model_id_("openai:" + options_.model) {}

Result<std::string> OpenAiChatModel::Complete(std::string_view system, std::string_view user,
                                              int max_tokens) {
  nlohmann::json request = {
      {"model", options_.model},
      {"messages",
       {{{"role", "system"}, {"content", std::string(system)}},
        {{"role", "user"}, {"content", std::string(user)}}}},
      {"max_tokens", max_tokens},
      {"temperature", 0},
  };
  ASSIGN_OR_RETURN(nlohmann::json answer, client_.Post(request));
  if (!answer.is_object() || !answer.contains("choices") || !answer["choices"].is_array() ||
      answer["choices"].empty()) {
    return Malformed("no \"choices\"");
  }
  const nlohmann::json& choice = answer["choices"][0];
  if (!choice.is_object()) return Malformed("a choice is not an object");
  if (choice.value("finish_reason", nlohmann::json()) == "content_filter") {
    return InvalidArgument("chat model: the answer was withheld by the provider's content filter");
  }
  if (!choice.contains("message") || !choice["message"].is_object()) {
    return Malformed("no \"message\" in the first choice");
  }
  const nlohmann::json& content = choice["message"].value("content", nlohmann::json());
  if (!content.is_string()) return Malformed("the message has no text \"content\"");
  return content.get<std::string>();
}

}  // namespace loci::embed
