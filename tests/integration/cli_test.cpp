// The dondocd command line, run as a user would.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "daemon.hpp"
#include "temp_dir.hpp"

using dondoc::testing::run_dondocd;
using dondoc::testing::TempDir;

TEST(Cli, CheckConfigPrintsEveryProblemWithFileLineColumn) {
  TempDir dir;
  const auto path = dir.file("bad.yaml");
  std::ofstream(path) << "listen:\n  port: 99999\ndatabase:\n  durability: sometimes\nlogs: {}\n";
  std::string out;
  EXPECT_NE(run_dondocd("check-config " + path, out), 0);
  EXPECT_NE(out.find(path + ":2:9: listen.port: 99999 is out of range; allowed 0 to 65535"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(path + ":4:15: database.durability: 'sometimes' is not one of: full, normal"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(path + ":5:1: logs: unknown key"), std::string::npos) << out;
}

TEST(Cli, CheckConfigAcceptsTheShippedFile) {
  std::string out;
  EXPECT_EQ(run_dondocd("check-config " DONDOC_SOURCE_DIR "/config/dondoc.yaml", out), 0) << out;
}

TEST(Cli, ServeRefusesABadConfigWithTheSameMessages) {
  TempDir dir;
  const auto path = dir.file("bad.yaml");
  std::ofstream(path) << "http:\n  max_page_size: 0\n";
  std::string out;
  EXPECT_EQ(run_dondocd("serve --config " + path, out), 2);
  EXPECT_NE(out.find(path + ":2:18: http.max_page_size: 0 is out of range; allowed 1 to 10000"),
            std::string::npos)
      << out;
}

TEST(Cli, ServeRefusesADatabaseFromANewerDondoc) {
  TempDir dir;
  const auto db_path = dir.file("dondoc.db");
  std::string out;
  const auto cfg = dir.file("c.yaml");
  std::ofstream(cfg) << "listen: {port: 0}\ndatabase: {path: " << db_path << "}\n";
  ASSERT_EQ(run_dondocd("migrate --config " + cfg, out), 0) << out;
  EXPECT_NE(out.find("schema version 0 -> 2"), std::string::npos) << out;
  sqlite3* db = nullptr;
  sqlite3_open(db_path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_EQ(run_dondocd("serve --config " + cfg, out), 1);
  EXPECT_NE(out.find("schema version 7, newer than this dondocd supports (2)"), std::string::npos)
      << out;
}

TEST(Cli, VersionAndHelp) {
  std::string out;
  EXPECT_EQ(run_dondocd("version", out), 0);
  EXPECT_EQ(out.rfind("dondocd ", 0), 0u) << out;
  for (const char* cmd :
       {"--help", "serve --help", "check-config --help", "migrate --help", "version --help"}) {
    EXPECT_EQ(run_dondocd(cmd, out), 0) << cmd;
    EXPECT_NE(out.find("Usage"), std::string::npos) << cmd << ": " << out;
  }
  EXPECT_NE(run_dondocd("", out), 0);
  EXPECT_NE(run_dondocd("frobnicate", out), 0);
}
