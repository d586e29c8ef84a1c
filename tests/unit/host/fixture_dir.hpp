// A temporary directory tree for tests (fake /proc, /sys, /etc/passwd),
// removed when the fixture goes out of scope.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace sockeye::host::test {

class FixtureDir {
public:
    FixtureDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "sockeye-host-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr) root_ = pattern;
    }
    ~FixtureDir() {
        std::error_code ec;
        if (!root_.empty()) std::filesystem::remove_all(root_, ec);
    }
    FixtureDir(const FixtureDir&) = delete;
    FixtureDir& operator=(const FixtureDir&) = delete;

    [[nodiscard]] const std::string& root() const { return root_; }
    [[nodiscard]] std::string path(std::string_view rel) const { return root_ + "/" + std::string(rel); }

    // Writes `content` (binary-safe) to root/rel, creating parent dirs.
    void write(std::string_view rel, std::string_view content) const {
        const std::filesystem::path p = path(rel);
        std::filesystem::create_directories(p.parent_path());
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
    }
    void symlink(std::string_view rel, std::string_view target) const {
        const std::filesystem::path p = path(rel);
        std::filesystem::create_directories(p.parent_path());
        std::error_code ec;
        std::filesystem::remove(p, ec);
        std::filesystem::create_symlink(std::string(target), p);
    }
    void mkdir(std::string_view rel) const { std::filesystem::create_directories(path(rel)); }
    void remove(std::string_view rel) const {
        std::error_code ec;
        std::filesystem::remove_all(path(rel), ec);
    }

private:
    std::string root_;
};

// A /proc/PID/stat line with the fields process attribution reads.
inline std::string stat_line(int pid, std::string_view comm, int ppid, unsigned long long start,
                             unsigned long long flags = 0x400100) {
    std::string s = std::to_string(pid) + " (" + std::string(comm) + ") S " + std::to_string(ppid);
    // pgrp session tty_nr tpgid, flags, minflt .. itrealvalue (12 fields),
    // then starttime, then a few more.
    s += " 0 0 0 0 " + std::to_string(flags);
    for (int i = 0; i < 12; ++i) s += " 0";
    s += " " + std::to_string(start) + " 0 0\n";
    return s;
}

}  // namespace sockeye::host::test
