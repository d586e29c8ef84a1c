// The DPI registry as a whole: every probe over every protocol's fixtures
// (each claims only its own), over random bytes and over every prefix; and
// the recipe for adding a protocol, checked per entry: a fixture here, a
// fuzz target that names it, a README row (docs/ARCHITECTURE.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "dpi/registry.hpp"
#include "unit/dpi/probe_runner.hpp"
#include "unit/dpi/protocol_fixtures.hpp"
#include "unit/support/read_file.hpp"

namespace sockeye::dpi {
namespace {

ProbeContext context_for(const test::ProtocolFixture& fx) {
    ProbeContext c;
    c.transport = fx.transport;
    c.from_initiator = fx.from_initiator;
    c.initiator_port = 40000;
    c.responder_port = fx.server_port != 0 ? fx.server_port : 40001;
    return c;
}

bool info_empty(const snapshot::AppInfo& info) {
    return info.protocol.empty() && info.domain.empty() && info.fields.empty();
}

TEST(DpiRegistry, EveryFixtureMatchesOnlyItsOwnProbe) {
    for (const auto& fx : test::protocol_fixtures()) {
        const ProbeContext c = context_for(fx);
        for (const ProbeEntry& e : probe_registry()) {
            if (e.transport != fx.transport) continue;
            snapshot::AppInfo info;
            const Verdict v = test::run_probe(e.fn, c, fx.bytes, info);
            if (e.name == fx.protocol) {
                // Server-first text protocols may wait for the other side
                // off their port, and a stateful entry's probe only says
                // "maybe" (its parser decides); none may turn it away.
                EXPECT_NE(v, Verdict::no_match)
                    << fx.protocol << " fixture from_initiator=" << fx.from_initiator;
                continue;
            }
            EXPECT_FALSE(is_match(v)) << e.name << " claimed a " << fx.protocol << " fixture";
            if (!is_match(v)) {
                EXPECT_TRUE(info_empty(info)) << e.name << " on " << fx.protocol;
            }
        }
    }
}

TEST(DpiRegistry, StatefulEntriesClassifyTheirFixtures) {
    for (const auto& fx : test::protocol_fixtures()) {
        const ProbeEntry* e = find_probe(fx.protocol, fx.transport);
        ASSERT_NE(e, nullptr) << fx.protocol;
        if (!e->stateful()) continue;
        EXPECT_GT(e->max_packets, 0u) << e->name;
        auto parser = e->make_parser();
        snapshot::AppInfo info;
        EXPECT_TRUE(is_match(parser->parse(context_for(fx), fx.bytes, info))) << e->name;
        EXPECT_TRUE(parser->info_changed()) << e->name;
        EXPECT_TRUE(info.protocol.empty()) << "the entry names the protocol, not its parser";
    }
}

TEST(DpiRegistry, RandomBytesMatchNothing) {
    std::mt19937 rng(20240611);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 600);
    int matches = 0;
    for (int round = 0; round < 20000 && matches <= 5; ++round) {
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(length(rng)));
        for (auto& b : bytes) b = static_cast<std::uint8_t>(byte(rng));
        test::ProtocolFixture fx{"", round % 2 == 0 ? Transport::tcp : Transport::udp,
                                 (round % 4) < 2, bytes};
        for (const ProbeEntry& e : probe_registry()) {
            if (e.transport != fx.transport) continue;
            snapshot::AppInfo info;
            if (is_match(test::run_probe(e.fn, context_for(fx), bytes, info))) {
                ++matches;
                ADD_FAILURE() << e.name << " matched random bytes of length " << bytes.size();
            }
        }
    }
}

TEST(DpiRegistry, TruncationsNeverReadPastTheEndNorTouchInfoOnNoMatch) {
    // Every prefix of every fixture: the probes must stay in bounds (the
    // sanitizer build checks) and leave `info` alone when they say no.
    for (const auto& fx : test::protocol_fixtures()) {
        const ProbeContext c = context_for(fx);
        for (std::size_t n = 0; n <= fx.bytes.size(); ++n) {
            const std::vector<std::uint8_t> prefix(
                fx.bytes.begin(), fx.bytes.begin() + static_cast<std::ptrdiff_t>(n));
            for (const ProbeEntry& e : probe_registry()) {
                if (e.transport != fx.transport) continue;
                snapshot::AppInfo info;
                if (test::run_probe(e.fn, c, prefix, info) == Verdict::no_match) {
                    EXPECT_TRUE(info_empty(info)) << e.name << " on a " << n << "-byte prefix";
                }
            }
        }
    }
}

// ---- the recipe: what every entry comes with ---------------------------

std::filesystem::path source_dir() { return SOCKEYE_SOURCE_DIR; }

// Names listed on the "// DPI registry entries:" lines of fuzz/*_fuzz.cpp,
// with the target that lists them.
std::vector<std::pair<std::string, std::string>> fuzzed_entries() {
    std::vector<std::pair<std::string, std::string>> out;
    const std::string marker = "// DPI registry entries:";
    for (const auto& file : std::filesystem::directory_iterator(source_dir() / "fuzz")) {
        const std::string name = file.path().filename().string();
        if (!name.ends_with("_fuzz.cpp")) continue;
        std::istringstream text(sockeye::test::read_file(file.path().string()));
        for (std::string line; std::getline(text, line);) {
            if (!line.starts_with(marker)) continue;
            std::istringstream names(line.substr(marker.size()));
            for (std::string n; std::getline(names, n, ',');) {
                n.erase(0, n.find_first_not_of(' '));
                n.erase(n.find_last_not_of(' ') + 1);
                out.emplace_back(n, name.substr(0, name.size() - std::string("_fuzz.cpp").size()));
            }
        }
    }
    return out;
}

TEST(DpiRegistry, EveryEntryHasAFixture) {
    const auto fixtures = test::protocol_fixtures();
    for (const ProbeEntry& e : probe_registry()) {
        const bool found = std::any_of(fixtures.begin(), fixtures.end(), [&](const auto& fx) {
            return fx.protocol == e.name && fx.transport == e.transport;
        });
        EXPECT_TRUE(found) << e.name << (e.transport == Transport::tcp ? "/tcp" : "/udp")
                           << " has no fixture in tests/unit/dpi/protocol_fixtures.hpp";
    }
}

TEST(DpiRegistry, EveryEntryHasAFuzzTargetWithARegressionCorpus) {
    const auto fuzzed = fuzzed_entries();
    ASSERT_FALSE(fuzzed.empty()) << "no fuzz target lists its DPI registry entries";
    for (const ProbeEntry& e : probe_registry()) {
        const auto it = std::find_if(fuzzed.begin(), fuzzed.end(),
                                     [&](const auto& f) { return f.first == e.name; });
        if (it == fuzzed.end()) {
            ADD_FAILURE() << e.name << " is named by no fuzz/*_fuzz.cpp (\"// DPI registry entries:\")";
            continue;
        }
        const auto corpus = source_dir() / "fuzz" / "regressions" / it->second;
        EXPECT_TRUE(std::filesystem::is_directory(corpus) && !std::filesystem::is_empty(corpus))
            << e.name << ": fuzz target " << it->second << " has no regression corpus";
    }
    // And no target claims an entry that does not exist.
    for (const auto& [name, target] : fuzzed) {
        const bool exists = std::any_of(probe_registry().begin(), probe_registry().end(),
                                        [&](const ProbeEntry& e) { return e.name == name; });
        EXPECT_TRUE(exists) << target << " names " << name << ", which is no registry entry";
    }
}

TEST(DpiRegistry, EveryEntryHasAReadmeRow) {
    // The first cell of each row of README's DPI table, split at commas.
    std::set<std::string> documented;
    std::istringstream readme(sockeye::test::read_file((source_dir() / "README.md").string()));
    bool in_table = false;
    for (std::string line; std::getline(readme, line);) {
        if (line.starts_with("| protocol | fields in `dpi` |")) {
            in_table = true;
            continue;
        }
        if (!in_table) continue;
        if (!line.starts_with("|")) break;
        std::istringstream cell(line.substr(1, line.find('|', 1) - 1));
        for (std::string n; std::getline(cell, n, ',');) {
            n.erase(0, n.find_first_not_of(' '));
            n.erase(n.find_last_not_of(' ') + 1);
            documented.insert(n);
        }
    }
    ASSERT_FALSE(documented.empty()) << "README has no DPI table";
    for (const ProbeEntry& e : probe_registry())
        EXPECT_TRUE(documented.count(std::string(e.name)) != 0) << e.name << " has no README row";
}

}  // namespace
}  // namespace sockeye::dpi
