// What a run asks of the sandbox, from its options: the export files it may
// write, the TCP ports it may connect to, strict mode; and the three
// --sandbox options on the command line.
#include "app/sandbox_setup.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>

#include "app/cli.hpp"
#include "app/sandbox_check.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::app {
namespace {

using Ports = std::vector<std::uint16_t>;

Options parsed(std::initializer_list<const char*> args) {
    const core::Result<Options> r = parse_args(std::vector<std::string>(args.begin(), args.end()));
    EXPECT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    return (r ? *r : Options{});
}

TEST(SandboxCli, ParsesTheThreeOptions) {
    const Options plain = parsed({});
    EXPECT_FALSE(plain.no_sandbox);
    EXPECT_FALSE(plain.sandbox_strict);
    EXPECT_FALSE(plain.sandbox_check);
    EXPECT_TRUE(parsed({"--no-sandbox"}).no_sandbox);
    EXPECT_TRUE(parsed({"--sandbox-strict"}).sandbox_strict);
    const Options check = parsed({"-r", "x.pcap", "--sandbox-check", "--sandbox-strict"});
    EXPECT_TRUE(check.sandbox_check);
    EXPECT_TRUE(check.sandbox_strict);
    // --sandbox-check with --no-sandbox is the control run: every probe allowed.
    EXPECT_TRUE(parsed({"--sandbox-check", "--no-sandbox"}).no_sandbox);
}

TEST(SandboxCli, StrictAndNoSandboxContradict) {
    const core::Result<Options> r = parse_args({"--no-sandbox", "--sandbox-strict"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("--no-sandbox"), std::string::npos) << sockeye::testing::error_message(r);
}

TEST(SandboxCli, HelpListsTheOptions) {
    const std::string help = help_text();
    for (const char* option : {"--no-sandbox", "--sandbox-strict", "--sandbox-check"})
        EXPECT_NE(help.find(option), std::string::npos) << option;
}

TEST(SandboxSetup, DnsServerPorts) {
    EXPECT_TRUE(dns_server_tcp_ports("").empty());
    EXPECT_EQ(dns_server_tcp_ports("192.0.2.1"), Ports{53});
    EXPECT_EQ(dns_server_tcp_ports("127.0.0.1:5353"), Ports{5353});
    EXPECT_EQ(dns_server_tcp_ports("[::1]:5300,192.0.2.1,2001:db8::1"), (Ports{5300, 53}));
    EXPECT_EQ(dns_server_tcp_ports("[::1]"), Ports{53});
    // Duplicates once; a garbled port falls back to DNS's own.
    EXPECT_EQ(dns_server_tcp_ports("10.0.0.1:5353,10.0.0.2:5353,10.0.0.3:x"), (Ports{5353, 53}));
}

TEST(SandboxSetup, RequestFollowsTheRun) {
    Options o = parsed({"--sandbox-strict", "--json-log", "e.jsonl", "--dns-server",
                        "127.0.0.1:5353", "--ipfix", "tcp://127.0.0.1:4739"});
    RunNeeds needs;
    needs.attribution = true;
    needs.reverse_dns = true;
    needs.config_path = "/etc/sockeye.toml";
    needs.exports.write_paths = {"e.jsonl"};
    needs.exports.tcp_connect_ports = {4739};
    const sandbox::SandboxRequest r = sandbox_request_for(o, needs);
    EXPECT_TRUE(r.attribution);
    EXPECT_TRUE(r.reverse_dns);
    EXPECT_TRUE(r.strict);
    EXPECT_EQ(r.config_path, "/etc/sockeye.toml");
    EXPECT_EQ(r.write_paths, std::vector<std::string>{"e.jsonl"});
    EXPECT_EQ(r.tcp_connect_ports, (Ports{5353, 4739}));
    EXPECT_TRUE(r.tcp_bind_ports.empty());

    // A file replay: nothing attributed or resolved, so no DNS port.
    needs = RunNeeds{};
    const sandbox::SandboxRequest file = sandbox_request_for(parsed({"-r", "x.pcap"}), needs);
    EXPECT_FALSE(file.attribution);
    EXPECT_FALSE(file.reverse_dns);
    EXPECT_FALSE(file.strict);
    EXPECT_TRUE(file.tcp_connect_ports.empty());
    EXPECT_TRUE(file.write_paths.empty());
}

TEST(SandboxSetup, StatusForTheSidePanel) {
    const snapshot::SandboxStatus off = sandbox_status(nullptr);
    EXPECT_EQ(off.summary, "off (--no-sandbox)");
    EXPECT_TRUE(off.enforced.empty());

    sandbox::SandboxReport report;
    report.layers = {{"capabilities", "capabilities", true},
                     {"root", "uid 1000", true},
                     {"no_new_privs", "no_new_privs", true},
                     {"landlock", "landlock ABI 3 (files only)", false},
                     {"seccomp", "seccomp", true}};
    report.enforced = {"no_new_privs"};
    report.not_enforced = {"landlock network rules: need ABI 4 (kernel 6.7+)"};
    const snapshot::SandboxStatus s = sandbox_status(&report);
    EXPECT_EQ(s.summary, "4/5 layers (capabilities, uid 1000, no_new_privs, seccomp)");
    EXPECT_EQ(s.not_enforced, report.not_enforced);
    EXPECT_EQ(s.enforced, report.enforced);
}

// --no-sandbox still starts the attribution thread, and reports nothing.
TEST(SandboxSetup, NoSandboxOnlyStartsTheUnconfinedThreads) {
    Options o;
    o.no_sandbox = true;
    int started = 0;
    const SandboxOutcome out = enter_sandbox(o, sandbox::SandboxRequest{}, [&] { ++started; }, true);
    EXPECT_EQ(started, 1);
    EXPECT_FALSE(out.error);
    EXPECT_TRUE(out.report.layers.empty());
    EXPECT_EQ(out.status.summary, "off (--no-sandbox)");
}

TEST(SandboxCheck, ProbeLines) {
    EXPECT_EQ(probe_line("read /etc/shadow", 0), "sandbox-check: read /etc/shadow: allowed\n");
    const std::string blocked = probe_line("exec /bin/true", EPERM);
    EXPECT_EQ(blocked.rfind("sandbox-check: exec /bin/true: blocked (EPERM: ", 0), 0u) << blocked;
    EXPECT_EQ(blocked.back(), '\n');
}

}  // namespace
}  // namespace sockeye::app
