#include "sandbox/capabilities.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit/sandbox/child.hpp"

namespace sockeye::sandbox {
namespace {

using testing::Checks;
using testing::run_in_child;

TEST(Capabilities, NamesMasks) {
    EXPECT_EQ(capability_names(0), "none");
    EXPECT_EQ(capability_names(cap_bit(cap::kNetAdmin) | cap_bit(cap::kSysPtrace)),
              "cap_net_admin,cap_sys_ptrace");
    EXPECT_EQ(capability_names(cap_bit(cap::kDacReadSearch)), "cap_dac_read_search");
    EXPECT_EQ(capability_names(cap_bit(50)), "cap_50");
}

TEST(Capabilities, ReadsTheProcessSets) {
    const auto sets = read_capabilities();
    ASSERT_TRUE(sets.has_value());
    EXPECT_EQ(sets->effective & ~sets->permitted, 0u);  // effective is a subset
    EXPECT_GE(last_capability(), cap::kSysNice);
}

TEST(Capabilities, RestrictKeepsOnlyTheRequested) {
    const auto sets = read_capabilities();
    ASSERT_TRUE(sets.has_value());
    if ((sets->effective & cap_bit(cap::kNetRaw)) == 0 ||
        (sets->effective & cap_bit(cap::kSetpcap)) == 0)
        GTEST_SKIP() << "needs cap_net_raw and cap_setpcap (run as root)";
    const auto r = run_in_child([] {
        Checks c;
        // Before: a new packet socket works.
        const int before = ::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
        c.expect(before >= 0, "packet socket refused before the drop");
        if (before >= 0) ::close(before);

        const std::uint64_t keep = cap_bit(cap::kNetAdmin) | cap_bit(cap::kSysPtrace);
        bool bounding = false;
        const auto restricted = restrict_capabilities(keep, bounding);
        c.expect(restricted.ok(), "restrict_capabilities: " + (restricted ? "" : restricted.error().message));
        c.expect(bounding, "bounding set not dropped despite cap_setpcap");
        const auto after = read_capabilities();
        c.expect(after && after->permitted == keep && after->effective == keep &&
                     after->inheritable == 0,
                 "sets are " + (after ? capability_names(after->permitted) : "unreadable"));
        c.expect(!in_bounding_set(cap::kNetRaw), "cap_net_raw still in the bounding set");
        c.expect(!in_bounding_set(cap::kSysAdmin), "cap_sys_admin still in the bounding set");
        c.expect(in_bounding_set(cap::kNetAdmin), "cap_net_admin left the bounding set");
        // After: cap_net_raw is gone, so no new packet socket.
        const int s = ::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
        c.expect(s < 0 && errno == EPERM, "packet socket still possible without cap_net_raw");
        // Nothing can be raised again.
        CapSets more = *after;
        more.permitted |= cap_bit(cap::kNetRaw);
        more.effective |= cap_bit(cap::kNetRaw);
        c.expect(!write_capabilities(more), "cap_net_raw could be raised again");
        return c.text();
    });
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.failures, "");
}

}  // namespace
}  // namespace sockeye::sandbox
