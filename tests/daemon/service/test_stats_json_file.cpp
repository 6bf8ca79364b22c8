// StatsJsonFile: appends whole lines, keeps what was there, and says which path it cannot open.
#include "service/stats_json_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "temp_dir.h"

namespace extrema::service {
namespace {

namespace fs = std::filesystem;
using extrema::test::read_text;

class StatsJsonFileTest : public ::testing::Test {
  protected:
    extrema::test::TempDir dir_{"extrema-stats"};
};

TEST_F(StatsJsonFileTest, AppendsLinesThatAreReadableAtOnce) {
    const fs::path path = dir_ / "stats.jsonl";
    StatsJsonFile file(path.string());
    EXPECT_EQ(file.path(), path.string());
    EXPECT_TRUE(file.append(R"({"a":1})"));
    EXPECT_EQ(read_text(path), "{\"a\":1}\n");  // no buffering: there before the file closes
    EXPECT_TRUE(file.append(R"({"a":2})"));
    EXPECT_EQ(read_text(path), "{\"a\":1}\n{\"a\":2}\n");
}

TEST_F(StatsJsonFileTest, KeepsWhatTheFileHeld) {
    const fs::path path = dir_ / "stats.jsonl";
    std::ofstream(path) << "{\"earlier\":true}\n";
    {
        StatsJsonFile file(path.string());
        EXPECT_TRUE(file.append("{}"));
    }
    StatsJsonFile reopened(path.string());
    EXPECT_TRUE(reopened.append("[]"));
    EXPECT_EQ(read_text(path), "{\"earlier\":true}\n{}\n[]\n");
}

TEST_F(StatsJsonFileTest, NamesThePathItCannotOpen) {
    const std::string path = (dir_ / "missing-dir" / "stats.jsonl").string();
    try {
        StatsJsonFile file(path);
        FAIL() << "opened " << path;
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cannot open stats file '" + path + "' for appending: No such file or directory");
    }
}

TEST_F(StatsJsonFileTest, MovesItsDescriptor) {
    const fs::path path = dir_ / "stats.jsonl";
    StatsJsonFile first(path.string());
    StatsJsonFile second(std::move(first));
    EXPECT_TRUE(second.append("1"));
    StatsJsonFile third((dir_ / "other.jsonl").string());
    third = std::move(second);
    EXPECT_TRUE(third.append("2"));
    EXPECT_EQ(read_text(path), "1\n2\n");
}

}  // namespace
}  // namespace extrema::service
