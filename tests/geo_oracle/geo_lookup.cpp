// geo-lookup FILE: for every address on stdin, one tab-separated line:
//   address, status (found / not_found / corrupt / ipv6_in_ipv4), prefix
//   length, the whole record as JSON (sockeye's decoder), then what
//   GeoDatabases makes of it: scope, country, city, ASN, organisation.
// tests/geo_oracle/mmdblookup_crosscheck.py compares it with mmdblookup.
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "geo/geo_databases.hpp"
#include "geo/mmdb_reader.hpp"

namespace {

using sockeye::geo::MmdbType;
using sockeye::geo::MmdbValue;

void json_string(std::string& out, const std::string& s) {
    out += '"';
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    out += '"';
}

void json(std::string& out, const MmdbValue& v) {
    switch (v.type) {
        case MmdbType::map:
            out += '{';
            for (std::size_t i = 0; i < v.items.size(); ++i) {
                if (i > 0) out += ',';
                json_string(out, v.keys[i]);
                out += ':';
                json(out, v.items[i]);
            }
            out += '}';
            return;
        case MmdbType::array:
            out += '[';
            for (std::size_t i = 0; i < v.items.size(); ++i) {
                if (i > 0) out += ',';
                json(out, v.items[i]);
            }
            out += ']';
            return;
        case MmdbType::utf8_string: json_string(out, v.text); return;
        case MmdbType::boolean: out += v.uint != 0 ? "true" : "false"; return;
        case MmdbType::int32: out += std::to_string(v.int32); return;
        case MmdbType::double_:
        case MmdbType::float_: {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.17g", v.number);
            out += buf;
            return;
        }
        case MmdbType::uint128:
            if (v.uint_high != 0) {
                json_string(out, "uint128:" + std::to_string(v.uint_high) + ":" + std::to_string(v.uint));
                return;
            }
            out += std::to_string(v.uint);
            return;
        case MmdbType::bytes: json_string(out, "bytes:" + std::to_string(v.text.size())); return;
        default: out += std::to_string(v.uint); return;
    }
}

const char* status_name(sockeye::geo::MmdbLookup::Status s) {
    switch (s) {
        case sockeye::geo::MmdbLookup::Status::found: return "found";
        case sockeye::geo::MmdbLookup::Status::not_found: return "not_found";
        case sockeye::geo::MmdbLookup::Status::corrupt: return "corrupt";
        case sockeye::geo::MmdbLookup::Status::ipv6_in_ipv4_database: return "ipv6_in_ipv4";
    }
    return "?";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: geo-lookup FILE.mmdb < addresses\n");
        return 2;
    }
    auto reader = sockeye::geo::MmdbReader::open_file(argv[1]);
    if (!reader) {
        std::fprintf(stderr, "%s\n", reader.error().message.c_str());
        return 1;
    }
    auto second = sockeye::geo::MmdbReader::open_file(argv[1]);
    std::vector<sockeye::geo::MmdbReader> readers;
    readers.push_back(std::move(second).value());
    auto dbs = sockeye::geo::GeoDatabases::from_readers(std::move(readers));
    const auto& db = dbs->databases().front();
    const char* kind = db.kind == sockeye::geo::Kind::city ? "city"
                       : db.kind == sockeye::geo::Kind::asn ? "asn"
                                                            : "country";
    std::printf("# layout %s kind %s\n", db.layout == sockeye::geo::Layout::flat ? "flat" : "geoip2", kind);
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        const auto address = sockeye::core::IpAddress::parse(line);
        if (address.family == sockeye::core::IpFamily::none) {
            std::fprintf(stderr, "not an address: %s\n", line.c_str());
            return 1;
        }
        const auto l = reader->lookup(address);
        std::string record = "null";
        if (l.status == sockeye::geo::MmdbLookup::Status::found) {
            auto v = reader->decode(l.offset);
            if (!v) {
                std::fprintf(stderr, "%s: %s\n", line.c_str(), v.error().message.c_str());
                return 1;
            }
            record.clear();
            json(record, *v);
        }
        const auto info = *dbs->lookup(address);
        std::printf("%s\t%s\t%u\t%s\t%s\t%s\t%s\t%" PRIu32 "\t%s\n", line.c_str(), status_name(l.status), l.prefix_len,
                    record.c_str(), std::string(sockeye::core::scope_name(info.scope)).c_str(), info.country.c_str(),
                    info.city.c_str(), info.asn, info.organisation.c_str());
    }
    return 0;
}
