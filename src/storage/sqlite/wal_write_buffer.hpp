// A SQLite VFS that gathers the writer's WAL writes into one write per commit.
//
// SQLite appends a commit to the WAL as two write() calls per page (the 24-byte frame header,
// then the page), then syncs: 25-30 system calls for one created task, each paying the file
// system's per-call costs (inode lock, time stamps, dirty-page accounting) before the single
// fdatasync that makes them durable. This VFS, layered over the default one, keeps consecutive
// writes to a WAL file in memory and hands them to the default VFS as one write just before
// anything that must see them: the sync, a read, a size or truncation, a file control, the close.
//
// Only for a connection with synchronous=FULL: there every commit syncs the WAL before SQLite
// publishes the commit to other connections (in the shared-memory index), so no reader can be
// shown frames still held here. With synchronous=NORMAL a commit is published without a sync,
// and this VFS must not be used.
#pragma once

#include <cstdint>

namespace dondoc::storage::sqlite {

// Registers the VFS on first use (not as the default) and returns its name, for sqlite3_open_v2.
const char* wal_write_buffer_vfs();

// Totals since the process started, over every WAL opened through the VFS: how many writes SQLite
// made, and how many reached the file system. Tests read them to see the gathering happen.
struct WalWriteCounts {
  std::uint64_t received = 0;
  std::uint64_t issued = 0;
};
WalWriteCounts wal_write_counts();

}  // namespace dondoc::storage::sqlite
