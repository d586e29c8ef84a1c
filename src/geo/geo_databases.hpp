// Country, city and network (ASN and organisation) of an address, from the
// MaxMind-format databases found in a few directories.
//
// The entry point for the rest of sockeye: open once before the sandbox
// (every file is read into memory then), ask `lookup` from one thread. A
// missing database is not an error: `notes()` says once what is missing,
// and the fields stay empty. Layouts: docs/ARCHITECTURE.md, "Written here,
// and why" (the .mmdb reader).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/ip_address.hpp"
#include "core/result.hpp"
#include "geo/mmdb_reader.hpp"
#include "snapshot/geo_info.hpp"

namespace sockeye::geo {

using GeoInfo = snapshot::GeoInfo;

// How a database lays out its records.
enum class Layout : std::uint8_t {
    geoip2,  // MaxMind GeoIP2/GeoLite2 and DB-IP: country.iso_code, city.names.en
    flat,    // ip-location-db: country_code, city
};

// What a database can answer (a city database answers the country too).
enum class Kind : std::uint8_t { country, city, asn };

struct GeoDatabase {
    MmdbReader reader;
    Layout layout = Layout::geoip2;
    Kind kind = Kind::country;
};

// The default search path, in order: $XDG_DATA_HOME/sockeye (or
// ~/.local/share/sockeye), /usr/share/GeoIP, /var/lib/GeoIP; or the
// colon-separated directories of $SOCKEYE_GEOIP_PATH when it is set.
std::vector<std::string> default_search_path();

// The .mmdb files in `dir` worth opening, sorted: a split pair
// NAME-ipv4.mmdb / NAME-ipv6.mmdb is left out when NAME.mmdb is there.
std::vector<std::string> mmdb_files_in(const std::string& dir);

// Which kind and layout a database is: the metadata's database_type first,
// then the keys of the records of a few well-known addresses.
Kind kind_of(const MmdbReader& reader);
Layout layout_of(const MmdbReader& reader);

class GeoDatabases {
public:
    static constexpr std::size_t kCacheSlots = 4096;

    // Every path a directory (its .mmdb files) or a file. A path that does
    // not exist, or a file that is not a readable MaxMind database, is an
    // error naming it; a directory without databases is not.
    static core::Result<std::unique_ptr<GeoDatabases>> open(const std::vector<std::string>& paths);
    // The default search path: missing directories are skipped, and a
    // damaged file becomes a note instead of an error. Never fails.
    static std::unique_ptr<GeoDatabases> open_default();
    // Already opened readers (tests, tools).
    static std::unique_ptr<GeoDatabases> from_readers(std::vector<MmdbReader> readers);

    // Scope always; the rest from the databases, for public addresses only.
    // Cached per address (kCacheSlots entries in two-way sets, a newer
    // address replacing the less recent of its set); the answer is shared,
    // so the flows of one peer hold one copy. Never null. Not thread-safe.
    std::shared_ptr<const GeoInfo> lookup(const core::IpAddress& address);
    // The same without the cache.
    [[nodiscard]] GeoInfo lookup_uncached(const core::IpAddress& address) const;

    [[nodiscard]] bool has(Kind kind) const;
    [[nodiscard]] const std::vector<GeoDatabase>& databases() const { return databases_; }
    // One line per opened database ("country: FILE (TYPE, N MiB)"), then
    // what is missing ("no ASN database: ...") and files skipped, each once.
    [[nodiscard]] const std::vector<std::string>& notes() const { return notes_; }
    // Just the kinds missing ("no city database: cities not shown").
    [[nodiscard]] const std::vector<std::string>& missing() const { return missing_; }

    std::uint64_t cache_hits() const { return hits_; }
    std::uint64_t cache_misses() const { return misses_; }

private:
    GeoDatabases() = default;
    void add(MmdbReader reader);
    void finish();

    struct Slot {
        core::IpAddress address;
        std::shared_ptr<const GeoInfo> info;
        bool recent = false;  // in a set's first slot: whether it was used last
    };

    std::vector<GeoDatabase> databases_;
    std::vector<std::string> notes_;
    std::vector<std::string> missing_;
    std::vector<Slot> cache_;
    std::uint64_t hits_ = 0;
    std::uint64_t misses_ = 0;
};

}  // namespace sockeye::geo
