// The word matching the preference rules are built on (service/preferences/clause.h,
// word_forms.h): phrases found through each clause's word filter, word sets, word forms.
#include "service/preferences/clause.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/preferences/word_forms.h"

namespace loci::service::preferences {
namespace {

std::vector<std::string> Forms(std::string_view written) {
  std::vector<std::string> forms;
  AppendWordForms(written, forms);
  return forms;
}

TEST(ClauseTest, FindsPhrasesThroughTheWordFilter) {
  std::vector<Clause> clauses = AnalyzeSentence("I don't really like long answers at all");
  ASSERT_EQ(clauses.size(), 1u);
  const Clause& clause = clauses[0];
  EXPECT_EQ(clause.Find({"i"}), 0u);
  EXPECT_EQ(clause.Find({"do", "not"}), 1u);
  EXPECT_EQ(clause.Find({"long", "answers"}), 5u);
  EXPECT_EQ(clause.Find({"at", "all"}, 7), 7u);
  EXPECT_EQ(clause.Find({"i"}, 1), Clause::npos);  // only before `from`
  EXPECT_EQ(clause.Find({"short", "answers"}), Clause::npos);
  EXPECT_EQ(clause.Find({"answers", "long"}), Clause::npos);  // both there, not in this order
  EXPECT_EQ(clause.Find({}), Clause::npos);
  EXPECT_FALSE(clause.Has({"answer"}));  // whole words only
}

TEST(ClauseTest, AClauseBuiltByHandFindsWithoutAFilter) {
  std::vector<Clause> clauses = AnalyzeSentence("I can't have dairy or gluten as I am allergic");
  ASSERT_EQ(clauses.size(), 1u);
  // What the rules do with the words of the clause before one: a clause of their own.
  Clause copy{.sentence = clauses[0].sentence, .words = clauses[0].words};
  for (std::initializer_list<std::string_view> phrase :
       {std::initializer_list<std::string_view>{"i", "can", "not"}, {"dairy"}, {"allergic"}}) {
    EXPECT_EQ(copy.Find(phrase), clauses[0].Find(phrase));
    EXPECT_NE(copy.Find(phrase), Clause::npos);
  }
  EXPECT_EQ(copy.Find({"vegan"}), Clause::npos);
}

TEST(ClauseTest, WordSetsHoldTheirWordsOnly) {
  const WordSet set({"a", "go", "vegan", "vegetarian", "don't"});
  for (std::string_view word : {"a", "go", "vegan", "vegetarian", "don't"}) {
    EXPECT_TRUE(set.Holds(word)) << word;
    EXPECT_TRUE(In(word, set)) << word;
  }
  for (std::string_view word : {"", "b", "ga", "og", "vegans", "vagan", "vegetarain", "dont"}) {
    EXPECT_FALSE(set.Holds(word)) << word;
  }
  std::vector<Clause> clauses = AnalyzeSentence("We go vegan");
  ASSERT_EQ(clauses.size(), 1u);
  EXPECT_FALSE(clauses[0].IsAny(0, set));
  EXPECT_TRUE(clauses[0].IsAny(1, set));
  EXPECT_TRUE(clauses[0].IsAny(2, set));
  EXPECT_FALSE(clauses[0].IsAny(3, set));  // past the end
}

TEST(ClauseTest, SameWordComparesWholeWords) {
  EXPECT_TRUE(SameWord("", ""));
  EXPECT_TRUE(SameWord("i", "i"));
  EXPECT_TRUE(SameWord("am", "am"));
  EXPECT_TRUE(SameWord("vegan", "vegan"));
  EXPECT_FALSE(SameWord("am", "an"));
  EXPECT_FALSE(SameWord("bat", "bit"));  // same first and last letters
  EXPECT_FALSE(SameWord("vegan", "vegans"));
}

TEST(ClauseTest, WordFormsExpandContractionsAndAppend) {
  EXPECT_EQ(Forms("I'm"), (std::vector<std::string>{"i", "am"}));
  EXPECT_EQ(Forms("Don't"), (std::vector<std::string>{"do", "not"}));
  EXPECT_EQ(Forms("it\u2019s"), (std::vector<std::string>{"it", "is"}));
  EXPECT_EQ(Forms("can't"), (std::vector<std::string>{"can", "not"}));
  EXPECT_EQ(Forms("dont"), (std::vector<std::string>{"do", "not"}));
  EXPECT_EQ(Forms("pls"), (std::vector<std::string>{"please"}));
  EXPECT_EQ(Forms("sister's"), (std::vector<std::string>{"sister's"}));
  EXPECT_EQ(Forms("Berlin"), (std::vector<std::string>{"berlin"}));
  std::vector<std::string> forms = {"kept"};
  AppendWordForms("won't", forms);
  EXPECT_EQ(forms, (std::vector<std::string>{"kept", "will", "not"}));
}

}  // namespace
}  // namespace loci::service::preferences
