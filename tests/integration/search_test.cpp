// POST /memory/search over real HTTP, full-text mode: stemming, conversation-aware ranking,
// scoping to the user, filters, paging, highlights, and the modes a server without an
// embedder serves.
#include <set>

#include "integration/test_util.h"

namespace loci::integration {
namespace {

class SearchTest : public ServerTest {
 protected:
  // POST /memory/search in fulltext mode with `extra` fields; expects 200.
  json Search(const std::string& user_id, const std::string& query, json extra = json::object()) {
    json body = {{"user_id", user_id}, {"query", query}, {"mode", "fulltext"}};
    for (auto& [key, value] : extra.items()) body[key] = value;
    HttpResponse response = client().PostJson("/memory/search", body);
    EXPECT_EQ(response.status, 200) << body.dump() << " -> " << response.Describe();
    return response.Json();
  }

  static std::vector<std::string> Contents(const json& body) {
    std::vector<std::string> contents;
    if (!body.contains("results")) return contents;
    for (const auto& result : body["results"]) {
      contents.push_back(result["message"]["content"].get<std::string>());
    }
    return contents;
  }
};

TEST_F(SearchTest, FindsStemmedWords) {
  Store("u1", "s1",
        {Message("user", "She runs every morning in the park"),
         Message("assistant", "The weather is nice today"),
         Message("user", "I moved to Lisbon last spring")});
  // The match first; the turn said next to it follows it (conversation-aware ranking).
  json body = Search("u1", "running");
  ASSERT_EQ(Contents(body), (std::vector<std::string>{"She runs every morning in the park",
                                                      "The weather is nice today"}))
      << body.dump();
  EXPECT_EQ(body["mode"], "fulltext");
  EXPECT_TRUE(body["took_ms"].is_number());
  const json& result = body["results"][0];
  EXPECT_TRUE(result["score"].is_number());
  EXPECT_GT(result["score"].get<double>(), 0);
  EXPECT_EQ(result["message"]["user_id"], "u1");
  EXPECT_EQ(result["message"]["session_id"], "s1");
  EXPECT_TRUE(result["message"]["id"].is_string());
  ASSERT_TRUE(result["highlights"].is_array());
  ASSERT_FALSE(result["highlights"].empty());
  std::string highlight = result["highlights"][0];
  EXPECT_NE(highlight.find("<mark>"), std::string::npos) << highlight;
  EXPECT_NE(highlight.find("</mark>"), std::string::npos) << highlight;
  EXPECT_NE(highlight.find("<mark>runs</mark>"), std::string::npos) << highlight;

  EXPECT_EQ(Contents(Search("u1", "moving")).at(0), "I moved to Lisbon last spring");
  EXPECT_EQ(Contents(Search("u1", "LISBON")).at(0), "I moved to Lisbon last spring");
  EXPECT_TRUE(Contents(Search("u1", "xylophone")).empty());
}

TEST_F(SearchTest, TheReplyToAMatchingTurnIsFoundWithinTheFilters) {
  Store("u1", "s1",
        {Message("user", "Who is your dentist these days?"),
         Message("assistant", "Doctor Ramos, on Elm Street."),
         Message("user", "Thanks, I will call her.")});
  Store("u1", "s2", {Message("user", "Nothing to do with teeth")});
  json body = Search("u1", "dentist");
  const std::vector<std::string> contents = Contents(body);
  ASSERT_EQ(contents.size(), 2u) << body.dump();
  EXPECT_EQ(contents[0], "Who is your dentist these days?");
  EXPECT_EQ(contents[1], "Doctor Ramos, on Elm Street.");
  EXPECT_GT(body["results"][0]["score"].get<double>(), body["results"][1]["score"].get<double>());
  EXPECT_FALSE(body["results"][1]["highlights"].empty());
  EXPECT_EQ(Contents(Search("u1", "dentist", {{"roles", {"user"}}})),
            std::vector<std::string>{"Who is your dentist these days?"});
  EXPECT_TRUE(Contents(Search("u1", "dentist", {{"session_id", "s2"}})).empty());
}

TEST_F(SearchTest, BestFirst) {
  Store("u1", "s1",
        {Message("user", "pizza"), Message("user", "pizza pizza pizza with more pizza"),
         Message("user", "I had pizza once during a long trip across the whole country")});
  json body = Search("u1", "pizza");
  ASSERT_EQ(body["results"].size(), 3u);
  for (std::size_t i = 1; i < body["results"].size(); ++i) {
    EXPECT_GE(body["results"][i - 1]["score"].get<double>(),
              body["results"][i]["score"].get<double>());
  }
}

TEST_F(SearchTest, OnlyTheUsersOwnMessages) {
  Store("u1", "s1", {Message("user", "my secret garden")});
  Store("u2", "s1", {Message("user", "another secret garden")});
  Store("u10", "s1", {Message("user", "garden of u10")});
  json body = Search("u1", "garden");
  ASSERT_EQ(body["results"].size(), 1u) << body.dump();
  EXPECT_EQ(body["results"][0]["message"]["user_id"], "u1");
  EXPECT_TRUE(Contents(Search("nobody", "garden")).empty());
}

TEST_F(SearchTest, FiltersBySessionRoleTimeAndMetadata) {
  Store("u1", "s1",
        {Message("user", "apple one", {{"created_at", Timestamp(0)}, {"metadata", {{"n", 1}}}}),
         Message("assistant", "apple two",
                 {{"created_at", Timestamp(10)}, {"metadata", {{"topic", "travel"}}}})});
  Store("u1", "s2",
        {Message("user", "apple three",
                 {{"created_at", Timestamp(20)}, {"metadata", {{"topic", "travel"}, {"n", "1"}}}}),
         Message("tool", "apple four", {{"created_at", Timestamp(30)}})});

  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(sorted(Contents(Search("u1", "apple"))),
            (V{"apple four", "apple one", "apple three", "apple two"}));
  EXPECT_EQ(sorted(Contents(Search("u1", "apple", {{"session_id", "s2"}}))),
            (V{"apple four", "apple three"}));
  EXPECT_EQ(sorted(Contents(Search("u1", "apple", {{"roles", {"user"}}}))),
            (V{"apple one", "apple three"}));
  EXPECT_EQ(sorted(Contents(Search("u1", "apple", {{"roles", {"assistant", "tool"}}}))),
            (V{"apple four", "apple two"}));
  EXPECT_EQ(sorted(Contents(Search("u1", "apple", {{"since", Timestamp(10)}}))),
            (V{"apple four", "apple three", "apple two"}));
  EXPECT_EQ(sorted(Contents(Search("u1", "apple", {{"until", Timestamp(20)}}))),
            (V{"apple one", "apple two"}));
  EXPECT_EQ(
      sorted(Contents(Search("u1", "apple", {{"since", Timestamp(5)}, {"until", Timestamp(25)}}))),
      (V{"apple three", "apple two"}));
  EXPECT_EQ(sorted(Contents(Search("u1", "apple", {{"metadata", {{"topic", "travel"}}}}))),
            (V{"apple three", "apple two"}));
  // Exact values: the number 1 is not the string "1".
  EXPECT_EQ(Contents(Search("u1", "apple", {{"metadata", {{"n", 1}}}})), (V{"apple one"}));
  EXPECT_EQ(Contents(Search("u1", "apple", {{"metadata", {{"n", "1"}}}})), (V{"apple three"}));
  EXPECT_EQ(Contents(Search("u1", "apple", {{"metadata", {{"topic", "travel"}, {"n", "1"}}}})),
            (V{"apple three"}));
  EXPECT_TRUE(Contents(Search("u1", "apple", {{"metadata", {{"topic", "food"}}}})).empty());
  EXPECT_TRUE(Contents(Search("u1", "apple", {{"session_id", "s3"}})).empty());
}

TEST_F(SearchTest, LimitAndOffsetPage) {
  json messages = json::array();
  for (int i = 0; i < 15; ++i) {
    messages.push_back(Message("user", "banana number " + std::to_string(i)));
  }
  Store("u1", "s1", messages);
  EXPECT_EQ(Search("u1", "banana")["results"].size(), 10u) << "default limit is 10";
  std::set<std::string> ids;
  for (int offset : {0, 5, 10}) {
    json body = Search("u1", "banana", {{"limit", 5}, {"offset", offset}});
    ASSERT_EQ(body["results"].size(), 5u) << body.dump();
    for (const auto& result : body["results"])
      ids.insert(result["message"]["id"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), 15u) << "pages overlap";
  EXPECT_TRUE(Search("u1", "banana", {{"limit", 5}, {"offset", 15}})["results"].empty());
  EXPECT_EQ(Search("u1", "banana", {{"limit", 100}})["results"].size(), 15u);
}

TEST_F(SearchTest, WithoutAnEmbedderHybridIsFulltextAndSemanticIsUnavailable) {
  Store("u1", "s1", {Message("user", "hello there")});
  // No embedder in this server: hybrid search is full-text search, semantic search refused.
  HttpResponse hybrid = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "hello"}, {"mode", "hybrid"}});
  ASSERT_EQ(hybrid.status, 200) << hybrid.Describe();
  EXPECT_EQ(hybrid.Json()["mode"], "hybrid");
  EXPECT_EQ(Contents(hybrid.Json()), std::vector<std::string>{"hello there"});
  HttpResponse semantic = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "hello"}, {"mode", "semantic"}});
  ASSERT_TRUE(IsError(semantic, 503, "unavailable"));
  std::string message = semantic.Json()["error"]["message"];
  EXPECT_NE(message.find("fulltext"), std::string::npos)
      << "the message should say which mode works: " << message;
  EXPECT_TRUE(IsError(client().PostJson("/memory/search",
                                        {{"user_id", "u1"}, {"query", "hello"}, {"mode", "fuzzy"}}),
                      400, "invalid_argument", "mode"));
  ExpectHealthy();
}

TEST_F(SearchTest, QueryWithOnlyPunctuationOrStopWords) {
  Store("u1", "s1", {Message("user", "the a of")});
  for (const char* query : {"!!!", "the", "   ", "*", "\"", "NEAR(", "a OR b", "-x"}) {
    SCOPED_TRACE(query);
    HttpResponse response = client().PostJson(
        "/memory/search", {{"user_id", "u1"}, {"query", query}, {"mode", "fulltext"}});
    EXPECT_TRUE(response.status == 200 || IsError(response, 400, "invalid_argument"))
        << response.Describe();
  }
  ExpectHealthy();
}

TEST_F(SearchTest, BadRequestsAreRefused) {
  auto post = [&](json body) { return client().PostJson("/memory/search", body); };
  EXPECT_TRUE(
      IsError(post({{"query", "x"}, {"mode", "fulltext"}}), 400, "invalid_argument", "user_id"));
  EXPECT_TRUE(
      IsError(post({{"user_id", "u1"}, {"mode", "fulltext"}}), 400, "invalid_argument", "query"));
  json base = {{"user_id", "u1"}, {"query", "x"}, {"mode", "fulltext"}};
  auto with = [&](const char* key, json value) {
    json body = base;
    body[key] = value;
    return post(body);
  };
  EXPECT_TRUE(IsError(with("limit", 0), 400, "invalid_argument", "limit"));
  EXPECT_TRUE(IsError(with("limit", 101), 400, "invalid_argument", "limit"));
  EXPECT_TRUE(IsError(with("limit", "10"), 400, "invalid_argument", "limit"));
  EXPECT_TRUE(IsError(with("offset", -1), 400, "invalid_argument", "offset"));
  EXPECT_TRUE(IsError(with("roles", {"robot"}), 400, "invalid_argument"));
  EXPECT_TRUE(IsError(with("roles", "user"), 400, "invalid_argument", "roles"));
  EXPECT_TRUE(IsError(with("since", "yesterday"), 400, "invalid_argument", "since"));
  EXPECT_TRUE(IsError(with("until", 12345), 400, "invalid_argument", "until"));
  EXPECT_TRUE(IsError(with("metadata", "topic"), 400, "invalid_argument", "metadata"));
  EXPECT_TRUE(IsError(with("session_id", ""), 400, "invalid_argument", "session_id"));
  ExpectHealthy();
}

TEST_F(SearchTest, HighlightsEscapeHtml) {
  Store("u1", "s1", {Message("user", "<script>alert(1)</script> she runs & jumps <b>fast</b>")});
  json body = Search("u1", "run");
  ASSERT_EQ(body["results"].size(), 1u) << body.dump();
  ASSERT_FALSE(body["results"][0]["highlights"].empty());
  std::string highlight = body["results"][0]["highlights"][0];
  // Highlights carry <mark> markup, so the text around it must be escaped to be safe as HTML.
  EXPECT_EQ(highlight.find("<script>"), std::string::npos) << highlight;
  EXPECT_EQ(highlight.find("<b>"), std::string::npos) << highlight;
  EXPECT_NE(highlight.find("<mark>"), std::string::npos) << highlight;
  // The message itself is returned verbatim.
  EXPECT_EQ(body["results"][0]["message"]["content"],
            "<script>alert(1)</script> she runs & jumps <b>fast</b>");
}

TEST_F(SearchTest, HighlightsOfMultibyteTextAreValidUtf8) {
  std::string content;
  for (int i = 0; i < 300; ++i) content += i % 3 ? "東京😀 " : "ñandú ";
  content += " target ";
  for (int i = 0; i < 300; ++i) content += i % 2 ? "😀東京" : "über ";
  std::string dense;  // no spaces at all around the match
  for (int i = 0; i < 500; ++i) dense += "東京";
  dense += " target ";
  for (int i = 0; i < 500; ++i) dense += "😀";
  Store("u1", "s1", {Message("user", content), Message("user", dense)});
  HttpResponse response = client().PostJson(
      "/memory/search", {{"user_id", "u1"}, {"query", "target"}, {"mode", "fulltext"}});
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_TRUE(IsValidUtf8(response.body));
  json body = response.Json();
  ASSERT_EQ(body["results"].size(), 2u) << response.Describe();
  for (const auto& result : body["results"]) {
    for (const auto& highlight : result["highlights"]) {
      EXPECT_TRUE(IsValidUtf8(highlight.get<std::string>())) << highlight;
      EXPECT_NE(highlight.get<std::string>().find("<mark>target</mark>"), std::string::npos)
          << highlight;
      EXPECT_LT(highlight.get<std::string>().size(), 2000u) << "a highlight is a snippet";
    }
  }
}

TEST_F(SearchTest, UnicodeCaseAndWidth) {
  // One session each: turns said next to a match would join it.
  Store("u1", "s1", {Message("user", "Über das Café in São Paulo")});
  Store("u1", "s2", {Message("user", "ΣΊΣΥΦΟΣ and Straße")});
  EXPECT_EQ(Search("u1", "über")["results"].size(), 1u);
  EXPECT_EQ(Search("u1", "ÜBER")["results"].size(), 1u);
  EXPECT_EQ(Search("u1", "CAFÉ")["results"].size(), 1u);
  EXPECT_EQ(Search("u1", "σίσυφος")["results"].size(), 1u);
}

TEST_F(SearchTest, SinceMustBeBeforeUntil) {
  json body = {{"user_id", "u1"},
               {"query", "x"},
               {"mode", "fulltext"},
               {"since", Timestamp(10)},
               {"until", Timestamp(5)}};
  EXPECT_TRUE(IsError(client().PostJson("/memory/search", body), 400, "invalid_argument"));
}

TEST_F(SearchTest, HugeNumbersAreRefusedOrHarmless) {
  Store("u1", "s1", {Message("user", "kiwi")});
  for (json value : {json(1e300), json(9223372036854775807LL), json(18446744073709551615ULL),
                     json(-9223372036854775807LL - 1), json(5.5)}) {
    SCOPED_TRACE(value.dump());
    for (const char* field : {"limit", "offset"}) {
      HttpResponse response = client().PostJson(
          "/memory/search",
          {{"user_id", "u1"}, {"query", "kiwi"}, {"mode", "fulltext"}, {field, value}});
      EXPECT_TRUE(IsError(response, 400, "invalid_argument", field) ||
                  (response.status == 200 && response.Json()["results"].empty()))
          << field << ": " << response.Describe();
    }
  }
  ExpectHealthy();
}

TEST_F(SearchTest, MetadataFilterOnStructuredValues) {
  Store("u1", "s1",
        {Message("user", "cherry nested", {{"metadata", {{"obj", {{"b", 2}, {"a", 1}}}}}}),
         Message("user", "cherry list", {{"metadata", {{"tags", {"x", "y"}}}}}),
         Message("user", "cherry null", {{"metadata", {{"gone", nullptr}}}})});
  EXPECT_EQ(Contents(Search("u1", "cherry", {{"metadata", {{"obj", {{"a", 1}, {"b", 2}}}}}})),
            std::vector<std::string>{"cherry nested"});
  EXPECT_EQ(Contents(Search("u1", "cherry", {{"metadata", {{"tags", {"x", "y"}}}}})),
            std::vector<std::string>{"cherry list"});
  EXPECT_TRUE(Contents(Search("u1", "cherry", {{"metadata", {{"tags", {"y", "x"}}}}})).empty());
  EXPECT_EQ(Contents(Search("u1", "cherry", {{"metadata", {{"gone", nullptr}}}})),
            std::vector<std::string>{"cherry null"});
}

}  // namespace
}  // namespace loci::integration
