// What a file is, read from its bytes; and the name it is kept under.
#include "dondoc/domain/attachment.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dondoc/domain/errors.hpp"

using namespace dondoc::domain;

namespace {

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

// A ZIP holding empty (stored) entries of these names, laid out as the format says: local
// headers, then the central directory, then its end record (with `comment`).
std::string zip_of(const std::vector<std::string>& names, const std::string& comment = "") {
  std::string out;
  std::vector<std::uint32_t> offsets;
  for (const auto& name : names) {
    offsets.push_back(static_cast<std::uint32_t>(out.size()));
    put32(out, 0x04034b50);
    put16(out, 20);
    put16(out, 0);
    put16(out, 0);
    put32(out, 0);
    put32(out, 0);
    put32(out, 0);
    put32(out, 0);
    put16(out, static_cast<std::uint32_t>(name.size()));
    put16(out, 0);
    out += name;
  }
  const auto directory_at = static_cast<std::uint32_t>(out.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    put32(out, 0x02014b50);
    put16(out, 20);
    put16(out, 20);
    put16(out, 0);
    put16(out, 0);
    put32(out, 0);
    put32(out, 0);
    put32(out, 0);
    put32(out, 0);
    put16(out, static_cast<std::uint32_t>(names[i].size()));
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    put32(out, 0);
    put32(out, offsets[i]);
    out += names[i];
  }
  const auto directory_size = static_cast<std::uint32_t>(out.size()) - directory_at;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(names.size()));
  put16(out, static_cast<std::uint32_t>(names.size()));
  put32(out, directory_size);
  put32(out, directory_at);
  put16(out, static_cast<std::uint32_t>(comment.size()));
  out += comment;
  return out;
}

std::optional<FileKind> sniff(const std::string& bytes) {
  return sniff_file_kind(bytes.size(), [&](std::uint64_t at, std::size_t n) {
    return at >= bytes.size() ? std::string() : bytes.substr(static_cast<std::size_t>(at), n);
  });
}

}  // namespace

TEST(SniffFileKind, SignaturesNameTheKind) {
  EXPECT_EQ(sniff("%PDF-1.7\n%âãÏÓ\n"), FileKind::pdf);
  EXPECT_EQ(sniff(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), FileKind::png);
  EXPECT_EQ(sniff("\xFF\xD8\xFF\xE0\x00\x10JFIF"), FileKind::jpeg);
  EXPECT_EQ(sniff(std::string("II*\0\x08\0\0\0", 8)), FileKind::tiff);
  EXPECT_EQ(sniff(std::string("MM\0*\0\0\0\x08", 8)), FileKind::tiff);
}

TEST(SniffFileKind, AnOfficeFileIsKnownByItsMainPart) {
  EXPECT_EQ(sniff(zip_of({"[Content_Types].xml", "_rels/.rels", "word/document.xml"})),
            FileKind::docx);
  EXPECT_EQ(sniff(zip_of({"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"})),
            FileKind::xlsx);
  // Found behind a long archive comment too (the end record is searched for backwards).
  EXPECT_EQ(sniff(zip_of({"xl/workbook.xml"}, std::string(40000, 'c'))), FileKind::xlsx);
}

TEST(SniffFileKind, AnythingElseIsRefused) {
  EXPECT_EQ(sniff(""), std::nullopt);
  EXPECT_EQ(sniff("Báo cáo tiến độ.pdf, but text"), std::nullopt);
  EXPECT_EQ(sniff("MZ\x90\0"), std::nullopt);  // a Windows program
  // A DOC of the old (OLE) format, and a ZIP that is not an office file.
  EXPECT_EQ(sniff("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), std::nullopt);
  EXPECT_EQ(sniff(zip_of({"setup.exe", "readme.txt"})), std::nullopt);
  // A ZIP cut short, and one whose directory points outside the file.
  const std::string docx = zip_of({"word/document.xml"});
  EXPECT_EQ(sniff(docx.substr(0, docx.size() - 30)), std::nullopt);
  std::string lying = docx;
  lying[lying.size() - 6] = '\x7F';  // the directory's offset, far past the end
  EXPECT_EQ(sniff(lying), std::nullopt);
}

TEST(AttachmentName, KeepsVietnameseAndTheLastSegment) {
  EXPECT_EQ(attachment_name("Công văn 125-SXD.pdf", FileKind::pdf), "Công văn 125-SXD.pdf");
  EXPECT_EQ(attachment_name("C:\\fakepath\\Báo cáo quý I.docx", FileKind::docx),
            "Báo cáo quý I.docx");
  EXPECT_EQ(attachment_name("../../etc/passwd", FileKind::pdf), "passwd.pdf");
  EXPECT_EQ(attachment_name("ảnh hiện trường.JPEG", FileKind::jpeg), "ảnh hiện trường.JPEG");
  EXPECT_EQ(attachment_name("Quyết định\n số 5", FileKind::pdf), "Quyết định số 5.pdf");
  EXPECT_EQ(attachment_name("..hidden", FileKind::png), "hidden.png");
  const std::string long_name(300, 'a');
  EXPECT_EQ(attachment_name(long_name + ".pdf", FileKind::pdf), std::string(200, 'a') + ".pdf");
  // Cut at a whole code point: "ă" is two bytes.
  std::string vietnamese;
  for (int i = 0; i < 150; ++i) {
    vietnamese += "ă";
  }
  EXPECT_EQ(attachment_name(vietnamese, FileKind::pdf).size(), 200u + 4u);
}

TEST(AttachmentName, RefusesAnEmptyNameAndOneThatNamesAnotherKind) {
  EXPECT_THROW(attachment_name("", FileKind::pdf), ValidationError);
  EXPECT_THROW(attachment_name("C:\\tmp\\", FileKind::pdf), ValidationError);
  try {
    attachment_name("Công văn.pdf", FileKind::png);
    FAIL() << "a PNG named .pdf was accepted";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].field, "name");
    EXPECT_EQ(e.errors()[0].message,
              "the file is a PNG image but its name ends in .pdf; choose the right file, or "
              "rename it");
  }
}
