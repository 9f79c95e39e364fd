#include "dondoc/storage/file_store.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

#include "dondoc/domain/errors.hpp"

namespace dondoc::storage {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
  throw domain::StorageError(what + " " + path.string() + ": " + std::strerror(error));
}

// fsync of a directory, so that a name created or renamed in it survives a crash.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    fail("cannot open the directory", dir, errno);
  }
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) {
    fail("cannot sync the directory", dir, error);
  }
}

void make_directory(const fs::path& dir) {
  std::error_code ec;
  if (fs::create_directory(dir, ec)) {
    sync_directory(dir.parent_path());
  } else if (ec) {
    fail("cannot create the directory", dir, ec.value());
  }
}

std::string random_name() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 24; ++i) {
    out += kHex[random() & 0xF];
  }
  return out;
}

class LocalIncomingFile final : public IncomingFile {
 public:
  LocalIncomingFile(fs::path root, fs::path path)
      : root_(std::move(root)), path_(std::move(path)), hash_(EVP_MD_CTX_new()) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd_ < 0 || hash_ == nullptr || EVP_DigestInit_ex(hash_, EVP_sha256(), nullptr) != 1) {
      const int error = errno;
      EVP_MD_CTX_free(hash_);
      if (fd_ >= 0) {
        ::close(fd_);
      }
      fail("cannot create the upload file", path_, error);
    }
  }
  ~LocalIncomingFile() override {
    ::close(fd_);
    if (!kept_) {
      ::unlink(path_.c_str());
    }
    EVP_MD_CTX_free(hash_);
  }
  LocalIncomingFile(const LocalIncomingFile&) = delete;
  LocalIncomingFile& operator=(const LocalIncomingFile&) = delete;

  void append(std::string_view bytes) override {
    EVP_DigestUpdate(hash_, bytes.data(), bytes.size());
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        fail("cannot write the upload file", path_, errno);
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
      size_ += static_cast<std::uint64_t>(n);
    }
  }

  std::uint64_t size() const override { return size_; }

  std::string read_at(std::uint64_t offset, std::size_t length) const override {
    std::string out(length, '\0');
    std::size_t got = 0;
    while (got < length) {
      const ssize_t n =
          ::pread(fd_, out.data() + got, length - got, static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        fail("cannot read the upload file", path_, errno);
      }
      if (n == 0) {
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    out.resize(got);
    return out;
  }

  KeptFile keep() override {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(hash_, digest.data(), &length);
    static constexpr char kHex[] = "0123456789abcdef";
    KeptFile kept;
    kept.size = size_;
    for (unsigned int i = 0; i < length; ++i) {
      kept.sha256 += kHex[digest[i] >> 4];
      kept.sha256 += kHex[digest[i] & 0xF];
    }
    if (::fsync(fd_) != 0) {
      fail("cannot sync the upload file", path_, errno);
    }
    const fs::path folder = root_ / "sha256" / kept.sha256.substr(0, 2);
    make_directory(folder);
    const fs::path target = folder / kept.sha256;
    // A content kept already stays as it is (same bytes, same name); the upload is dropped.
    struct stat existing {};
    if (::stat(target.c_str(), &existing) == 0 &&
        static_cast<std::uint64_t>(existing.st_size) == size_) {
      return kept;
    }
    if (::rename(path_.c_str(), target.c_str()) != 0) {
      fail("cannot move the upload into place as", target, errno);
    }
    kept_ = true;
    sync_directory(folder);
    return kept;
  }

 private:
  fs::path root_;
  fs::path path_;
  EVP_MD_CTX* hash_ = nullptr;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  bool kept_ = false;
};

class LocalFileStore final : public FileStore {
 public:
  LocalFileStore(fs::path root, domain::Instant now) : root_(std::move(root)) {
    std::error_code ec;
    fs::create_directories(root_, ec);
    if (ec) {
      fail("cannot create the attachments directory", root_, ec.value());
    }
    make_directory(root_ / "sha256");
    make_directory(root_ / "incoming");
    // Uploads a stop cut short: nothing names them. Another process (a report command) may
    // open the store while the daemon receives a file: only old ones go.
    for (const auto& entry : fs::directory_iterator(root_ / "incoming", ec)) {
      const auto written = std::chrono::file_clock::to_sys(entry.last_write_time(ec));
      if (!ec && written < now - std::chrono::hours(1)) {
        fs::remove(entry.path(), ec);
      }
    }
    if (::access((root_ / "incoming").c_str(), W_OK) != 0) {
      fail("cannot write in", root_ / "incoming", errno);
    }
  }

  std::unique_ptr<IncomingFile> receive() override {
    return std::make_unique<LocalIncomingFile>(root_, root_ / "incoming" / random_name());
  }

  std::string path_of(const std::string& sha256) const override {
    const fs::path path = root_ / "sha256" / sha256.substr(0, 2) / sha256;
    if (sha256.size() != 64 || !fs::exists(path)) {
      throw domain::NotFound("the content of this attachment is missing from " + root_.string());
    }
    return path.string();
  }

 private:
  fs::path root_;
};

}  // namespace

std::unique_ptr<FileStore> open_file_store(const std::string& directory, domain::Instant now) {
  return std::make_unique<LocalFileStore>(directory, now);
}

}  // namespace dondoc::storage
