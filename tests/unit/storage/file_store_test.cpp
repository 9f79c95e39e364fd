// The attachments' file store on a real directory: content kept by its SHA-256, once; uploads
// cut short leave nothing behind; old leftovers of a stop are cleared, live ones are not.
#include "dondoc/storage/file_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dondoc/domain/errors.hpp"
#include "temp_dir.hpp"

using namespace dondoc;
namespace fs = std::filesystem;

namespace {

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    n += e.is_regular_file() ? 1 : 0;
  }
  return n;
}

const domain::Instant kNow = domain::Instant{} + std::chrono::hours(24 * 20000);

}  // namespace

TEST(FileStore, KeepsContentUnderItsSha256) {
  dondoc::testing::TempDir dir;
  auto store = storage::open_file_store(dir.file("files"), kNow);
  auto in = store->receive();
  in->append("a");
  in->append("bc");
  EXPECT_EQ(in->size(), 3u);
  EXPECT_EQ(in->read_at(1, 10), "bc");
  const auto kept = in->keep();
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(kept.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(kept.size, 3u);
  const std::string path = store->path_of(kept.sha256);
  EXPECT_EQ(path, dir.file("files/sha256/ba/" + kept.sha256));
  EXPECT_EQ(dondoc::testing::read_file(path), "abc");
  in.reset();
  EXPECT_EQ(dondoc::testing::read_file(path), "abc") << "the kept file outlives its upload";
  EXPECT_EQ(files_in(dir.path() / "files" / "incoming"), 0u);
}

TEST(FileStore, TheSameContentIsKeptOnce) {
  dondoc::testing::TempDir dir;
  auto store = storage::open_file_store(dir.file("files"), kNow);
  for (int i = 0; i < 3; ++i) {
    auto in = store->receive();
    in->append(std::string(100000, 'x'));
    in->keep();
  }
  EXPECT_EQ(files_in(dir.path() / "files"), 1u);
}

TEST(FileStore, AnUploadDroppedBeforeKeepLeavesNothing) {
  dondoc::testing::TempDir dir;
  auto store = storage::open_file_store(dir.file("files"), kNow);
  {
    auto in = store->receive();
    in->append("half of a letter");
    EXPECT_EQ(files_in(dir.path() / "files"), 1u);
  }
  EXPECT_EQ(files_in(dir.path() / "files"), 0u);
}

TEST(FileStore, MissingContentIsNotFound) {
  dondoc::testing::TempDir dir;
  auto store = storage::open_file_store(dir.file("files"), kNow);
  EXPECT_THROW(store->path_of(std::string(64, 'a')), domain::NotFound);
  EXPECT_THROW(store->path_of("../../etc/passwd"), domain::NotFound);
}

TEST(FileStore, OpeningClearsOnlyUploadsLeftOverAnHourAgo) {
  dondoc::testing::TempDir dir;
  storage::open_file_store(dir.file("files"), kNow);
  const fs::path incoming = dir.path() / "files" / "incoming";
  std::ofstream(incoming / "old") << "cut short by a stop";
  std::ofstream(incoming / "live") << "being received";
  const auto file_now = std::chrono::file_clock::from_sys(kNow);
  fs::last_write_time(incoming / "old", file_now - std::chrono::minutes(61));
  fs::last_write_time(incoming / "live", file_now - std::chrono::minutes(5));
  storage::open_file_store(dir.file("files"), kNow);
  EXPECT_FALSE(fs::exists(incoming / "old"));
  EXPECT_TRUE(fs::exists(incoming / "live"));
}

TEST(FileStore, ADirectoryThatCannotBeMadeIsAStorageError) {
  dondoc::testing::TempDir dir;
  std::ofstream(dir.file("a-file")) << "x";
  EXPECT_THROW(storage::open_file_store(dir.file("a-file/files"), kNow), domain::StorageError);
}
