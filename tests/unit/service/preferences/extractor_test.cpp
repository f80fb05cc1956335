#include "service/preferences/extractor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace loci::service {
namespace {

// "key=value" or "!key" for each observation, in order.
std::vector<std::string> Read(std::string_view text) {
  std::vector<std::string> out;
  for (const PreferenceObservation& o : ExtractPreferences(text, "m_1")) {
    out.push_back(o.retract ? "!" + o.key : o.key + "=" + o.value);
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(ExtractorTest, ObservationCarriesCategoryConfidenceAndEvidence) {
  std::vector<PreferenceObservation> found = ExtractPreferences("I'm vegetarian.", "m_42");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].key, "diet");
  EXPECT_EQ(found[0].value, "vegetarian");
  EXPECT_EQ(found[0].category, "personal");
  EXPECT_GT(found[0].confidence, 0.5);
  EXPECT_LE(found[0].confidence, 1.0);
  EXPECT_FALSE(found[0].retract);
  EXPECT_EQ(found[0].evidence_id, "m_42");
}

TEST(ExtractorTest, ReadsEveryKey) {
  EXPECT_EQ(Read("Please call me Sam."), Strings{"name=Sam"});
  EXPECT_EQ(Read("My pronouns are they/them."), Strings{"pronouns=they/them"});
  EXPECT_EQ(Read("Respond in Brazilian Portuguese, please."), Strings{"language=pt-BR"});
  EXPECT_EQ(Read("Keep your answers short."), Strings{"response_length=concise"});
  EXPECT_EQ(Read("Please be more formal with me."), Strings{"formality=formal"});
  EXPECT_EQ(Read("Be direct with me."), Strings{"tone=direct"});
  EXPECT_EQ(Read("Please use bullet points."), Strings{"format=bullet_points"});
  EXPECT_EQ(Read("No emojis please."), Strings{"emoji=avoid"});
  EXPECT_EQ(Read("I'm an expert in Rust."), Strings{"expertise=expert:rust"});
  EXPECT_EQ(Read("I'm allergic to peanuts."), Strings{"allergy=peanuts"});
  EXPECT_EQ(Read("We just relocated to Austin, Texas."), Strings{"location=Austin, Texas"});
  EXPECT_EQ(Read("I work as a software engineer."), Strings{"occupation=software engineer"});
  EXPECT_EQ(Read("I'm in UTC+5:30."), Strings{"timezone=UTC+05:30"});
  EXPECT_EQ(Read("I'm a huge fan of Studio Ghibli."), Strings{"likes:studio_ghibli=Studio Ghibli"});
  EXPECT_EQ(Read("I can't stand country music."), Strings{"dislikes:country_music=country music"});
}

TEST(ExtractorTest, StatementsAboutOtherPeopleStateNothing) {
  EXPECT_TRUE(Read("My sister is vegan.").empty());
  EXPECT_TRUE(Read("My daughter's name is Lily.").empty());
  EXPECT_TRUE(Read("Jenny works as a nurse.").empty());
  EXPECT_EQ(Read("My brother is vegan, but I'm vegetarian."), Strings{"diet=vegetarian"});
}

TEST(ExtractorTest, QuestionsStateNothingButRequestsDo) {
  EXPECT_TRUE(Read("Is it healthy to be vegetarian?").empty());
  EXPECT_TRUE(Read("Do you live in Berlin?").empty());
  EXPECT_EQ(Read("Can you reply in German?"), Strings{"language=de"});
}

TEST(ExtractorTest, HypotheticalsStateNothing) {
  EXPECT_TRUE(Read("If I were vegan, what would I eat?").empty());
  EXPECT_TRUE(Read("I'm thinking about going vegan.").empty());
  EXPECT_TRUE(Read("Imagine I'm a beginner at chess.").empty());
}

TEST(ExtractorTest, QuotedWordsStateNothing) {
  EXPECT_TRUE(Read("She said \"I love jazz\" and walked away.").empty());
  EXPECT_TRUE(Read("My friend always says 'call me Max'.").empty());
  EXPECT_TRUE(Read("He told me \u201cI'm vegetarian\u201d yesterday.").empty());
}

TEST(ExtractorTest, ChangesAndRetractions) {
  EXPECT_EQ(Read("I moved to Berlin."), Strings{"location=Berlin"});
  EXPECT_EQ(Read("I'm no longer vegetarian."), Strings{"!diet"});
  EXPECT_EQ(Read("I've stopped liking coffee."), Strings{"!likes:coffee"});
  EXPECT_EQ(Read("I don't live in Paris anymore."), Strings{"!location"});
  // The new value replaces the old one: no separate retraction.
  EXPECT_EQ(Read("I no longer live in Berlin, I moved to Munich."), Strings{"location=Munich"});
}

TEST(ExtractorTest, TasksAndSmallTalkStateNothing) {
  for (std::string_view text :
       {"Write a short poem about autumn.", "I'd like a recipe.", "I like this answer.",
        "I'm in a meeting, talk later.", "Make a table of the planets.", "I love you!"}) {
    EXPECT_TRUE(Read(text).empty()) << text;
  }
}

TEST(ExtractorTest, ChatSpellingsAndLeftOutSubjects) {
  EXPECT_EQ(Read("im vegitarian btw"), Strings{"diet=vegetarian"});
  EXPECT_EQ(Read("can u answer in spanish pls"), Strings{"language=es"});
  EXPECT_EQ(Read("Big fan of old westerns."), Strings{"likes:old_westerns=old westerns"});
  EXPECT_EQ(Read("living in dublin atm"), Strings{"location=dublin"});
  EXPECT_EQ(Read("hey im marcus btw"), Strings{"name=marcus"});
  // A lower-case word after "im" is a name only in a greeting.
  EXPECT_TRUE(Read("im tired btw").empty());
  EXPECT_TRUE(Read("I'm Canadian.").empty());
}

TEST(ExtractorTest, EachClauseHasItsOwnSubject) {
  EXPECT_EQ(Read("My brother lives in Leeds and I live in York."), Strings{"location=York"});
  EXPECT_EQ(Read("My wife and I are both vegetarian."), Strings{"diet=vegetarian"});
  EXPECT_EQ(Read("I'm a nurse, I work nights, and I want quick answers."),
            (Strings{"occupation=nurse", "response_length=concise"}));
  EXPECT_EQ(Read("Everyone calls me Rob."), Strings{"name=Rob"});
  EXPECT_TRUE(Read("Please don't call me Robert.").empty());
}

TEST(ExtractorTest, StatementsBeforeAQuestionCount) {
  EXPECT_EQ(Read("I'm lactose intolerant and I want more calcium, what should I eat?"),
            Strings{"diet=lactose_free"});
  EXPECT_EQ(Read("hi! i'm Rosa, a vet. could you keep answers short? thx"),
            (Strings{"name=Rosa", "occupation=vet", "response_length=concise"}));
  EXPECT_TRUE(Read("do you think im a beginner").empty());
  EXPECT_TRUE(Read("Do you think I'm allergic to cats and I should see a doctor?").empty());
}

TEST(ExtractorTest, WishesAndHedges) {
  EXPECT_EQ(Read("I'd prefer it if you wrote back in German."), Strings{"language=de"});
  EXPECT_EQ(Read("Be honest with me, even if it hurts."), Strings{"tone=honest"});
  EXPECT_TRUE(Read("I think I might be allergic to this soap.").empty());
  EXPECT_TRUE(Read("I'm not sure if I'm allergic to gluten.").empty());
  EXPECT_TRUE(Read("In theory I'd love to live in Iceland.").empty());
  EXPECT_TRUE(Read("He wrote: I am vegan and proud.").empty());
}

TEST(ExtractorTest, TurnedAndOneOffWishes) {
  EXPECT_EQ(Read("You don't have to be so formal with me."), Strings{"formality=casual"});
  EXPECT_EQ(Read("Your answers are way too long."), Strings{"response_length=concise"});
  EXPECT_EQ(Read("Emojis make me cringe, leave them out."), Strings{"emoji=avoid"});
  EXPECT_EQ(Read("I don't mind emojis at all."), Strings{"emoji=welcome"});
  EXPECT_EQ(Read("Forget the bullet points, plain text is better."), Strings{"format=prose"});
  EXPECT_EQ(Read("Not a fan of musicals, to be honest."), Strings{"dislikes:musicals=musicals"});
  EXPECT_TRUE(Read("Can you explain this in more detail?").empty());
  EXPECT_TRUE(Read("Give me a short answer: is Pluto a planet?").empty());
  EXPECT_TRUE(Read("Give me bullet points for the meeting summary.").empty());
  EXPECT_TRUE(Read("Can you write that in French?").empty());
}

TEST(ExtractorTest, ChangesStatedAnotherWay) {
  EXPECT_EQ(Read("I got laid off last week."), Strings{"!occupation"});
  EXPECT_EQ(Read("I'm a retired engineer."), Strings{"!occupation"});
  EXPECT_EQ(Read("I've fallen out of love with running."), Strings{"!likes:running"});
  EXPECT_EQ(Read("We moved from Leeds to Bristol."), Strings{"location=Bristol"});
  EXPECT_EQ(Read("I'm not allergic to cats after all."), Strings{"!allergy"});
  EXPECT_EQ(Read("My name is Ana, but you can call me Annie."), Strings{"name=Annie"});
  EXPECT_TRUE(Read("When I lived in Paris, I loved the bakeries.").empty());
}

TEST(ExtractorTest, BadInputNeverCrashes) {
  EXPECT_TRUE(Read("").empty());
  EXPECT_TRUE(Read("\xff\xfe I'm \xc3").size() <= 1);
  std::string long_text(100000, 'a');
  EXPECT_TRUE(Read(long_text).empty());
  EXPECT_TRUE(Read("\"\"\"'''''I am'").empty());
  EXPECT_TRUE(Read("I'm allergic to").empty());
  EXPECT_TRUE(Read("I'm in UTC+").size() <= 1);
  EXPECT_TRUE(Read("hi! i. a. b? c, and I, so my: \"x. y\" q").size() <= 1);
  EXPECT_TRUE(Read("I'm allergic. I can't have").empty());
}

}  // namespace
}  // namespace loci::service
