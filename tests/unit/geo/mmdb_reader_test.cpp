#include "geo/mmdb_reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "unit/support/mmdb_writer.hpp"

namespace sockeye::geo {
namespace {

namespace w = sockeye::test::mmdb;
using core::IpAddress;

core::Result<MmdbReader> open(const w::Bytes& b) { return MmdbReader::open_bytes(b, "test.mmdb"); }

// Two IPv4 networks and one IPv6 network, each with its own record.
struct Fixture {
    w::Bytes file;
    std::uint32_t off_a = 0, off_b = 0, off_c = 0;
};

Fixture three_networks(std::uint16_t record_size, std::uint16_t ip_version) {
    Fixture f;
    w::Bytes data;
    f.off_a = static_cast<std::uint32_t>(data.size());
    data = w::cat(data, w::smap({{"country_code", w::str("AU")}}));
    f.off_b = static_cast<std::uint32_t>(data.size());
    data = w::cat(data, w::smap({{"country_code", w::str("DE")}}));
    f.off_c = static_cast<std::uint32_t>(data.size());
    data = w::cat(data, w::smap({{"country_code", w::str("JP")}}));
    w::Tree tree;
    if (ip_version == 4) {
        tree.insert({1, 1, 1, 0}, 24, f.off_a);
        tree.insert({81, 0, 0, 0}, 8, f.off_b);
    } else {
        tree.insert_v4_in_v6({1, 1, 1, 0}, 24, f.off_a);
        tree.insert_v4_in_v6({81, 0, 0, 0}, 8, f.off_b);
        tree.insert({0x24, 0x00, 0xcb, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 32, f.off_c);
    }
    f.file = w::database(tree, record_size, ip_version, data);
    return f;
}

class RecordSizes : public ::testing::TestWithParam<std::uint16_t> {};

TEST_P(RecordSizes, FindsIpv4InIpv6TreeAndIpv6) {
    const Fixture f = three_networks(GetParam(), 6);
    auto r = open(f.file);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->metadata().record_size, GetParam());
    EXPECT_EQ(r->metadata().ip_version, 6);

    MmdbLookup l = r->lookup(IpAddress::parse("1.1.1.1"));
    ASSERT_EQ(l.status, MmdbLookup::Status::found);
    EXPECT_EQ(l.offset, f.off_a);
    EXPECT_EQ(l.prefix_len, 96 + 24);
    EXPECT_EQ(r->string_at(l.offset, {"country_code"}), "AU");

    l = r->lookup(IpAddress::parse("81.200.3.4"));
    ASSERT_EQ(l.status, MmdbLookup::Status::found);
    EXPECT_EQ(r->string_at(l.offset, {"country_code"}), "DE");
    EXPECT_EQ(l.prefix_len, 96 + 8);

    l = r->lookup(IpAddress::parse("2400:cb00::1"));
    ASSERT_EQ(l.status, MmdbLookup::Status::found);
    EXPECT_EQ(r->string_at(l.offset, {"country_code"}), "JP");
    EXPECT_EQ(l.prefix_len, 32);

    EXPECT_EQ(r->lookup(IpAddress::parse("1.1.2.1")).status, MmdbLookup::Status::not_found);
    EXPECT_EQ(r->lookup(IpAddress::parse("2a00::1")).status, MmdbLookup::Status::not_found);
    // The IPv4-compatible form of 1.1.1.1 is the same place in the tree.
    EXPECT_EQ(r->lookup(IpAddress::parse("::1.1.1.1")).offset, f.off_a);
}

TEST_P(RecordSizes, Ipv4Tree) {
    const Fixture f = three_networks(GetParam(), 4);
    auto r = open(f.file);
    ASSERT_TRUE(r.ok()) << r.error().message;
    MmdbLookup l = r->lookup(IpAddress::parse("1.1.1.200"));
    ASSERT_EQ(l.status, MmdbLookup::Status::found);
    EXPECT_EQ(l.prefix_len, 24);
    EXPECT_EQ(r->string_at(l.offset, {"country_code"}), "AU");
    EXPECT_EQ(r->lookup(IpAddress::parse("81.1.1.1")).offset, f.off_b);
    EXPECT_EQ(r->lookup(IpAddress::parse("2400:cb00::1")).status, MmdbLookup::Status::ipv6_in_ipv4_database);
}

INSTANTIATE_TEST_SUITE_P(Mmdb, RecordSizes, ::testing::Values(24, 28, 32));

TEST(MmdbReader, RecordsAboveTwentyFourBitsKeepTheirHighBits) {
    // Enough data that record values need more than 24 bits: the 28-bit
    // layout's shared middle nibble and the 32-bit records carry them.
    for (const std::uint16_t size : {std::uint16_t{28}, std::uint16_t{32}}) {
        w::Bytes data = w::bytes(w::Bytes(17u << 20, 0x5A));  // 17 MiB of padding first
        const auto off = static_cast<std::uint32_t>(data.size());
        data = w::cat(data, w::smap({{"country_code", w::str("NZ")}}));
        w::Tree tree;
        tree.insert_v4_in_v6({8, 8, 8, 0}, 24, off);
        tree.insert_v4_in_v6({9, 0, 0, 0}, 8, off);
        auto r = open(w::database(tree, size, 6, data));
        ASSERT_TRUE(r.ok()) << r.error().message;
        for (const char* a : {"8.8.8.8", "9.9.9.9"}) {
            const MmdbLookup l = r->lookup(IpAddress::parse(a));
            ASSERT_EQ(l.status, MmdbLookup::Status::found) << size << " " << a;
            EXPECT_EQ(l.offset, off);
            EXPECT_EQ(r->string_at(l.offset, {"country_code"}), "NZ");
        }
    }
}

TEST(MmdbReader, DecodesEveryType) {
    const w::Bytes record = w::smap({
        {"s", w::str("München")},
        {"long", w::str(std::string(300, 'x'))},
        {"longer", w::str(std::string(70000, 'y'))},
        {"d", w::dbl(-42.125)},
        {"f", w::flt(1.5f)},
        {"b", w::bytes({1, 2, 3})},
        {"u16", w::u16(65535)},
        {"u32", w::u32(4000000000u)},
        {"i32", w::i32(-7)},
        {"u64", w::u64(0x0102030405060708ull)},
        {"u128", w::u128(0x1112131415161718ull, 0x2122232425262728ull)},
        {"t", w::boolean(true)},
        {"n", w::boolean(false)},
        {"a", w::array({w::u16(1), w::str("two"), w::smap({})})},
        {"empty", w::u32(0)},
    });
    w::Tree tree;
    tree.insert_v4_in_v6({10, 0, 0, 0}, 8, 0);
    auto r = open(w::database(tree, 24, 6, record));
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto v = r->decode(0);
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_EQ(v->get("s")->text, "München");
    EXPECT_EQ(v->get("long")->text.size(), 300u);
    EXPECT_EQ(v->get("longer")->text.size(), 70000u);
    EXPECT_EQ(v->get("d")->number, -42.125);
    EXPECT_EQ(v->get("f")->number, 1.5);
    EXPECT_EQ(v->get("b")->type, MmdbType::bytes);
    EXPECT_EQ(v->get("b")->text, std::string("\x01\x02\x03", 3));
    EXPECT_EQ(v->get("u16")->uint, 65535u);
    EXPECT_EQ(v->get("u32")->uint, 4000000000u);
    EXPECT_EQ(v->get("i32")->int32, -7);
    EXPECT_EQ(v->get("u64")->uint, 0x0102030405060708ull);
    EXPECT_EQ(v->get("u128")->uint, 0x2122232425262728ull);
    EXPECT_EQ(v->get("u128")->uint_high, 0x1112131415161718ull);
    EXPECT_EQ(v->get("t")->uint, 1u);
    EXPECT_EQ(v->get("n")->uint, 0u);
    ASSERT_EQ(v->get("a")->items.size(), 3u);
    EXPECT_EQ(v->get("a")->items[1].text, "two");
    EXPECT_EQ(v->get("a")->items[2].type, MmdbType::map);
    EXPECT_EQ(v->get("empty")->uint, 0u);
    EXPECT_EQ(r->uint_at(0, {"u32"}), 4000000000u);
    EXPECT_EQ(r->uint_at(0, {"u64"}), 0x0102030405060708ull);
    EXPECT_FALSE(r->uint_at(0, {"s"}).has_value());
    EXPECT_FALSE(r->string_at(0, {"missing"}).has_value());
    EXPECT_FALSE(r->string_at(0, {"s", "deeper"}).has_value());
}

TEST(MmdbReader, FollowsPointersOfEverySize) {
    // Strings at offsets that need 1-, 2-, 3- and 4-byte pointers, then a
    // record whose keys and values point at them.
    w::Bytes data;
    std::vector<std::uint32_t> at;
    for (const std::uint32_t want : {100u, 5000u, 600000u, 700000u}) {
        if (data.size() < want) data = w::cat(data, w::bytes(w::Bytes(want - data.size() - 5, 0)));
        while (data.size() < want) data.push_back(0);  // padding nobody reads
        at.push_back(static_cast<std::uint32_t>(data.size()));
        data = w::cat(data, w::str("v" + std::to_string(want)));
    }
    const auto key_at = static_cast<std::uint32_t>(data.size());
    data = w::cat(data, w::str("k"));
    const auto record = static_cast<std::uint32_t>(data.size());
    data = w::cat(data, w::map({{w::pointer(key_at, 4), w::array({w::pointer(at[0], 1), w::pointer(at[1], 2),
                                                                  w::pointer(at[2], 3), w::pointer(at[3], 4)})},
                                {w::str("p"), w::pointer(at[2], 3)}}));
    w::Tree tree;
    tree.insert_v4_in_v6({10, 0, 0, 0}, 8, record);
    auto r = open(w::database(tree, 32, 6, data));
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto v = r->decode(record);
    ASSERT_TRUE(v.ok()) << v.error().message;
    const MmdbValue* k = v->get("k");
    ASSERT_NE(k, nullptr);
    ASSERT_EQ(k->items.size(), 4u);
    EXPECT_EQ(k->items[0].text, "v100");
    EXPECT_EQ(k->items[1].text, "v5000");
    EXPECT_EQ(k->items[2].text, "v600000");
    EXPECT_EQ(k->items[3].text, "v700000");
    EXPECT_EQ(r->string_at(record, {"p"}), "v600000");
}

TEST(MmdbReader, MetadataFields) {
    const Fixture f = three_networks(24, 6);
    auto r = open(f.file);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->metadata().database_type, "Test-Country");
    EXPECT_EQ(r->metadata().languages, std::vector<std::string>{"en"});
    EXPECT_EQ(r->metadata().build_epoch, 1700000000u);
    EXPECT_EQ(r->metadata().description_en, "test database");
    EXPECT_EQ(r->metadata().format_major, 2);
}

// --- hostile and damaged files ---

TEST(MmdbReaderErrors, EveryTruncationIsRefusedOrReadSafely) {
    const Fixture f = three_networks(28, 6);
    for (std::size_t n = 0; n < f.file.size(); ++n) {
        const w::Bytes cut(f.file.begin(), f.file.begin() + static_cast<std::ptrdiff_t>(n));
        auto r = open(cut);
        if (!r.ok()) {
            EXPECT_EQ(r.error().message.rfind("test.mmdb: ", 0), 0u) << r.error().message;
            continue;
        }
        // A cut inside the metadata's last value may still leave valid
        // metadata; lookups then stay within the bytes that are left.
        (void)r->lookup(IpAddress::parse("1.1.1.1"));
    }
    // Cut in the middle of the tree: the metadata is gone.
    auto r = open(w::Bytes(f.file.begin(), f.file.begin() + 20));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::bad_format);
    EXPECT_NE(r.error().message.find("no metadata marker"), std::string::npos);
}

TEST(MmdbReaderErrors, TreeLargerThanFile) {
    w::Tree tree;
    tree.insert_v4_in_v6({10, 0, 0, 0}, 8, 0);
    w::Metadata m(1000000, 24, 6, "Test");
    auto r = open(w::file(tree.encode(24), w::smap({}), m.encode()));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::bad_format);
    EXPECT_NE(r.error().message.find("truncated"), std::string::npos) << r.error().message;
}

TEST(MmdbReaderErrors, BadMarker) {
    Fixture f = three_networks(24, 6);
    for (std::size_t i = 0; i + 14 <= f.file.size(); ++i) {
        if (std::equal(w::marker().begin(), w::marker().end(), f.file.begin() + static_cast<std::ptrdiff_t>(i))) {
            f.file[i + 3] = 'm';
        }
    }
    auto r = open(f.file);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message,
              "test.mmdb: not a MaxMind database, or truncated (no metadata marker in its last 128 KiB)");
    EXPECT_FALSE(open({}).ok());
}

TEST(MmdbReaderErrors, MetadataKeysMissingOrMistyped) {
    w::Tree tree;
    tree.insert_v4_in_v6({10, 0, 0, 0}, 8, 0);
    const w::Bytes tree24 = tree.encode(24);
    const w::Bytes data = w::smap({{"country_code", w::str("AU")}});
    for (const char* key : {"node_count", "record_size", "ip_version", "database_type", "languages",
                            "binary_format_major_version", "binary_format_minor_version", "build_epoch",
                            "description"}) {
        w::Metadata m(tree.node_count(), 24, 6, "Test");
        m.drop(key);
        auto r = open(w::file(tree24, data, m.encode()));
        ASSERT_FALSE(r.ok()) << key;
        EXPECT_NE(r.error().message.find(key), std::string::npos) << r.error().message;

        w::Metadata t(tree.node_count(), 24, 6, "Test");
        t.set(key, w::str("wrong type"));
        if (std::string(key) == "database_type") t.set(key, w::u16(1));
        EXPECT_FALSE(open(w::file(tree24, data, t.encode())).ok()) << key;
    }
    w::Metadata m(tree.node_count(), 24, 6, "Test");
    m.set("record_size", w::u16(20));
    auto r = open(w::file(tree24, data, m.encode()));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::unsupported);
    m = w::Metadata(tree.node_count(), 24, 6, "Test");
    m.set("binary_format_major_version", w::u16(3));
    r = open(w::file(tree24, data, m.encode()));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::unsupported);
    m = w::Metadata(tree.node_count(), 24, 6, "Test");
    m.set("ip_version", w::u16(5));
    EXPECT_FALSE(open(w::file(tree24, data, m.encode())).ok());
}

TEST(MmdbReaderErrors, CyclicPointers) {
    // Offset 0: a map whose value points back at the map itself; offset 8:
    // a pointer to a pointer.
    w::Bytes data = w::map({{w::str("x"), w::pointer(0, 1)}});
    while (data.size() < 8) data.push_back(0);
    data = w::cat(data, w::pointer(8, 1));
    w::Tree tree;
    tree.insert_v4_in_v6({10, 0, 0, 0}, 8, 0);
    tree.insert_v4_in_v6({11, 0, 0, 0}, 8, 8);
    auto r = open(w::database(tree, 24, 6, data));
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto v = r->decode(0);
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.error().message.find("nested deeper"), std::string::npos) << v.error().message;
    // A path walk follows the cycle only as far as the path is long.
    EXPECT_EQ(r->find(0, {"x", "x", "x", "x"}).status, MmdbFound::Status::found);
    EXPECT_FALSE(r->string_at(0, {"x", "x", "y"}).has_value());
    EXPECT_EQ(r->find(8, {}).status, MmdbFound::Status::invalid);
    EXPECT_FALSE(r->decode(8).ok());
}

TEST(MmdbReaderErrors, DeepNestingAndHugeSizes) {
    w::Bytes deep = w::str("bottom");
    for (int i = 0; i < 200; ++i) deep = w::array({deep});
    const auto huge_at = static_cast<std::uint32_t>(deep.size());
    // A map that claims 16 million pairs, a string that claims 16 MiB.
    w::Bytes data = w::cat(deep, w::control(7, 16000000));
    const auto long_at = static_cast<std::uint32_t>(data.size());
    data = w::cat(data, w::control(2, 16000000));
    data = w::cat(data, w::str("end"));
    w::Tree tree;
    tree.insert_v4_in_v6({10, 0, 0, 0}, 8, 0);
    auto r = open(w::database(tree, 24, 6, data));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_FALSE(r->decode(0).ok());
    EXPECT_FALSE(r->decode(huge_at).ok());
    EXPECT_EQ(r->find(huge_at, {"a"}).status, MmdbFound::Status::invalid);
    EXPECT_FALSE(r->decode(long_at).ok());
    EXPECT_EQ(r->find(long_at, {}).status, MmdbFound::Status::invalid);
}

TEST(MmdbReaderErrors, TreeRecordPointingOutsideTheData) {
    w::Tree tree;
    tree.insert_v4_in_v6({10, 0, 0, 0}, 8, 1000000);
    auto r = open(w::database(tree, 32, 6, w::smap({})));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->lookup(IpAddress::parse("10.1.1.1")).status, MmdbLookup::Status::corrupt);
}

TEST(MmdbReaderErrors, MissingFileNamesIt) {
    auto r = MmdbReader::open_file("/nonexistent/geo.mmdb");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::not_found);
    EXPECT_EQ(r.error().message.rfind("/nonexistent/geo.mmdb: ", 0), 0u);
}

}  // namespace
}  // namespace sockeye::geo
