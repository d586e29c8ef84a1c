#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ebpf/btf_reader.hpp"
#include "ebpf/kernel_layout.hpp"
#include "unit/ebpf/btf_blob.hpp"

namespace sockeye::ebpf {
namespace {

using test::BtfBlob;

// BTF_KIND_* values of the types built below.
constexpr std::uint32_t kPtr = 2, kArray = 3, kStruct = 4, kUnion = 5, kTypedef = 8, kVolatile = 9;

// struct demo { u16 a; union { u32 b; struct { u16 c; u16 d; }; }; char name[16]; void *p; u32 bits:3; }
BtfBlob demo_blob() {
    BtfBlob b;
    const auto u16 = b.integer("u16", 2);       // 1
    const auto u32 = b.integer("u32", 4);       // 2
    const auto chr = b.integer("char", 1);      // 3
    const auto td = b.type("__u32", kTypedef, 0, u32);           // 4
    const auto vol = b.type("", kVolatile, 0, td);               // 5
    const auto inner = b.type("", kStruct, 2, 4);                // 6
    b.member("c", u16, 0);
    b.member("d", u16, 16);
    const auto un = b.type("", kUnion, 2, 4);                    // 7
    b.member("b", vol, 0);
    b.member("", inner, 0);
    const auto arr = b.type("", kArray, 0, 0);                   // 8
    b.raw_u32(chr);
    b.raw_u32(u32);
    b.raw_u32(16);
    const auto ptr = b.type("", kPtr, 0, 0);                     // 9
    b.type("demo", kStruct, 5, 40, true);                        // 10
    b.member("a", u16, 0);
    b.member("", un, 32);
    b.member("name", arr, 64);
    b.member("p", ptr, 192);
    b.member("bits", u32, (3u << 24) | 256);
    return b;
}

TEST(BtfReader, FindsMembersThroughAnonymousUnionsAndTypedefs) {
    const auto bytes = demo_blob().bytes();
    const auto btf = BtfReader::parse(bytes);
    ASSERT_TRUE(btf) << btf.error().message;
    EXPECT_EQ(btf->type_count(), 10u);
    EXPECT_EQ(btf->find(BtfKind::structure, "demo"), 10u);
    EXPECT_FALSE(btf->find(BtfKind::union_type, "demo"));

    const auto a = btf->member("demo", "a");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->offset, 0u);
    EXPECT_EQ(a->size, 2u);
    const auto b = btf->member("demo", "b");  // volatile typedef u32 in an anonymous union
    ASSERT_TRUE(b);
    EXPECT_EQ(b->offset, 4u);
    EXPECT_EQ(b->size, 4u);
    const auto d = btf->member("demo", "d");  // two anonymous levels down
    ASSERT_TRUE(d);
    EXPECT_EQ(d->offset, 6u);
    EXPECT_EQ(d->size, 2u);
    const auto name = btf->member("demo", "name");
    ASSERT_TRUE(name);
    EXPECT_EQ(name->offset, 8u);
    EXPECT_EQ(name->size, 16u);
    const auto p = btf->member("demo", "p");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->offset, 24u);
    EXPECT_EQ(p->size, 8u);
    EXPECT_FALSE(btf->member("demo", "bits")) << "bitfields are not byte-addressable";
    EXPECT_FALSE(btf->member("demo", "missing"));
    EXPECT_FALSE(btf->member("nothing", "a"));
}

// The message names what is wrong; the code says malformed, or (another
// byte order) a blob this reader does not take.
void expect_rejected(const std::vector<std::uint8_t>& bytes, core::ErrorCode code, const std::string& why) {
    const auto btf = BtfReader::parse(bytes);
    ASSERT_FALSE(btf) << why;
    EXPECT_EQ(btf.error().code, code) << why;
    EXPECT_NE(btf.error().message.find(why), std::string::npos) << btf.error().message;
}

TEST(BtfReader, RejectsMalformedBlobs) {
    const auto good = demo_blob().bytes();
    expect_rejected(std::vector<std::uint8_t>(good.begin(), good.begin() + 10), core::ErrorCode::bad_format,
                    "truncated header");

    expect_rejected(demo_blob().bytes(0x1234), core::ErrorCode::bad_format, "bad magic");
    expect_rejected(demo_blob().bytes(0x9feb), core::ErrorCode::unsupported, "foreign byte order");

    auto cut = good;
    cut.pop_back();  // string section now runs past the end
    expect_rejected(cut, core::ErrorCode::bad_format, "out of bounds");

    auto unterminated = good;
    unterminated.back() = 'x';
    expect_rejected(unterminated, core::ErrorCode::bad_format, "NUL");

    // A struct claiming more members than its bytes hold.
    BtfBlob b;
    b.type("s", kStruct, 100, 8);
    b.member("x", 0, 0);
    expect_rejected(b.bytes(), core::ErrorCode::bad_format, "truncated type");

    // Unknown kind.
    BtfBlob k;
    k.type("weird", 31, 0, 0);
    expect_rejected(k.bytes(), core::ErrorCode::bad_format, "bad type");
}

TEST(BtfReader, TypedefCyclesEnd) {
    BtfBlob b;
    b.type("a", kTypedef, 0, 2);
    b.type("b", kTypedef, 0, 1);
    const auto s = b.type("s", kStruct, 1, 4);
    b.member("x", 1, 0);
    const auto bytes = b.bytes();
    const auto btf = BtfReader::parse(bytes);
    ASSERT_TRUE(btf) << btf.error().message;
    EXPECT_FALSE(btf->size_of(1));
    EXPECT_FALSE(btf->member(s, "x"));
}

TEST(BtfReader, RealKernelLayoutIsSane) {
    const auto btf = BtfReader::load("/sys/kernel/btf/vmlinux");
    if (!btf) GTEST_SKIP() << "no kernel BTF here: " << btf.error().message;
    EXPECT_GT(btf->type_count(), 1000u);
    const auto layout = read_kernel_layout(*btf);
    ASSERT_TRUE(layout) << layout.error().message;
    // sock_common starts with the address pair, then the port pair, then
    // the family; the IPv6 addresses come later; all within the copied span.
    EXPECT_EQ(layout->v4_remote.size, 4u);
    EXPECT_EQ(layout->v4_local.offset, layout->v4_remote.offset + 4);
    EXPECT_EQ(layout->remote_port.size, 2u);
    EXPECT_EQ(layout->local_port.offset, layout->remote_port.offset + 2);
    EXPECT_GT(layout->family.offset, layout->local_port.offset);
    EXPECT_EQ(layout->v6_remote.size, 16u);
    EXPECT_EQ(layout->v6_local.size, 16u);
    EXPECT_LE(layout->sock_span, kMaxSockSpan);
    EXPECT_GE(layout->sock_span, layout->v6_local.offset + 16);
    // sk_protocol lies past sock_common inside struct sock.
    const auto common = btf->find(BtfKind::structure, "sock_common");
    ASSERT_TRUE(common);
    EXPECT_GE(layout->protocol.offset, *btf->size_of(*common));
    ASSERT_TRUE(layout->comm);
    EXPECT_EQ(layout->comm->size, 16u);
    ASSERT_TRUE(layout->group_leader);
    EXPECT_EQ(layout->group_leader->size, 8u);
    // The socket's namespace: a pointer inside the copied span.
    ASSERT_TRUE(layout->net && layout->netns_inum);
    EXPECT_LE(layout->net->offset + 8, layout->sock_span);
}

// The fuzz seed that mimics the kernel's nesting (anonymous unions around
// the address and port pairs, a forward-declared task_struct first).
TEST(BtfReader, KernelLikeSeedGivesTheFullLayout) {
    const auto seed = std::filesystem::path(SOCKEYE_SOURCE_DIR) /
                      "fuzz/regressions/btf/kernel_like_layout.btf";
    const auto btf = BtfReader::load(seed.string());
    ASSERT_TRUE(btf) << btf.error().message;
    const auto layout = read_kernel_layout(*btf);
    ASSERT_TRUE(layout) << layout.error().message;
    EXPECT_EQ(layout->v4_remote.offset, 0u);
    EXPECT_EQ(layout->v4_local.offset, 4u);
    EXPECT_EQ(layout->remote_port.offset, 8u);
    EXPECT_EQ(layout->local_port.offset, 10u);
    EXPECT_EQ(layout->family.offset, 16u);
    EXPECT_EQ(layout->v6_remote.offset, 56u);
    EXPECT_EQ(layout->v6_local.offset, 72u);
    EXPECT_EQ(layout->sock_span, 88u);
    EXPECT_EQ(layout->protocol.offset, 502u);
    ASSERT_TRUE(layout->group_leader && layout->comm);
    EXPECT_EQ(layout->group_leader->offset, 1100u);
    EXPECT_EQ(layout->comm->offset, 1800u);
}

TEST(BtfReader, MissingFileIsAReason) {
    const auto btf = BtfReader::load("/nonexistent/btf");
    ASSERT_FALSE(btf);
    EXPECT_EQ(btf.error().code, core::ErrorCode::not_found);
    EXPECT_NE(btf.error().message.find("no kernel BTF"), std::string::npos);
}

}  // namespace
}  // namespace sockeye::ebpf
