// sockeye-trafficgen SCENARIO OUTFILE [--seed N] [--packets N] [--pcapng]
// Writes a deterministic capture: the same arguments always give the same bytes.
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>

#include "scenarios.hpp"

namespace {

using sockeye::trafficgen::FileFormat;

void usage() {
    std::fprintf(stderr, "usage: sockeye-trafficgen SCENARIO OUTFILE [--seed N] [--packets N] [--pcapng]\n"
                         "scenarios:\n");
    for (const auto& s : sockeye::trafficgen::all_scenarios()) {
        std::fprintf(stderr, "  %-16.*s %.*s\n", static_cast<int>(s.name.size()), s.name.data(),
                     static_cast<int>(s.description.size()), s.description.data());
    }
}

bool parse_u64(std::string_view text, std::uint64_t& out) {
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc{} && ptr == end;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        usage();
        return 2;
    }
    const std::string_view name = argv[1];
    const std::string path = argv[2];
    sockeye::trafficgen::ScenarioOptions options;
    bool force_pcapng = ends_with(path, ".pcapng");
    for (int i = 3; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--pcapng") {
            force_pcapng = true;
        } else if ((arg == "--seed" || arg == "--packets") && i + 1 < argc) {
            std::uint64_t& target = arg == "--seed" ? options.seed : options.packets;
            if (!parse_u64(argv[++i], target)) {
                std::fprintf(stderr, "sockeye-trafficgen: bad number for %s\n", argv[i - 1]);
                return 2;
            }
        } else {
            usage();
            return 2;
        }
    }
    for (const auto& s : sockeye::trafficgen::all_scenarios()) {
        if (s.name != name) {
            continue;
        }
        options.link = s.link;
        const FileFormat format = force_pcapng ? FileFormat::pcapng : s.default_format;
        sockeye::trafficgen::CaptureWriter writer(path, format, s.link);
        if (!writer.ok()) {
            std::fprintf(stderr, "sockeye-trafficgen: cannot write %s\n", path.c_str());
            return 1;
        }
        sockeye::trafficgen::Trace trace;
        s.build(trace, writer, options);
        trace.write_to(writer);
        if (!writer.close()) {
            std::fprintf(stderr, "sockeye-trafficgen: write error on %s\n", path.c_str());
            return 1;
        }
        return 0;
    }
    std::fprintf(stderr, "sockeye-trafficgen: unknown scenario '%.*s'\n", static_cast<int>(name.size()),
                 name.data());
    usage();
    return 2;
}
