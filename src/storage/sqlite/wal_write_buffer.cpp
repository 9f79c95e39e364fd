#include "wal_write_buffer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <new>
#include <stdexcept>
#include <vector>

namespace dondoc::storage::sqlite {

namespace {

// Past this many bytes held, they are written out even before the sync: a long import's
// transaction must not hold its whole WAL in memory.
constexpr std::size_t kMaxHeldBytes = 4 * 1024 * 1024;

// The most the default (unix) VFS writes in one call: it keeps 17 bits of a write's length.
constexpr std::size_t kMaxWrite = 124 * 1024;

std::atomic<std::uint64_t> writes_received{0};
std::atomic<std::uint64_t> writes_issued{0};

sqlite3_vfs* base_vfs = nullptr;  // the default VFS, set once at registration

// A WAL file opened through this VFS: our header, then the base VFS's own file object.
struct HeldFile {
  sqlite3_file file;  // first: SQLite sees a HeldFile as a sqlite3_file
  sqlite3_file* base = nullptr;
  std::vector<char> held;
  sqlite3_int64 held_at = 0;  // file offset of held[0]
};

constexpr std::size_t kBaseOffset = (sizeof(HeldFile) + 7) & ~std::size_t{7};

HeldFile& held_of(sqlite3_file* file) {
  return *reinterpret_cast<HeldFile*>(file);
}

// Hands what is held to the base VFS in as few writes as it takes (one for a commit of up to
// 30 pages). What is held is let go even when a write fails: the failure is the caller's answer
// (SQLite then abandons the commit, whose frames it writes again, from the same offsets).
int write_held(HeldFile& f) {
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < f.held.size() && rc == SQLITE_OK;) {
    const std::size_t part = std::min(f.held.size() - done, kMaxWrite);
    rc = f.base->pMethods->xWrite(f.base, f.held.data() + done, static_cast<int>(part),
                                  f.held_at + static_cast<sqlite3_int64>(done));
    writes_issued.fetch_add(1, std::memory_order_relaxed);
    done += part;
  }
  f.held.clear();
  return rc;
}

int held_close(sqlite3_file* file) {
  HeldFile& f = held_of(file);
  const int written = write_held(f);
  const int closed = f.base->pMethods->xClose(f.base);
  f.~HeldFile();
  return written != SQLITE_OK ? written : closed;
}

int held_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  HeldFile& f = held_of(file);
  if (const int rc = write_held(f); rc != SQLITE_OK) {
    return rc;
  }
  return f.base->pMethods->xRead(f.base, out, amount, offset);
}

int held_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  HeldFile& f = held_of(file);
  writes_received.fetch_add(1, std::memory_order_relaxed);
  const bool follows =
      !f.held.empty() && offset == f.held_at + static_cast<sqlite3_int64>(f.held.size());
  if (!f.held.empty() && !follows) {
    // SQLite rewrites a frame of the same transaction in place: what is held goes first, so
    // that the later write lands on top of it.
    if (const int rc = write_held(f); rc != SQLITE_OK) {
      return rc;
    }
  }
  if (f.held.empty()) {
    f.held_at = offset;
  }
  try {
    const auto* bytes = static_cast<const char*>(data);
    f.held.insert(f.held.end(), bytes, bytes + amount);
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  return f.held.size() >= kMaxHeldBytes ? write_held(f) : SQLITE_OK;
}

int held_truncate(sqlite3_file* file, sqlite3_int64 size) {
  HeldFile& f = held_of(file);
  if (const int rc = write_held(f); rc != SQLITE_OK) {
    return rc;
  }
  return f.base->pMethods->xTruncate(f.base, size);
}

int held_sync(sqlite3_file* file, int flags) {
  HeldFile& f = held_of(file);
  if (const int rc = write_held(f); rc != SQLITE_OK) {
    return rc;
  }
  return f.base->pMethods->xSync(f.base, flags);
}

int held_file_size(sqlite3_file* file, sqlite3_int64* size) {
  HeldFile& f = held_of(file);
  if (const int rc = write_held(f); rc != SQLITE_OK) {
    return rc;
  }
  return f.base->pMethods->xFileSize(f.base, size);
}

int held_lock(sqlite3_file* file, int level) {
  sqlite3_file* base = held_of(file).base;
  return base->pMethods->xLock(base, level);
}

int held_unlock(sqlite3_file* file, int level) {
  sqlite3_file* base = held_of(file).base;
  return base->pMethods->xUnlock(base, level);
}

int held_check_reserved_lock(sqlite3_file* file, int* out) {
  sqlite3_file* base = held_of(file).base;
  return base->pMethods->xCheckReservedLock(base, out);
}

int held_file_control(sqlite3_file* file, int op, void* arg) {
  HeldFile& f = held_of(file);
  // A size hint or a chunk size may grow the file: the writes held come before it.
  if (const int rc = write_held(f); rc != SQLITE_OK) {
    return rc;
  }
  return f.base->pMethods->xFileControl(f.base, op, arg);
}

int held_sector_size(sqlite3_file* file) {
  sqlite3_file* base = held_of(file).base;
  return base->pMethods->xSectorSize(base);
}

int held_device_characteristics(sqlite3_file* file) {
  sqlite3_file* base = held_of(file).base;
  return base->pMethods->xDeviceCharacteristics(base);
}

// Version 1: SQLite calls the shared-memory and memory-map methods on the database file only,
// never on a WAL.
const sqlite3_io_methods held_methods = {
    1,
    held_close,
    held_read,
    held_write,
    held_truncate,
    held_sync,
    held_file_size,
    held_lock,
    held_unlock,
    held_check_reserved_lock,
    held_file_control,
    held_sector_size,
    held_device_characteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

// Every file but a writable WAL is the base VFS's own, opened in the space SQLite gave us.
int held_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0 || (flags & SQLITE_OPEN_READWRITE) == 0) {
    return base_vfs->xOpen(base_vfs, name, file, flags, out_flags);
  }
  auto* f = new (file) HeldFile;
  f->file.pMethods = nullptr;  // until the base file is open: SQLite then will not close it
  f->base = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kBaseOffset);
  f->base->pMethods = nullptr;
  const int rc = base_vfs->xOpen(base_vfs, name, f->base, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->base->pMethods != nullptr) {
      f->base->pMethods->xClose(f->base);
    }
    f->~HeldFile();
    return rc;
  }
  f->file.pMethods = &held_methods;
  return SQLITE_OK;
}

// The rest is the base VFS's, called with the base VFS.
int held_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return base_vfs->xDelete(base_vfs, name, sync_dir);
}
int held_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return base_vfs->xAccess(base_vfs, name, flags, out);
}
int held_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return base_vfs->xFullPathname(base_vfs, name, size, out);
}
void* held_dl_open(sqlite3_vfs*, const char* name) {
  return base_vfs->xDlOpen(base_vfs, name);
}
void held_dl_error(sqlite3_vfs*, int size, char* out) {
  base_vfs->xDlError(base_vfs, size, out);
}
void (*held_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))() {
  return base_vfs->xDlSym(base_vfs, handle, symbol);
}
void held_dl_close(sqlite3_vfs*, void* handle) {
  base_vfs->xDlClose(base_vfs, handle);
}
int held_randomness(sqlite3_vfs*, int size, char* out) {
  return base_vfs->xRandomness(base_vfs, size, out);
}
int held_sleep(sqlite3_vfs*, int microseconds) {
  return base_vfs->xSleep(base_vfs, microseconds);
}
int held_current_time(sqlite3_vfs*, double* out) {
  return base_vfs->xCurrentTime(base_vfs, out);
}
int held_get_last_error(sqlite3_vfs*, int size, char* out) {
  return base_vfs->xGetLastError(base_vfs, size, out);
}
int held_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

sqlite3_vfs held_vfs{};

}  // namespace

const char* wal_write_buffer_vfs() {
  static const char* const name = [] {
    base_vfs = sqlite3_vfs_find(nullptr);
    if (base_vfs == nullptr || base_vfs->iVersion < 2) {
      throw std::runtime_error("SQLite has no default VFS of version 2 or later");
    }
    held_vfs.iVersion = 2;
    held_vfs.szOsFile = static_cast<int>(kBaseOffset) + base_vfs->szOsFile;
    held_vfs.mxPathname = base_vfs->mxPathname;
    held_vfs.zName = "dondoc-wal-write-buffer";
    held_vfs.xOpen = held_open;
    held_vfs.xDelete = held_delete;
    held_vfs.xAccess = held_access;
    held_vfs.xFullPathname = held_full_pathname;
    held_vfs.xDlOpen = held_dl_open;
    held_vfs.xDlError = held_dl_error;
    held_vfs.xDlSym = held_dl_sym;
    held_vfs.xDlClose = held_dl_close;
    held_vfs.xRandomness = held_randomness;
    held_vfs.xSleep = held_sleep;
    held_vfs.xCurrentTime = held_current_time;
    held_vfs.xGetLastError = held_get_last_error;
    held_vfs.xCurrentTimeInt64 = held_current_time_int64;
    if (sqlite3_vfs_register(&held_vfs, 0) != SQLITE_OK) {
      throw std::runtime_error("cannot register SQLite VFS dondoc-wal-write-buffer");
    }
    return held_vfs.zName;
  }();
  return name;
}

WalWriteCounts wal_write_counts() {
  return {writes_received.load(std::memory_order_relaxed),
          writes_issued.load(std::memory_order_relaxed)};
}

}  // namespace dondoc::storage::sqlite
