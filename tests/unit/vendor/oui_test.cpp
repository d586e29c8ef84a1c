// The compiled-in vendor table against the registry file it was built from
// (Debian's ieee-data): every MA-L prefix resolves to a name made of words of
// its organisation's name, and well-known prefixes give the names people use.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "vendor/oui.hpp"

namespace sockeye::vendor {
namespace {

MacAddress mac_of(std::uint32_t prefix, std::uint8_t last = 0x42) {
    return {static_cast<std::uint8_t>(prefix >> 16), static_cast<std::uint8_t>(prefix >> 8),
            static_cast<std::uint8_t>(prefix), 0x12, 0x34, last};
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

struct Assignment {
    std::uint32_t prefix;
    std::string organisation;
};

// The fields of one CSV line: quoted fields may hold commas and "" for a quote.
std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            out.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            out.emplace_back();
        } else if (c != '\r') {
            out.back() += c;
        }
    }
    return out;
}

// The MA-L rows of oui.csv: "MA-L,00D0EF,IGT,9295 PROTOTYPE DRIVE ...".
std::vector<Assignment> registry() {
    std::ifstream in("/usr/share/ieee-data/oui.csv");
    std::vector<Assignment> out;
    std::string line;
    while (std::getline(in, line)) {
        const auto fields = csv_fields(line);
        if (fields.size() < 3 || fields[0] != "MA-L" || fields[1].size() != 6) continue;
        out.push_back({static_cast<std::uint32_t>(std::stoul(fields[1], nullptr, 16)), fields[2]});
    }
    return out;
}

TEST(Oui, EveryRegisteredPrefixResolvesToWordsOfItsOrganisation) {
    const auto rows = registry();
    ASSERT_GT(rows.size(), 30000u) << "is Debian's ieee-data installed?";
    std::set<std::uint32_t> prefixes;
    std::size_t checked = 0;
    const auto alnum = [](const std::string& text) {
        std::string out;
        for (char c : lower(text))
            if (std::isalnum(static_cast<unsigned char>(c))) out += c;
        return out;
    };
    std::map<std::uint32_t, std::string> organisations;  // a prefix listed twice: both names
    for (const auto& row : rows) organisations[row.prefix] += " " + row.organisation;
    for (const auto& row : rows) {
        prefixes.insert(row.prefix);
        // A few registered prefixes have the group or the local bit set:
        // such an address says that first (see UnregisteredLocalAndGroupAddresses).
        if ((row.prefix >> 16 & 0x03) != 0) continue;
        const std::string name = vendor_of(mac_of(row.prefix));
        ASSERT_FALSE(name.empty()) << std::hex << row.prefix << " " << row.organisation;
        // Each word of the short name is in the organisation's name (the
        // generator only drops words and cuts the name short).
        std::istringstream words(name);
        std::string word;
        const std::string organisation = alnum(organisations[row.prefix]);
        while (words >> word) {
            const std::string plain = alnum(word);
            if (plain.empty()) continue;
            EXPECT_NE(organisation.find(plain), std::string::npos)
                << std::hex << row.prefix << ": '" << name << "' from '" << row.organisation << "'";
        }
        ++checked;
    }
    EXPECT_EQ(registered_prefixes(), prefixes.size());
    EXPECT_GT(checked, rows.size() - 100);
}

TEST(Oui, WellKnownVendorsByTheirUsualNames) {
    EXPECT_EQ(vendor_of(mac_of(0xB827EB)), "Raspberry Pi");
    EXPECT_EQ(vendor_of(mac_of(0x00000C)), "Cisco");
    EXPECT_EQ(vendor_of(mac_of(0x005056)), "VMware");
    EXPECT_EQ(vendor_of(mac_of(0x001B21)), "Intel");
    EXPECT_EQ(vendor_of(mac_of(0x3C0754)), "Apple");
}

TEST(Oui, UnregisteredLocalAndGroupAddresses) {
    // 02:42:... is Docker's, set by software; 01:00:5e:... IPv4 multicast.
    EXPECT_EQ(vendor_of({0x02, 0x42, 0xac, 0x11, 0x00, 0x02}), "locally administered");
    EXPECT_EQ(vendor_of({0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb}), "multicast");
    EXPECT_EQ(vendor_of({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), "multicast");
    // Neighbours of registered prefixes that are not registered themselves.
    const auto rows = registry();
    std::set<std::uint32_t> registered;
    for (const auto& r : rows) registered.insert(r.prefix);
    std::size_t unregistered = 0;
    for (std::uint32_t p = 0; p < 0x1000000 && unregistered < 200; p += 0x4F1B) {
        if ((p >> 16 & 0x03) != 0 || registered.count(p) != 0) continue;
        EXPECT_EQ(vendor_of(mac_of(p)), "") << std::hex << p;
        ++unregistered;
    }
    EXPECT_EQ(unregistered, 200u);
}

TEST(Oui, NamesAreSortedPrintableAndDistinct) {
    std::string previous;
    for (std::size_t i = 0;; ++i) {
        const std::string name = name_at(i);
        if (name.empty()) break;
        for (char c : name) ASSERT_TRUE(c >= 0x20 && c < 0x7F) << name;
        if (i > 0) {
            EXPECT_LT(previous, name);
        }
        previous = name;
    }
}

}  // namespace
}  // namespace sockeye::vendor
