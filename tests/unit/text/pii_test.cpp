#include "text/pii.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace loci::text {
namespace {

using Strings = std::vector<std::string>;

// Each match as "KIND:matched text", e.g. "EMAIL:jo@example.com".
Strings Spans(std::string_view text) {
  Strings out;
  for (const PiiMatch& m : FindPii(text)) {
    std::string_view kind = PiiPlaceholder(m.kind);
    kind = kind.substr(1, kind.size() - 2);
    out.push_back(std::string(kind) + ":" + std::string(text.substr(m.begin, m.end - m.begin)));
  }
  return out;
}

// Each of `values` is found as one match of `kind`, alone and inside a sentence.
void ExpectFound(std::string_view kind, const Strings& values) {
  for (const std::string& value : values) {
    SCOPED_TRACE(value);
    const Strings expected = {std::string(kind) + ":" + value};
    EXPECT_EQ(Spans(value), expected);
    EXPECT_EQ(Spans("Here it is: " + value + ", thanks."), expected);
  }
}

// None of `values` holds any PII, alone or inside a sentence.
void ExpectNothing(const Strings& values) {
  for (const std::string& value : values) {
    SCOPED_TRACE(value);
    EXPECT_EQ(Spans(value), Strings{});
    EXPECT_EQ(Spans("Here it is: " + value + ", thanks."), Strings{});
  }
}

TEST(PiiTest, PlaceholdersAreTyped) {
  EXPECT_EQ(PiiPlaceholder(PiiKind::kEmail), "[EMAIL]");
  EXPECT_EQ(PiiPlaceholder(PiiKind::kPhone), "[PHONE]");
  EXPECT_EQ(PiiPlaceholder(PiiKind::kCard), "[CARD]");
  EXPECT_EQ(PiiPlaceholder(PiiKind::kNationalId), "[NATIONAL_ID]");
  EXPECT_EQ(PiiPlaceholder(PiiKind::kIpAddress), "[IP_ADDRESS]");
}

TEST(PiiTest, NothingInEmptyOrPlainText) {
  EXPECT_TRUE(FindPii("").empty());
  EXPECT_TRUE(FindPii("I'd like a table for 4 at 7:30pm on 2024-05-01, about $1,234.56.").empty());
}

TEST(PiiTest, FindsEmailAddresses) {
  ExpectFound("EMAIL", {"john@example.com", "jane.doe+news@mail.example.co.uk",
                        "first_last-99@sub.domain.org", "UPPER.Case@Example.COM", "a@b.io",
                        "x%y@host-name.example.museum", "4155550132@sms.example.net"});
}

TEST(PiiTest, RejectsWhatIsNotAnEmailAddress) {
  ExpectNothing({"a@b", "user@localhost", "x@y.c", "john@example.c0m", "@example.com", "john@.com",
                 "john.@example.com", "john@example..com", "x@-bad.com", "abc@def.123", "@@@"});
}

TEST(PiiTest, EmailStopsBeforeSentencePunctuation) {
  EXPECT_EQ(Spans("Write to jo@example.com. Or (ann@example.org)!"),
            (Strings{"EMAIL:jo@example.com", "EMAIL:ann@example.org"}));
}

TEST(PiiTest, FindsPhoneNumbers) {
  ExpectFound("PHONE",
              {"+1 (415) 555-0132", "415-555-0132",        "(415) 555-0132", "(415)555-0132",
               "415.555.0132",      "415 555 0132",        "1-800-555-0199", "1 (800) 555-0199",
               "+44 20 7946 0958",  "+44 (0)20 7946 0958", "+49 30 1234567", "+14155550132",
               "+33 1 23 45 67 89", "+86 138 0013 8000",   "030 1234567",    "(030) 1234567",
               "020 7946 0958",     "01 23 45 67 89",      "06-12345678",    "+1-415-555-0132",
               "+1.415.555.0132",   "044 668 18 00"});
  EXPECT_EQ(Spans("tel:+14155550132"), Strings{"PHONE:+14155550132"});
  EXPECT_EQ(Spans("at 415 555 0132 2024"), Strings{"PHONE:415 555 0132"});
}

TEST(PiiTest, DatesTimesAndYearsAreNotPhones) {
  ExpectNothing({"2024-05-01", "01/05/2024", "12.03.2023", "2024.05.01", "01.05.2024 10 30",
                 "01 05 2024 1030", "10:30", "10:30:45", "1999 2000 2024", "2019-2024",
                 "Mon 01.05.2024 10:30-11:45"});
}

TEST(PiiTest, AmountsVersionsAndShortNumbersAreNotPhones) {
  ExpectNothing({"1,234.56",
                 "$1,234,567.89",
                 "1 234 567,89 EUR",
                 "1.234.567",
                 "1.2.3",
                 "v2.14.1",
                 "10.0.19041.1",
                 "42",
                 "12345",
                 "order 123456",
                 "555-0132",
                 "123-456-7890",
                 "415-555-0132-7",
                 "+1 234 567",
                 "+12",
                 "+",
                 "(415)",
                 "0 800 12 34",
                 "ISBN 978-3-16-148410-0",
                 "ISBN 0-306-40615-2",
                 "09:00-17:00",
                 "Chrome 120.0.6099.109",
                 "0000 0000 0000"});
}

TEST(PiiTest, FindsLuhnValidCardNumbers) {
  ExpectFound("CARD", {"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111",
                       "5555 5555 5555 4444", "378282246310005", "3782 822463 10005",
                       "6011 1111 1111 1117", "2223003122003222", "4012888888881881",
                       "30569309025904", "3056 930902 5904", "4222222222222"});
}

TEST(PiiTest, RejectsCardLookalikes) {
  ExpectNothing({"4111111111111112", "4111 1111 1111 1112", "1234567890123456", "0000000000000000",
                 "0000 0000 0000 0000", "4111 11111 1111 111", "4111-1111 1111-1111",
                 "411111111111", "41111111111111111111", "4111111111111111111",
                 "4111111111111111.5", "4111111111111111/2"});
}

TEST(PiiTest, CardFollowedByAnotherNumberIsStillFound) {
  EXPECT_EQ(Spans("card 4111 1111 1111 1111 2025"), (Strings{"CARD:4111 1111 1111 1111"}));
}

TEST(PiiTest, FindsSocialSecurityNumbers) {
  ExpectFound("NATIONAL_ID", {"123-45-6789", "078-05-1120", "899-99-9999"});
}

TEST(PiiTest, RejectsNeverIssuedOrMisshapenSsns) {
  ExpectNothing({"000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000",
                 "123456789", "123 45 6789", "123-45-67890", "1123-45-6789", "123-45-6789-1"});
}

TEST(PiiTest, FindsUkNationalInsuranceNumbers) {
  ExpectFound("NATIONAL_ID", {"AB123456C", "JG 10 37 58 A", "ce123456d", "ZX987654B"});
}

TEST(PiiTest, RejectsInvalidNationalInsuranceNumbers) {
  ExpectNothing({"DA123456C", "AO123456C", "GB123456A", "ZZ123456A", "QQ123456C", "AB123456E",
                 "AB12345C", "AB1234567C", "AB 123456 C", "XAB123456C", "AB123456CD"});
}

TEST(PiiTest, FindsSpanishIdsByTheirCheckLetter) {
  ExpectFound("NATIONAL_ID",
              {"12345678Z", "12345678-Z", "87654321x", "X1234567L", "Y1234567X", "Z1234567R"});
  ExpectNothing({"12345678A", "X1234567A", "1234567Z", "123456789Z"});
}

TEST(PiiTest, FindsIpv4Addresses) {
  ExpectFound("IP_ADDRESS",
              {"192.168.1.1", "10.0.0.255", "8.8.8.8", "0.0.0.0", "255.255.255.255", "1.2.3.4"});
  EXPECT_EQ(Spans("server 192.168.1.1:8080."), (Strings{"IP_ADDRESS:192.168.1.1"}));
  EXPECT_EQ(Spans("range 10.0.0.1-10.0.0.9"),
            (Strings{"IP_ADDRESS:10.0.0.1", "IP_ADDRESS:10.0.0.9"}));
  EXPECT_EQ(Spans("net 10.0.0.0/8"), (Strings{"IP_ADDRESS:10.0.0.0"}));
}

TEST(PiiTest, RejectsIpv4Lookalikes) {
  ExpectNothing({"256.1.1.1", "1.2.3", "1.2.3.4.5", "v1.2.3.4b", "1.2.3.4b", "192.168.1.1234",
                 "host.1.2.3.4", "1.2.3.4.example", "1..2.3.4"});
}

TEST(PiiTest, FindsIpv6Addresses) {
  ExpectFound("IP_ADDRESS", {"2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8::1", "::1",
                             "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.1",
                             "2001:DB8::", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:7:8"});
  EXPECT_EQ(Spans("[::1]:8080"), (Strings{"IP_ADDRESS:::1"}));
  EXPECT_EQ(Spans("ip:fe80::1"), (Strings{"IP_ADDRESS:fe80::1"}));
  EXPECT_EQ(Spans("at fe80::1:"), (Strings{"IP_ADDRESS:fe80::1"}));
}

TEST(PiiTest, RejectsIpv6Lookalikes) {
  ExpectNothing({"::", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1",
                 "std::vector", "A::B", "dead::beef", "00:1a:2b:3c:4d:5e", "::1g", ":::1",
                 "::ffff:300.0.2.1", "1:2:3:4:5:6:7::8:9"});
}

TEST(PiiTest, MatchesMustNotTouchLettersOrDigits) {
  EXPECT_EQ(Spans("abc4111111111111111"), Strings{});
  EXPECT_EQ(Spans("4111111111111111abc"), Strings{});
  EXPECT_EQ(Spans("v1.2.3.4b"), Strings{});
  EXPECT_EQ(Spans("x415-555-0132"), Strings{});
  EXPECT_EQ(Spans("9123-45-6789"), Strings{});
  EXPECT_EQ(Spans("john@example.comx1"), Strings{});
  EXPECT_EQ(Spans("id_4111111111111111"), Strings{"CARD:4111111111111111"});
}

TEST(PiiTest, NonAsciiLettersGlueButCjkDoesNot) {
  EXPECT_EQ(Spans("\u00e94111111111111111"), Strings{});        // é
  EXPECT_EQ(Spans("4111111111111111\u0416"), Strings{});        // Ж
  EXPECT_EQ(Spans("john@example.com\u00e9"), Strings{});        // é
  EXPECT_EQ(Spans("\u00e9lodie@exemple.fr"), Strings{});        // no partial address
  EXPECT_EQ(Spans("10.0.0.1\u0301"), Strings{});                // combining acute accent
  EXPECT_EQ(Spans("\u540d\u524djohn@example.com\u3067\u3059"),  // 名前…です
            Strings{"EMAIL:john@example.com"});
  EXPECT_EQ(Spans("\u7535\u8bdd+86 138 0013 8000\u3002"),  // 电话…。
            Strings{"PHONE:+86 138 0013 8000"});
}

TEST(PiiTest, BadUtf8BytesSeparate) {
  EXPECT_EQ(Spans("\xff"
                  "4111111111111111\xc3"),
            Strings{"CARD:4111111111111111"});
}

TEST(PiiTest, OffsetsAreBytesOfTheOriginal) {
  const std::string text = "\u00c0 jo@example.com";  // À is two bytes
  const std::vector<PiiMatch> matches = FindPii(text);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].kind, PiiKind::kEmail);
  EXPECT_EQ(matches[0].begin, 3u);
  EXPECT_EQ(matches[0].end, text.size());
}

TEST(PiiTest, MixedTextIsFoundInOrder) {
  EXPECT_EQ(Spans("Call 415-555-0132 or mail x@y.com; card 4111 1111 1111 1111, ssn "
                  "123-45-6789, NI AB123456C, host 10.0.0.1 / 2001:db8::7."),
            (Strings{"PHONE:415-555-0132", "EMAIL:x@y.com", "CARD:4111 1111 1111 1111",
                     "NATIONAL_ID:123-45-6789", "NATIONAL_ID:AB123456C", "IP_ADDRESS:10.0.0.1",
                     "IP_ADDRESS:2001:db8::7"}));
}

TEST(PiiTest, AdjacentMatchesAreSeparate) {
  EXPECT_EQ(Spans("a@b.com,c@d.org"), (Strings{"EMAIL:a@b.com", "EMAIL:c@d.org"}));
  EXPECT_EQ(Spans("(a@b.com)(10.0.0.1)"), (Strings{"EMAIL:a@b.com", "IP_ADDRESS:10.0.0.1"}));
  EXPECT_EQ(Spans("415-555-0132, 415-555-0133"),
            (Strings{"PHONE:415-555-0132", "PHONE:415-555-0133"}));
  EXPECT_EQ(Spans("4111111111111111;5555555555554444"),
            (Strings{"CARD:4111111111111111", "CARD:5555555555554444"}));
}

TEST(PiiTest, EmailWinsOverTheNumberInsideIt) {
  EXPECT_EQ(Spans("+14155550132@sms.example.com"), Strings{"EMAIL:+14155550132@sms.example.com"});
}

TEST(PiiTest, RedactionReplacesExactlyTheMatches) {
  const Redaction r =
      RedactPii("Mail jane@example.com or call +44 20 7946 0958 (card 4111-1111-1111-1111).");
  EXPECT_EQ(r.text, "Mail [EMAIL] or call [PHONE] (card [CARD]).");
  EXPECT_EQ(r.replaced, 3);
}

TEST(PiiTest, RedactionKeepsNonAsciiTextIntact) {
  const Redaction r = RedactPii(
      "T\u00e9l\u00a0: 030 1234567 \u2022 \u2709 jean@exemple.fr \u2713 "
      "\u6771\u4eac 10.1.2.3\U0001F600");
  EXPECT_EQ(r.text,
            "T\u00e9l\u00a0: [PHONE] \u2022 \u2709 [EMAIL] \u2713 \u6771\u4eac "
            "[IP_ADDRESS]\U0001F600");
  EXPECT_EQ(r.replaced, 3);
}

TEST(PiiTest, RedactionWithoutMatchesCopiesTheText) {
  const Redaction r = RedactPii("nothing to see on 2024-05-01 at 10:30 \u00e9");
  EXPECT_EQ(r.text, "nothing to see on 2024-05-01 at 10:30 \u00e9");
  EXPECT_EQ(r.replaced, 0);
  EXPECT_EQ(RedactPii("").text, "");
}

TEST(PiiTest, NulBytesAreOrdinarySeparators) {
  const std::string text(
      "a\0jo@example.com\0"
      "192.168.0.1\0",
      30);
  const Redaction r = RedactPii(text);
  EXPECT_EQ(r.text, std::string("a\0[EMAIL]\0[IP_ADDRESS]\0", 24));
  EXPECT_EQ(r.replaced, 2);
}

TEST(PiiTest, LargeInputIsScannedWhole) {
  const std::string chunk =
      "Meeting on 2024-05-01 at 10:30, budget 1,234.56, v1.2.3. Reach me at jo@example.com or "
      "+1 (415) 555-0132; card 4111 1111 1111 1111. \u00e9\u6771 ";
  std::string text;
  int chunks = 0;
  while (text.size() < (1u << 20)) {
    text += chunk;
    ++chunks;
  }
  const Redaction r = RedactPii(text);
  EXPECT_EQ(r.replaced, 3 * chunks);
  EXPECT_EQ(FindPii(text).size(), static_cast<std::size_t>(3 * chunks));
}

TEST(PiiTest, PathologicalInputsFinishWithoutMatches) {
  const std::size_t size = 1u << 20;
  for (const std::string& unit : Strings{"1", "1.", "1:", ":", "a", "a.", "a@", "@a.", "+1 ", "(1)",
                                         "1-", "\xe6\x9d\xb1", "\x80", std::string(1, '\0')}) {
    SCOPED_TRACE(unit);
    std::string text;
    text.reserve(size + unit.size());
    while (text.size() < size) text += unit;
    EXPECT_EQ(FindPii(text).size(), 0u);
  }
}

}  // namespace
}  // namespace loci::text
