// The export table: every option opens its export, in the table's order,
// and the set says what the sandbox must leave open for them.
#include "app/export_table.hpp"
#include "unit/support/empty_source.hpp"
#include "unit/support/result_value.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace sockeye::app {
namespace {

using test::EmptySource;

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "sockeye-table-XXXXXX");
        path_ = ::mkdtemp(pattern.data());
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

TEST(ExportTable, NothingAskedNothingOpened) {
    Options options;
    EmptySource source;
    auto set = sockeye::testing::value_or_fail(open_exports(options, source, true, nullptr));
    ASSERT_TRUE(set);
    EXPECT_TRUE(set->empty());
    EXPECT_FALSE(set->wants_frames());
    EXPECT_FALSE(set->wants_snapshots());
    EXPECT_TRUE(set->access().write_paths.empty());
}

TEST(ExportTable, AccessListsEveryFileButStdoutAndTheTcpCollector) {
    TempDir dir;
    Options options;
    options.pcapng_export = dir.file("a.pcapng");
    options.pcap_export = dir.file("b.pcap");
    options.json_log = "-";
    options.ipfix = "tcp://127.0.0.1:4739";  // nothing listens: the sender retries later
    EmptySource source;
    auto set = sockeye::testing::value_or_fail(open_exports(options, source, true, nullptr));
    ASSERT_TRUE(set);
    EXPECT_TRUE(set->wants_frames());
    EXPECT_TRUE(set->wants_snapshots());
    const auto access = set->access();
    EXPECT_EQ(access.write_paths,
              (std::vector<std::string>{dir.file("a.pcapng"), dir.file("b.pcap"),
                                        dir.file("b.pcap.connections.jsonl")}));
    EXPECT_EQ(access.tcp_connect_ports, std::vector<std::uint16_t>{4739});
    // One counter per file, in the table's order.
    std::vector<std::string> names;
    for (const auto& c : set->counters()) names.push_back(c.name);
    ASSERT_EQ(names.size(), 5u);
    EXPECT_EQ(names[0], "pcapng");
    EXPECT_EQ(names[4], "ipfix");
}

TEST(ExportTable, UdpCollectorNeedsNoRule) {
    Options options;
    options.ipfix = "udp://127.0.0.1:4739";
    EmptySource source;
    auto set = sockeye::testing::value_or_fail(open_exports(options, source, true, nullptr));
    ASSERT_TRUE(set);
    EXPECT_TRUE(set->access().tcp_connect_ports.empty());
}

TEST(ExportTable, AFileThatCannotBeCreatedFailsOpen) {
    Options options;
    options.json_log = "/nonexistent-dir/events.jsonl";
    EmptySource source;
    const core::Error error = sockeye::testing::error_of(open_exports(options, source, true, nullptr));
    EXPECT_EQ(error.code, core::ErrorCode::not_found);
    EXPECT_NE(error.message.find("/nonexistent-dir/events.jsonl"), std::string::npos) << error.message;
}

}  // namespace
}  // namespace sockeye::app
