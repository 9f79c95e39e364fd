#include "dondoc/service/text.hpp"

#include <gtest/gtest.h>

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
