#include "geo/geo_databases.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "unit/support/mmdb_writer.hpp"

namespace sockeye::geo {
namespace {

namespace w = sockeye::test::mmdb;
using core::IpAddress;

MmdbReader reader_of(const w::Bytes& b, const std::string& name = "t.mmdb") {
    auto r = MmdbReader::open_bytes(b, name);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return std::move(r).value();
}

// 8.8.8.0/24 and 2001:4860::/32 hold `record`; 1.1.1.0/24 holds `other`.
w::Bytes db_with(const w::Bytes& record, const w::Bytes& other, std::string_view type) {
    const w::Bytes data = w::cat(record, other);
    const auto other_at = static_cast<std::uint32_t>(record.size());
    w::Tree tree;
    tree.insert_v4_in_v6({8, 8, 8, 0}, 24, 0);
    tree.insert_v4_in_v6({1, 1, 1, 0}, 24, other_at);
    tree.insert({0x20, 0x01, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 32, 0);
    return w::database(tree, 28, 6, data, type);
}

w::Bytes geoip2_city() {
    return db_with(w::smap({{"city", w::smap({{"geoname_id", w::u32(5375480)},
                                              {"names", w::smap({{"de", w::str("Mountain View")},
                                                                 {"en", w::str("Mountain View")}})}})},
                            {"country", w::smap({{"iso_code", w::str("US")}, {"geoname_id", w::u32(6252001)}})},
                            {"location", w::smap({{"latitude", w::dbl(37.4)}, {"longitude", w::dbl(-122.07)}})}}),
                   // Only the registered country: the fallback.
                   w::smap({{"registered_country", w::smap({{"iso_code", w::str("AU")}})}}), "GeoLite2-City");
}

w::Bytes geoip2_asn() {
    return db_with(w::smap({{"autonomous_system_number", w::u32(15169)},
                            {"autonomous_system_organization", w::str("GOOGLE")}}),
                   w::smap({{"autonomous_system_number", w::u32(13335)},
                            {"autonomous_system_organization", w::str("CLOUDFLARENET")}}),
                   "GeoLite2-ASN");
}

w::Bytes flat_country() {
    return db_with(w::smap({{"country_code", w::str("US")}}), w::smap({{"country_code", w::str("AU")}}),
                   "country ipvAll");
}

w::Bytes flat_city() {
    return db_with(w::smap({{"city", w::str("Mountain View")}, {"country_code", w::str("US")},
                            {"latitude", w::flt(37.4f)}}),
                   w::smap({{"city", w::str("Sydney")}, {"country_code", w::str("AU")}}), "city ipvAll");
}

TEST(GeoLayouts, KindAndLayoutFromTypeAndKeys) {
    EXPECT_EQ(kind_of(reader_of(geoip2_city())), Kind::city);
    EXPECT_EQ(layout_of(reader_of(geoip2_city())), Layout::geoip2);
    EXPECT_EQ(kind_of(reader_of(geoip2_asn())), Kind::asn);
    EXPECT_EQ(kind_of(reader_of(flat_country())), Kind::country);
    EXPECT_EQ(layout_of(reader_of(flat_country())), Layout::flat);
    EXPECT_EQ(kind_of(reader_of(flat_city())), Kind::city);
    EXPECT_EQ(layout_of(reader_of(flat_city())), Layout::flat);
    // A type that names nothing: the keys decide.
    const w::Bytes anon_asn = db_with(w::smap({{"autonomous_system_number", w::u32(1)}}), w::smap({}), "x");
    EXPECT_EQ(kind_of(reader_of(anon_asn)), Kind::asn);
    const w::Bytes anon_geoip2 =
        db_with(w::smap({{"country", w::smap({{"iso_code", w::str("NZ")}})}}), w::smap({}), "Vendor-Thing");
    EXPECT_EQ(layout_of(reader_of(anon_geoip2)), Layout::geoip2);
    // DB-IP's lite databases use the GeoIP2 layout.
    EXPECT_EQ(layout_of(reader_of(db_with(w::smap({}), w::smap({}), "DBIP-City-Lite"))), Layout::geoip2);
    EXPECT_EQ(kind_of(reader_of(db_with(w::smap({}), w::smap({}), "DBIP-ASN-Lite"))), Kind::asn);
}

TEST(GeoDatabases, Geoip2LayoutCityAndAsn) {
    std::vector<MmdbReader> readers;
    readers.push_back(reader_of(geoip2_city()));
    readers.push_back(reader_of(geoip2_asn()));
    auto dbs = GeoDatabases::from_readers(std::move(readers));
    EXPECT_TRUE(dbs->has(Kind::country));
    EXPECT_TRUE(dbs->has(Kind::city));
    EXPECT_TRUE(dbs->has(Kind::asn));
    GeoInfo g = *dbs->lookup(IpAddress::parse("8.8.8.8"));
    EXPECT_EQ(g, (GeoInfo{core::AddressScope::public_, "US", "Mountain View", 15169, "GOOGLE"}));
    g = *dbs->lookup(IpAddress::parse("2001:4860::8888"));
    EXPECT_EQ(g.country, "US");
    EXPECT_EQ(g.asn, 15169u);
    g = *dbs->lookup(IpAddress::parse("1.1.1.1"));
    EXPECT_EQ(g, (GeoInfo{core::AddressScope::public_, "AU", "", 13335, "CLOUDFLARENET"}));
    // IPv4-mapped IPv6 is looked up as IPv4.
    EXPECT_EQ(dbs->lookup(IpAddress::parse("::ffff:1.1.1.1"))->asn, 13335u);
    g = *dbs->lookup(IpAddress::parse("9.9.9.9"));
    EXPECT_EQ(g, (GeoInfo{core::AddressScope::public_, "", "", 0, ""}));
}

TEST(GeoDatabases, FlatLayout) {
    std::vector<MmdbReader> readers;
    readers.push_back(reader_of(flat_city()));
    auto dbs = GeoDatabases::from_readers(std::move(readers));
    EXPECT_EQ(*dbs->lookup(IpAddress::parse("8.8.8.8")), (GeoInfo{core::AddressScope::public_, "US", "Mountain View", 0, ""}));
    EXPECT_EQ(dbs->lookup(IpAddress::parse("1.1.1.1"))->city, "Sydney");
    EXPECT_FALSE(dbs->has(Kind::asn));
    bool said_missing = false;
    for (const std::string& n : dbs->notes()) said_missing = said_missing || n.find("no ASN database") == 0;
    EXPECT_TRUE(said_missing);
}

TEST(GeoDatabases, NonPublicAddressesAreLabelledNotLookedUp) {
    std::vector<MmdbReader> readers;
    // A database that claims everything, so a lookup would show.
    w::Tree tree;
    tree.insert({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1, 0);
    tree.insert({0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1, 0);
    readers.push_back(reader_of(w::database(tree, 24, 6, w::smap({{"country_code", w::str("ZZ")}}), "country")));
    auto dbs = GeoDatabases::from_readers(std::move(readers));
    const std::vector<std::pair<const char*, core::AddressScope>> cases = {
        {"0.0.0.0", core::AddressScope::unspecified},     {"::", core::AddressScope::unspecified},
        {"127.0.0.1", core::AddressScope::loopback},      {"::1", core::AddressScope::loopback},
        {"10.1.2.3", core::AddressScope::private_},       {"172.16.0.1", core::AddressScope::private_},
        {"172.31.255.255", core::AddressScope::private_}, {"192.168.1.1", core::AddressScope::private_},
        {"fd00::1", core::AddressScope::private_},        {"169.254.1.1", core::AddressScope::link_local},
        {"fe80::1", core::AddressScope::link_local},      {"192.0.2.1", core::AddressScope::documentation},
        {"198.51.100.7", core::AddressScope::documentation}, {"203.0.113.9", core::AddressScope::documentation},
        {"2001:db8::1", core::AddressScope::documentation}, {"3fff::1", core::AddressScope::documentation},
        {"100.64.0.1", core::AddressScope::cgnat},        {"100.127.255.255", core::AddressScope::cgnat},
        {"224.0.0.251", core::AddressScope::multicast},   {"ff02::fb", core::AddressScope::multicast},
        {"240.0.0.1", core::AddressScope::reserved},      {"255.255.255.255", core::AddressScope::reserved},
        {"::ffff:10.0.0.1", core::AddressScope::private_},
    };
    for (const auto& [text, scope] : cases) {
        const GeoInfo g = *dbs->lookup(IpAddress::parse(text));
        EXPECT_EQ(g.scope, scope) << text;
        EXPECT_EQ(g.country, "") << text;
    }
    for (const char* text : {"172.32.0.1", "100.128.0.1", "11.0.0.1", "2a00::1", "192.0.3.1", "3fff:1000::1"}) {
        const GeoInfo g = *dbs->lookup(IpAddress::parse(text));
        EXPECT_EQ(g.scope, core::AddressScope::public_) << text;
        EXPECT_EQ(g.country, "ZZ") << text;
    }
    EXPECT_EQ(core::scope_name(core::AddressScope::link_local), "link-local");
}

TEST(GeoDatabases, CachesPerAddressWithinABound) {
    std::vector<MmdbReader> readers;
    readers.push_back(reader_of(flat_country()));
    auto dbs = GeoDatabases::from_readers(std::move(readers));
    EXPECT_EQ(dbs->lookup(IpAddress::parse("8.8.8.8"))->country, "US");
    EXPECT_EQ(dbs->lookup(IpAddress::parse("8.8.8.8"))->country, "US");
    EXPECT_EQ(dbs->cache_misses(), 1u);
    EXPECT_EQ(dbs->cache_hits(), 1u);
    // Many more addresses than slots: answers stay right, memory stays put.
    for (std::uint32_t i = 0; i < 3 * GeoDatabases::kCacheSlots; ++i) {
        const IpAddress a = IpAddress::v4((8u << 24) | (8u << 16) | (8u << 8) | (i & 0xFF));
        const IpAddress b = IpAddress::v4((9u << 24) | i);
        ASSERT_EQ(dbs->lookup(a)->country, "US");
        ASSERT_EQ(dbs->lookup(b)->country, "");
    }
    EXPECT_EQ(dbs->lookup(IpAddress::parse("1.1.1.1"))->country, "AU");
}

class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/sockeye-geo-XXXXXX";
        path_ = ::mkdtemp(tmpl);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    [[nodiscard]] const std::string& path() const { return path_; }
    void write(const std::string& name, const w::Bytes& b) const {
        std::ofstream f(path_ + "/" + name, std::ios::binary);
        f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    }

private:
    std::string path_;
};

TEST(GeoDatabases, OpensADirectoryAndPrefersTheCombinedFile) {
    TempDir dir;
    dir.write("geo-whois-asn-country.mmdb", flat_country());
    dir.write("geo-whois-asn-country-ipv4.mmdb", flat_country());
    dir.write("geo-whois-asn-country-ipv6.mmdb", flat_country());
    dir.write("GeoLite2-ASN.mmdb", geoip2_asn());
    dir.write("readme.txt", {'h', 'i'});
    const auto files = mmdb_files_in(dir.path());
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0], dir.path() + "/GeoLite2-ASN.mmdb");
    EXPECT_EQ(files[1], dir.path() + "/geo-whois-asn-country.mmdb");
    auto dbs = GeoDatabases::open({dir.path()});
    ASSERT_TRUE(dbs.ok()) << dbs.error().message;
    EXPECT_EQ(*(*dbs)->lookup(IpAddress::parse("1.1.1.1")), (GeoInfo{core::AddressScope::public_, "AU", "", 13335, "CLOUDFLARENET"}));
    EXPECT_EQ((*dbs)->notes().front(), "ASN: " + dir.path() + "/GeoLite2-ASN.mmdb (GeoLite2-ASN, 0 MiB)");
}

TEST(GeoDatabases, CorruptFileGivesOneMessageNamingIt) {
    TempDir dir;
    w::Bytes cut = flat_country();
    cut.resize(cut.size() / 2);
    dir.write("Broken.mmdb", cut);
    auto dbs = GeoDatabases::open({dir.path()});
    ASSERT_FALSE(dbs.ok());
    EXPECT_EQ(dbs.error().code, core::ErrorCode::bad_format);
    EXPECT_EQ(dbs.error().message, dir.path() + "/Broken.mmdb: not a MaxMind database, or truncated "
                                                "(no metadata marker in its last 128 KiB)");
    auto missing = GeoDatabases::open({dir.path() + "/nothing-here"});
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, core::ErrorCode::not_found);
}

TEST(GeoDatabases, DefaultSearchPathSkipsDamagedFilesWithANote) {
    TempDir home;
    const std::string dir = home.path() + "/sockeye";
    std::filesystem::create_directories(dir);
    TempDir unused;
    w::Bytes cut = geoip2_asn();
    cut.resize(40);
    std::ofstream(dir + "/Broken.mmdb", std::ios::binary).write(reinterpret_cast<const char*>(cut.data()), 40);
    {
        std::ofstream f(dir + "/country.mmdb", std::ios::binary);
        const w::Bytes b = flat_country();
        f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    }
    const char* old = std::getenv("XDG_DATA_HOME");
    const std::string saved = old != nullptr ? old : "";
    const char* old_path = std::getenv("SOCKEYE_GEOIP_PATH");  // the suite's own
    const std::string saved_path = old_path != nullptr ? old_path : "";
    ::setenv("XDG_DATA_HOME", home.path().c_str(), 1);
    ::unsetenv("SOCKEYE_GEOIP_PATH");
    EXPECT_EQ(default_search_path(),
              (std::vector<std::string>{dir, "/usr/share/GeoIP", "/var/lib/GeoIP"}));
    auto dbs = GeoDatabases::open_default();
    if (old != nullptr) {
        ::setenv("XDG_DATA_HOME", saved.c_str(), 1);
    } else {
        ::unsetenv("XDG_DATA_HOME");
    }
    if (old_path != nullptr) ::setenv("SOCKEYE_GEOIP_PATH", saved_path.c_str(), 1);
    EXPECT_EQ(dbs->lookup(IpAddress::parse("8.8.8.8"))->country, "US");
    bool noted = false;
    for (const std::string& n : dbs->notes()) noted = noted || n.find(dir + "/Broken.mmdb: ") == 0;
    EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace sockeye::geo

namespace sockeye::geo {
namespace {

// $SOCKEYE_GEOIP_PATH replaces the default directories (the test suite sets
// it empty, so a developer's own databases cannot change test output).
TEST(GeoSearchPath, TheEnvironmentReplacesTheDefaultDirectories) {
    const char* before = std::getenv("SOCKEYE_GEOIP_PATH");
    const std::string saved = before != nullptr ? before : "";
    ::setenv("SOCKEYE_GEOIP_PATH", "/srv/geo::/opt/asn", 1);
    EXPECT_EQ(default_search_path(), (std::vector<std::string>{"/srv/geo", "/opt/asn"}));
    ::setenv("SOCKEYE_GEOIP_PATH", "", 1);
    EXPECT_TRUE(default_search_path().empty());
    ::unsetenv("SOCKEYE_GEOIP_PATH");
    const auto defaults = default_search_path();
    ASSERT_FALSE(defaults.empty());
    EXPECT_EQ(defaults.back(), "/var/lib/GeoIP");
    if (before != nullptr) ::setenv("SOCKEYE_GEOIP_PATH", saved.c_str(), 1);
}

}  // namespace
}  // namespace sockeye::geo
