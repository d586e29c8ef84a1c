#include "geo/geo_databases.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <utility>

#include "core/tuple_hash.hpp"

namespace sockeye::geo {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Public addresses every vendor covers, used to see which keys records have.
std::vector<core::IpAddress> probe_addresses() {
    std::vector<core::IpAddress> out;
    for (const char* text : {"8.8.8.8", "1.1.1.1", "9.9.9.9", "2001:4860:4860::8888", "2606:4700::1111"}) {
        out.push_back(core::IpAddress::parse(text));
    }
    return out;
}

// True when any probe address's record has a value at `path`.
bool any_record_has(const MmdbReader& r, std::initializer_list<std::string_view> path) {
    for (const core::IpAddress& a : probe_addresses()) {
        const MmdbLookup l = r.lookup(a);
        if (l.status != MmdbLookup::Status::found) continue;
        if (r.find(l.offset, path).status == MmdbFound::Status::found) return true;
    }
    return false;
}

std::string_view kind_name(Kind kind) {
    switch (kind) {
        case Kind::country: return "country";
        case Kind::city: return "city";
        case Kind::asn: return "ASN";
    }
    return "country";
}

bool is_dir(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::vector<std::string> default_search_path() {
    std::vector<std::string> out;
    if (const char* path = std::getenv("SOCKEYE_GEOIP_PATH"); path != nullptr) {
        const std::string_view dirs(path);
        for (std::size_t start = 0; start <= dirs.size();) {
            const std::size_t colon = std::min(dirs.find(':', start), dirs.size());
            if (colon > start) out.emplace_back(dirs.substr(start, colon - start));
            start = colon + 1;
        }
        return out;
    }
    const char* xdg = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    if (xdg != nullptr && xdg[0] == '/') {
        out.push_back(std::string(xdg) + "/sockeye");
    } else if (home != nullptr && home[0] != '\0') {
        out.push_back(std::string(home) + "/.local/share/sockeye");
    }
    out.emplace_back("/usr/share/GeoIP");
    out.emplace_back("/var/lib/GeoIP");
    return out;
}

std::vector<std::string> mmdb_files_in(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return {};
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name.size() > 5 && ends_with(name, ".mmdb")) names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    const std::set<std::string> all(names.begin(), names.end());
    std::vector<std::string> out;
    for (const std::string& name : names) {
        const std::string stem = name.substr(0, name.size() - 5);
        if ((ends_with(stem, "-ipv4") || ends_with(stem, "-ipv6")) &&
            all.count(stem.substr(0, stem.size() - 5) + ".mmdb") != 0) {
            continue;
        }
        out.push_back(dir + "/" + name);
    }
    return out;
}

Kind kind_of(const MmdbReader& reader) {
    const std::string type = lower(reader.metadata().database_type);
    if (type.find("asn") != std::string::npos || type.find("isp") != std::string::npos) return Kind::asn;
    if (type.find("city") != std::string::npos) return Kind::city;
    if (type.find("country") != std::string::npos) return Kind::country;
    if (any_record_has(reader, {"autonomous_system_number"})) return Kind::asn;
    if (any_record_has(reader, {"city"})) return Kind::city;
    return Kind::country;
}

Layout layout_of(const MmdbReader& reader) {
    const std::string type = lower(reader.metadata().database_type);
    if (type.rfind("geoip2", 0) == 0 || type.rfind("geolite2", 0) == 0 || type.rfind("dbip", 0) == 0) {
        return Layout::geoip2;
    }
    if (any_record_has(reader, {"country_code"})) return Layout::flat;
    if (any_record_has(reader, {"country", "iso_code"}) || any_record_has(reader, {"city", "names"})) {
        return Layout::geoip2;
    }
    return Layout::flat;
}

core::Result<std::unique_ptr<GeoDatabases>> GeoDatabases::open(const std::vector<std::string>& paths) {
    std::unique_ptr<GeoDatabases> out(new GeoDatabases());
    for (const std::string& path : paths) {
        if (!exists(path)) {
            return core::Error{core::ErrorCode::not_found, path + ": no such file or directory (geo databases)"};
        }
        const std::vector<std::string> files = is_dir(path) ? mmdb_files_in(path) : std::vector<std::string>{path};
        for (const std::string& file : files) {
            core::Result<MmdbReader> r = MmdbReader::open_file(file);
            if (!r) return std::move(r).error();
            out->add(std::move(r).value());
        }
    }
    out->finish();
    return out;
}

std::unique_ptr<GeoDatabases> GeoDatabases::open_default() {
    std::unique_ptr<GeoDatabases> out(new GeoDatabases());
    for (const std::string& dir : default_search_path()) {
        for (const std::string& file : mmdb_files_in(dir)) {
            core::Result<MmdbReader> r = MmdbReader::open_file(file);
            if (!r) {
                out->notes_.push_back(r.error().message + "; skipped");
                continue;
            }
            out->add(std::move(r).value());
        }
    }
    out->finish();
    return out;
}

std::unique_ptr<GeoDatabases> GeoDatabases::from_readers(std::vector<MmdbReader> readers) {
    std::unique_ptr<GeoDatabases> out(new GeoDatabases());
    for (MmdbReader& r : readers) out->add(std::move(r));
    out->finish();
    return out;
}

void GeoDatabases::add(MmdbReader reader) {
    GeoDatabase db{std::move(reader)};
    db.kind = kind_of(db.reader);
    db.layout = layout_of(db.reader);
    notes_.push_back(std::string(kind_name(db.kind)) + ": " + db.reader.name() + " (" +
                     db.reader.metadata().database_type + ", " +
                     std::to_string((db.reader.size_bytes() + (1u << 19)) >> 20) + " MiB)");
    databases_.push_back(std::move(db));
}

void GeoDatabases::finish() {
    if (!has(Kind::country)) missing_.emplace_back("no country database: countries not shown (scripts/fetch-geoip)");
    if (!has(Kind::city)) missing_.emplace_back("no city database: cities not shown");
    if (!has(Kind::asn)) missing_.emplace_back("no ASN database: networks not shown");
    notes_.insert(notes_.end(), missing_.begin(), missing_.end());
    cache_.assign(kCacheSlots, Slot{});
}

bool GeoDatabases::has(Kind kind) const {
    return std::any_of(databases_.begin(), databases_.end(), [&](const GeoDatabase& db) {
        return db.kind == kind || (kind == Kind::country && db.kind == Kind::city);
    });
}

GeoInfo GeoDatabases::lookup_uncached(const core::IpAddress& address) const {
    GeoInfo info;
    info.scope = core::scope_of(address);
    if (info.scope != core::AddressScope::public_) return info;
    const core::IpAddress a = core::unmapped(address);
    for (const GeoDatabase& db : databases_) {
        const MmdbReader& r = db.reader;
        const bool wants_country = info.country.empty() && db.kind != Kind::asn;
        const bool wants_city = info.city.empty() && db.kind == Kind::city;
        const bool wants_asn = info.asn == 0 && db.kind == Kind::asn;
        if (!wants_country && !wants_city && !wants_asn) continue;
        const MmdbLookup l = r.lookup(a);
        if (l.status != MmdbLookup::Status::found) continue;
        if (wants_country) {
            std::optional<std::string> c;
            if (db.layout == Layout::geoip2) {
                c = r.string_at(l.offset, {"country", "iso_code"});
                if (!c) c = r.string_at(l.offset, {"registered_country", "iso_code"});
            } else {
                c = r.string_at(l.offset, {"country_code"});
            }
            if (c) info.country = *c;
        }
        if (wants_city) {
            std::optional<std::string> c = db.layout == Layout::geoip2
                                               ? r.string_at(l.offset, {"city", "names", "en"})
                                               : r.string_at(l.offset, {"city"});
            if (c) info.city = *c;
        }
        if (wants_asn) {
            if (const auto n = r.uint_at(l.offset, {"autonomous_system_number"}); n && *n <= 0xFFFFFFFFu) {
                info.asn = static_cast<std::uint32_t>(*n);
            }
            if (auto o = r.string_at(l.offset, {"autonomous_system_organization"})) info.organisation = *o;
        }
    }
    return info;
}

std::shared_ptr<const GeoInfo> GeoDatabases::lookup(const core::IpAddress& address) {
    // Two-way sets: two busy addresses that hash alike do not evict each
    // other on every call; a miss replaces the set's less recent entry.
    const std::size_t set = (core::IpAddressHash{}(address) % (cache_.size() / 2)) * 2;
    for (std::size_t i = set; i < set + 2; ++i) {
        if (cache_[i].address == address && address.family != core::IpFamily::none) {
            ++hits_;
            cache_[set].recent = i == set;
            return cache_[i].info;
        }
    }
    ++misses_;
    const std::size_t victim = cache_[set].recent ? set + 1 : set;
    cache_[set].recent = victim == set;
    cache_[victim].address = address;
    cache_[victim].info = std::make_shared<const GeoInfo>(lookup_uncached(address));
    return cache_[victim].info;
}

}  // namespace sockeye::geo
