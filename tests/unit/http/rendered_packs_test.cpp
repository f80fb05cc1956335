#include "http/rendered_packs.h"

#include <gtest/gtest.h>

namespace loci::http {
namespace {

std::shared_ptr<const service::ContextPack> NewPack() {
  return std::make_shared<const service::ContextPack>();
}

std::shared_ptr<const std::string> Body(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(RenderedPacksTest, ReturnsTheBodyOfThatVeryPack) {
  RenderedPacks rendered(1 << 20);
  auto pack = NewPack();
  EXPECT_EQ(rendered.Find(pack), nullptr);
  rendered.Insert(pack, Body("{\"a\":1}"));
  ASSERT_NE(rendered.Find(pack), nullptr);
  EXPECT_EQ(*rendered.Find(pack), "{\"a\":1}");
  EXPECT_EQ(rendered.Find(NewPack()), nullptr);  // an equal but different pack
}

TEST(RenderedPacksTest, ADroppedPackIsNeverMatchedAgain) {
  RenderedPacks rendered(1 << 20);
  auto pack = std::make_shared<service::ContextPack>();
  const service::ContextPack* address = pack.get();
  rendered.Insert(pack, Body("old"));
  pack.reset();
  // Whatever lives at that address now (if anything), it is not the pack rendered before.
  auto reused = std::shared_ptr<const service::ContextPack>(address, [](auto*) {});
  EXPECT_EQ(rendered.Find(reused), nullptr);
}

TEST(RenderedPacksTest, StaysWithinItsBudget) {
  RenderedPacks rendered(4096);
  std::vector<std::shared_ptr<const service::ContextPack>> packs;
  for (int i = 0; i < 20; ++i) {
    packs.push_back(NewPack());
    rendered.Insert(packs.back(), Body(std::string(900, 'x')));
  }
  int kept = 0;
  for (const auto& pack : packs) kept += rendered.Find(pack) != nullptr ? 1 : 0;
  EXPECT_GT(kept, 0);
  EXPECT_LE(kept * 900, 4096);
  // A body over a quarter of the budget is not kept.
  auto big = NewPack();
  rendered.Insert(big, Body(std::string(2000, 'y')));
  EXPECT_EQ(rendered.Find(big), nullptr);
}

}  // namespace
}  // namespace loci::http
