#include "service/summarizer.h"

#include <gtest/gtest.h>

#include <vector>

#include "service/salience.h"
#include "text/token_counter.h"

namespace loci::service {
namespace {

constexpr UnixMillis kMay8 = 1683554160000;  // 2023-05-08T13:56:00Z

model::Message Turn(std::string name, std::string content, UnixMillis at = kMay8) {
  model::Message message;
  message.name = std::move(name);
  message.content = std::move(content);
  message.created_at = at;
  return message;
}

std::vector<std::string> Texts(const std::vector<Fact>& facts, FactKind kind) {
  std::vector<std::string> texts;
  for (const Fact& fact : facts) {
    if (fact.kind == kind) texts.push_back(fact.text);
  }
  return texts;
}

TEST(SalienceTest, FindsNamesNumbersAndDates) {
  std::vector<Fact> facts = FindFacts("Yesterday I met Ana in Lisbon on 7 May 2023 at 3pm.");
  EXPECT_EQ(Texts(facts, FactKind::kName), (std::vector<std::string>{"Ana", "Lisbon"}));
  EXPECT_EQ(Texts(facts, FactKind::kNumber), (std::vector<std::string>{"7", "3pm"}));
  EXPECT_EQ(Texts(facts, FactKind::kDate), (std::vector<std::string>{"Yesterday", "May", "2023"}));
}

TEST(SalienceTest, TheFirstWordAndIAreNotNames) {
  EXPECT_TRUE(FindFacts("Sounds good, I think I'll go.").empty());
  EXPECT_TRUE(FindFacts("I'm sure you may like it.").empty());
}

TEST(SalienceTest, FactsAndDecisionsOutrankFillersAndQuestions) {
  const double filler = Salience("Thanks, that's great!");
  const double plain = Salience("The weather was nice and warm all afternoon.");
  const double question = Salience("What did you think of the weather there?");
  const double facts = Salience("On Friday Ana booked 2 tickets to Porto.");
  EXPECT_EQ(filler, 0);
  EXPECT_LT(question, plain);
  EXPECT_LT(plain, facts);
  EXPECT_EQ(Salience(""), 0);
}

TEST(SummarizerTest, KeepsTheFactsAndWhoSaidThem) {
  std::vector<model::Message> turns = {
      Turn("Caroline", "Hey Mel! Good to see you!"),
      Turn("Melanie", "Thanks! How are you?"),
      Turn("Caroline", "I went to the LGBTQ support group on 7 May. It was really powerful."),
      Turn("Melanie", "Wow, that's great."),
      Turn("Melanie", "I decided to run a charity 5k with Oscar in June."),
      Turn("Caroline", "Cool."),
  };
  ExtractiveSummarizer summarizer;
  Result<std::string> summary = summarizer.Fold("", turns);
  ASSERT_TRUE(summary.ok());
  EXPECT_NE(summary->find("[2023-05-08] Caroline: I went to the LGBTQ support group on 7 May."),
            std::string::npos)
      << *summary;
  EXPECT_NE(summary->find("Melanie: I decided to run a charity 5k with Oscar in June."),
            std::string::npos)
      << *summary;
  EXPECT_EQ(summary->find("Good to see you"), std::string::npos) << *summary;
  EXPECT_EQ(summary->find("Cool."), std::string::npos) << *summary;
}

TEST(SummarizerTest, IsDeterministic) {
  std::vector<model::Message> turns;
  for (int i = 0; i < 200; ++i) {
    turns.push_back(Turn(i % 2 ? "Ana" : "Ben", "On day " + std::to_string(i) +
                                                    " we visited Porto and spent " +
                                                    std::to_string(i * 3) + " euros."));
  }
  ExtractiveSummarizer summarizer;
  EXPECT_EQ(*summarizer.Fold("", turns), *summarizer.Fold("", turns));
}

TEST(SummarizerTest, StaysWithinItsBudget) {
  std::vector<model::Message> turns;
  for (int i = 0; i < 500; ++i) {
    turns.push_back(Turn("Ana", "In March " + std::to_string(2000 + i % 20) + " Ana met Bruno " +
                                    std::to_string(i) + " times in Madrid and Seville."));
  }
  for (int budget : {1, 10, 50, 200, 600}) {
    ExtractiveSummarizer summarizer({.max_tokens = budget});
    Result<std::string> summary = summarizer.Fold("", turns);
    ASSERT_TRUE(summary.ok());
    EXPECT_LE(text::CountTokens(*summary), budget) << budget;
    if (budget >= 50) EXPECT_FALSE(summary->empty());
  }
}

TEST(SummarizerTest, FoldsIncrementallyFromThePreviousText) {
  ExtractiveSummarizer summarizer;
  std::vector<model::Message> first = {Turn("Ana", "I adopted a dog called Rex in April 2022.")};
  std::vector<model::Message> second = {
      Turn("Ben", "We moved to Oslo on 3 January.", kMay8 + 86'400'000)};
  std::string early = *summarizer.Fold("", first);
  std::string both = *summarizer.Fold(early, second);
  EXPECT_EQ(both.rfind(early, 0), 0u) << both;  // within budget, the previous text stays as is
  EXPECT_NE(both.find("[2023-05-09] Ben: We moved to Oslo on 3 January."), std::string::npos);
  // Folding nothing changes nothing.
  EXPECT_EQ(*summarizer.Fold(both, {}), both);
}

TEST(SummarizerTest, CompressionDropsTheLeastSalientLinesAndKeepsOrder) {
  const std::string summary =
      "[2023-05-08] Ana: The afternoon was quiet and slow.\n"
      "[2023-05-08] Ana: On 12 June Ana flew to Rome with Marco.\n"
      "[2023-05-09] Ben: It rained a little in the morning hours again and again.\n"
      "[2023-05-09] Ben: Ben signed the lease for 1,200 euros in July 2023.";
  const int budget = text::CountTokens(
      "[2023-05-08] Ana: On 12 June Ana flew to Rome with Marco.\n"
      "[2023-05-09] Ben: Ben signed the lease for 1,200 euros in July 2023.");
  EXPECT_EQ(CompressSummary(summary, budget + 2),
            "[2023-05-08] Ana: On 12 June Ana flew to Rome with Marco.\n"
            "[2023-05-09] Ben: Ben signed the lease for 1,200 euros in July 2023.");
  EXPECT_EQ(CompressSummary(summary, 10'000), summary);
  EXPECT_LE(text::CountTokens(CompressSummary(summary, 8)), 8);
  EXPECT_EQ(CompressSummary(summary, 0), "");
}

// A fold judges the sentences it keeps once and reuses that when it compresses: the result is
// the same as compressing the whole fold afterwards, which judges every line anew.
TEST(SummarizerTest, CompressingInTheFoldMatchesCompressingAfterIt) {
  std::vector<model::Message> turns;
  const char* sentences[] = {"In March 2020 Ana met Bruno in Madrid.", "It was a quiet day.",
                             "Ben booked 3 nights in Oslo for June.", "We talked a bit.",
                             "Caroline adopted a cat called Miso on Friday."};
  for (int i = 0; i < 60; ++i) {
    turns.push_back(Turn(i % 2 == 0 ? "Ana" : "Ben",
                         std::string(sentences[i % 5]) + " Then " + sentences[(i + 2) % 5]));
  }
  const std::string whole = *ExtractiveSummarizer({.max_tokens = 100'000}).Fold("", turns);
  for (int budget : {40, 120, 300}) {
    const std::string folded = *ExtractiveSummarizer({.max_tokens = budget}).Fold("", turns);
    EXPECT_EQ(folded, CompressSummary(whole, budget)) << budget;
  }
}

}  // namespace
}  // namespace loci::service
