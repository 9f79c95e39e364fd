#include "dondoc/service/text.hpp"

#include <gtest/gtest.h>

#include <random>

#include "dondoc/domain/errors.hpp"

using namespace dondoc::service;

TEST(Text, DecomposedVietnameseBecomesComposed) {
  // "Sở" as S, o, combining horn, combining hook above.
  EXPECT_EQ(normalize_nfc("So\xcc\x9b\xcc\x89 Xa\xcc\x82y du\xcc\x9b\xcc\xa3ng", "title"),
            "Sở Xây dựng");
  EXPECT_EQ(normalize_nfc("Sở Xây dựng", "title"), "Sở Xây dựng");
}

TEST(Text, InvalidUtf8NamesTheField) {
  try {
    normalize_nfc("ab\xff", "title");
    FAIL();
  } catch (const dondoc::domain::ValidationError& e) {
    EXPECT_EQ(e.errors()[0].field, "title");
  }
}

TEST(Text, FoldingDropsCaseAndDiacriticsIncludingDStroke) {
  EXPECT_EQ(fold_for_search("Sở Xây dựng"), "so xay dung");
  EXPECT_EQ(fold_for_search("ĐĂNG Hà"), "dang ha");
  EXPECT_EQ(fold_for_search("Đường tỉnh 254"), "duong tinh 254");
}

TEST(Text, SearchTermsKeepDocumentNumbersWhole) {
  EXPECT_EQ(search_terms("  Số 45/TB-UBND, ngày 20/02 "),
            (std::vector<std::string>{"so", "45/tb-ubnd", "ngay", "20/02"}));
  EXPECT_TRUE(search_terms(" ,; ").empty());
}

// The fast paths (text made only of precomposed Latin letters is NFC as it is and folds one code
// point at a time) must give what utf8proc gives. Appending 一 (U+4E00, no case, no marks, never
// composes) sends the same text down utf8proc's own path for comparison.
namespace {

const std::string kIdeograph = "\xe4\xb8\x80";  // 一

std::vector<char32_t> precomposed_latin_code_points() {
  std::vector<char32_t> out;
  for (char32_t c = 1; c < 0x1F00; ++c) {
    if (is_precomposed_latin(c)) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

TEST(Text, PrecomposedLatinIsNfcAndFoldsAsUtf8procDoes) {
  const auto all = precomposed_latin_code_points();
  ASSERT_EQ(all.size(), 0x2FFu + 0x100u);
  for (char32_t c : all) {
    const std::string s = encode_utf8(c);
    EXPECT_EQ(normalize_nfc(s + kIdeograph, "t"), s + kIdeograph)
        << std::hex << static_cast<std::uint32_t>(c);
    EXPECT_EQ(fold_for_search(s) + kIdeograph, fold_for_search(s + kIdeograph))
        << std::hex << static_cast<std::uint32_t>(c);
  }
  // Folding whole texts equals folding their code points one at a time.
  std::mt19937 rng(2911);
  std::uniform_int_distribution<std::size_t> pick(0, all.size() - 1);
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    for (int i = 1 + round % 8; i > 0; --i) {
      s += encode_utf8(all[pick(rng)]);
    }
    ASSERT_EQ(fold_for_search(s) + kIdeograph, fold_for_search(s + kIdeograph)) << s;
  }
  // No second code point composes with the first (a stride of the first keeps this quick).
  for (std::size_t i = 0; i < all.size(); i += 3) {
    const std::string first = encode_utf8(all[i]);
    for (char32_t c : all) {
      const std::string pair = first + encode_utf8(c) + kIdeograph;
      ASSERT_EQ(normalize_nfc(pair, "t"), pair)
          << std::hex << static_cast<std::uint32_t>(all[i]) << " " << static_cast<std::uint32_t>(c);
    }
  }
}

TEST(Text, VietnameseTextTakesTheFastPathsUnchanged) {
  const std::vector<std::string> samples = {
      "Báo cáo tiến độ giải ngân vốn đầu tư công", "Chủ tịch UBND tỉnh",
      "Thông báo kết luận của Chủ tịch UBND tỉnh", "ĐƯỜNG TỈNH 254, XÃ ĐỒNG HỶ", "Ưu tiên ỨNG PHÓ"};
  for (const auto& s : samples) {
    EXPECT_EQ(normalize_nfc(s, "t"), s);
    EXPECT_EQ(fold_for_search(s) + kIdeograph, fold_for_search(s + kIdeograph)) << s;
  }
  EXPECT_EQ(fold_for_search("ĐƯỜNG TỈNH 254, XÃ ĐỒNG HỶ"), "duong tinh 254, xa dong hy");
}
