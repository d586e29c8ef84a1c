// A whole file as bytes, for tests that check what an export wrote. Plain
// stdio: g++ 12 at -O3 (the release preset) warns of a null dereference
// inside <streambuf> for the istreambuf_iterator idiom.
#pragma once

#include <cstdio>
#include <string>

namespace sockeye::test {

inline std::string read_file(const std::string& path) {
    std::string out;
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
        char buf[8192];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
        std::fclose(f);
    }
    return out;
}

}  // namespace sockeye::test
