// preload_ebpf(): the programs are loaded once, before the capture is
// opened, and the attributor takes them over instead of loading its own;
// capture_needs_immediate() follows from whether they loaded. The preload
// is once per process: one test uses it here, the other in a child.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "host/attributor.hpp"
#include "unit/sandbox/child.hpp"

namespace sockeye::host {
namespace {

constexpr const char* kSkip = "skip: eBPF does not load\n";

TEST(PreloadEbpf, TheAttributorAdoptsThePreloadedPrograms) {
    // A copy of the kernel's BTF, deleted once the programs are loaded: an
    // attributor that loaded its own now could not read it.
    const std::string btf = "/sys/kernel/btf/vmlinux";
    const std::string copy = "/tmp/sockeye-preload-btf-" + std::to_string(::getpid());
    std::error_code ec;
    std::filesystem::copy_file(btf, copy, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) GTEST_SKIP() << "no kernel BTF here: " << ec.message();
    const auto r = sandbox::testing::run_in_child([&copy] {
        const bool loaded = preload_ebpf(copy);
        std::filesystem::remove(copy);
        if (!loaded) return std::string(kSkip);
        std::string out;
        if (!preload_ebpf(copy)) out += "a second call changed the answer\n";
        if (capture_needs_immediate(true, true)) out += "immediate capture although eBPF loaded\n";
        AttributorOptions o;
        o.ebpf = true;
        o.btf_path = copy;
        ProcessAttributor adopter(o);
        adopter.prepare();
        if (adopter.ebpf_status().rfind("eBPF (", 0) != 0) out += "adopter: " + adopter.ebpf_status() + "\n";
        // Taken once: the next attributor loads its own (and cannot: the file is gone).
        ProcessAttributor second(o);
        second.prepare();
        if (second.ebpf_status().rfind("userspace (eBPF unavailable", 0) != 0)
            out += "second: " + second.ebpf_status() + "\n";
        return out;
    });
    std::filesystem::remove(copy, ec);
    EXPECT_TRUE(r.finished) << "exit " << r.exit_code << ", signal " << r.signal;
    if (r.failures == kSkip) GTEST_SKIP() << "eBPF does not load here (not root?)";
    EXPECT_EQ(r.failures, "");
}

TEST(PreloadEbpf, WithoutAttributionOrEbpfTheAnswerNeedsNoLoad) {
    EXPECT_FALSE(capture_needs_immediate(false, true));
    EXPECT_FALSE(capture_needs_immediate(false, false));
    EXPECT_TRUE(capture_needs_immediate(true, false));
}

TEST(PreloadEbpf, ProgramsThatDoNotLoadMeanImmediateCapture) {
    const auto r = sandbox::testing::run_in_child([] {
        std::string out;
        if (preload_ebpf("/nonexistent/btf")) out += "loaded without BTF\n";
        if (!capture_needs_immediate(true, true)) out += "no immediate capture without eBPF\n";
        AttributorOptions o;
        o.ebpf = true;
        o.btf_path = "/nonexistent/btf";
        ProcessAttributor adopter(o);
        adopter.prepare();
        if (adopter.ebpf_status().rfind("userspace (eBPF unavailable", 0) != 0)
            out += "status: " + adopter.ebpf_status() + "\n";
        return out;
    });
    EXPECT_TRUE(r.finished) << "exit " << r.exit_code << ", signal " << r.signal;
    EXPECT_EQ(r.failures, "");
}

}  // namespace
}  // namespace sockeye::host
