// A scratch directory under /tmp, removed (recursively) at scope exit.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

namespace sockeye::sandbox::testing {

class TempDir {
public:
    TempDir() {
        char name[] = "/tmp/sockeye_sandbox_XXXXXX";
        if (::mkdtemp(name) != nullptr) path_ = name;
    }
    ~TempDir() {
        std::error_code ec;
        if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }
    // A subdirectory anyone may write to, so only the sandbox can refuse.
    std::string make_open_dir(const std::string& name) const {
        const std::string p = path_ + "/" + name;
        ::mkdir(p.c_str(), 0777);
        ::chmod(p.c_str(), 0777);
        return p;
    }

private:
    std::string path_;
};

}  // namespace sockeye::sandbox::testing
