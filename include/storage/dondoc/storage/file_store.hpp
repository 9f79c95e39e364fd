// Where attached documents' content is kept (docs/design.md, "Attached documents"): each file
// once, named by its SHA-256, under one directory that a backup copies beside the database:
//   sha256/ab/ab12…ef   the content (64 hex digits; the first two name the folder)
//   incoming/           uploads under way; one untouched for an hour when a store opens was
//                       cut short by a stop (a live upload writes at least every read timeout)
// An upload streams into incoming/ as it arrives (never whole in memory), its hash computed on
// the way; keep() then makes it durable (file synced, moved into place, folder synced) before
// the database row that names it is written, so a crash can leave a file without a row (unused,
// harmless) but never a row without its file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "dondoc/domain/date.hpp"

namespace dondoc::storage {

struct KeptFile {
  std::string sha256;  // lower-case hex
  std::uint64_t size = 0;
};

// One file being received. Destroying it before keep() removes what was received.
class IncomingFile {
 public:
  virtual ~IncomingFile() = default;
  // Appends bytes; throws domain::StorageError when the disk refuses them.
  virtual void append(std::string_view bytes) = 0;
  virtual std::uint64_t size() const = 0;
  // Up to `length` bytes at `offset` of what was received (to judge what the file is).
  virtual std::string read_at(std::uint64_t offset, std::size_t length) const = 0;
  // Makes the content durable under its hash (a content kept already is not stored twice) and
  // returns where it is. Throws domain::StorageError. Call once, after the last append.
  virtual KeptFile keep() = 0;
};

class FileStore {
 public:
  virtual ~FileStore() = default;
  virtual std::unique_ptr<IncomingFile> receive() = 0;
  // The path of kept content, for reading; throws domain::NotFound when it is missing.
  virtual std::string path_of(const std::string& sha256) const = 0;
};

// The store over a local directory, created if absent; uploads in incoming/ last written over
// an hour before `now` are removed. Throws domain::StorageError when the directory cannot be
// made or written.
std::unique_ptr<FileStore> open_file_store(const std::string& directory, domain::Instant now);

}  // namespace dondoc::storage
