// The mbedcrypto wrappers against published vectors: RFC 5869 (HKDF),
// FIPS-197 (AES-128), the GCM specification's test case 2, and RFC 9001
// A.1 for HKDF-Expand-Label.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "dpi/crypto/aes.hpp"
#include "dpi/crypto/hkdf.hpp"
#include "unit/dpi/quic_test_util.hpp"

namespace sockeye::dpi::crypto {
namespace {

using test::from_hex;
using test::hex_of;

std::vector<std::uint8_t> vec(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

TEST(CryptoHkdf, Rfc5869TestCase1Extract) {
    const std::vector<std::uint8_t> ikm(22, 0x0b);
    const auto salt = from_hex("000102030405060708090a0b0c");
    std::array<std::uint8_t, kSha256Bytes> prk{};
    ASSERT_TRUE(hkdf_extract_sha256(salt, ikm, prk));
    EXPECT_EQ(hex_of(vec(prk)),
              "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
}

TEST(CryptoHkdf, ExpandLabelRfc9001ClientInitial) {
    // RFC 9001 A.1: initial_secret -> client_initial_secret -> key, iv, hp.
    const auto initial = from_hex("7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44");
    std::array<std::uint8_t, kSha256Bytes> client{};
    ASSERT_TRUE(hkdf_expand_label_sha256(initial, "client in", client));
    EXPECT_EQ(hex_of(vec(client)),
              "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea");
    std::array<std::uint8_t, 16> key{};
    std::array<std::uint8_t, 12> iv{};
    ASSERT_TRUE(hkdf_expand_label_sha256(client, "quic key", key));
    ASSERT_TRUE(hkdf_expand_label_sha256(client, "quic iv", iv));
    EXPECT_EQ(hex_of(vec(key)), "1f369613dd76d5467730efcbe3b1a22d");
    EXPECT_EQ(hex_of(vec(iv)), "fa044b2f42a3fd3b46fb255c");
}

TEST(CryptoHkdf, ExtractRfc9001InitialSecret) {
    const auto salt = from_hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
    const auto dcid = from_hex(test::kRfcDcid);
    std::array<std::uint8_t, kSha256Bytes> prk{};
    ASSERT_TRUE(hkdf_extract_sha256(salt, dcid, prk));
    EXPECT_EQ(hex_of(vec(prk)),
              "7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44");
}

TEST(CryptoHkdf, RejectsOversizedRequests) {
    const std::vector<std::uint8_t> secret(32, 1);
    std::array<std::uint8_t, 16> out{};
    const std::string long_label(250, 'x');
    EXPECT_FALSE(hkdf_expand_label_sha256(secret, long_label, out));
    EXPECT_FALSE(hkdf_expand_label_sha256(secret, "quic key", std::span<std::uint8_t>()));
}

TEST(CryptoAes, Fips197AppendixC1) {
    Aes128Ecb aes;
    const auto key = from_hex("000102030405060708090a0b0c0d0e0f");
    const auto plain = from_hex("00112233445566778899aabbccddeeff");
    std::array<std::uint8_t, kAesBlockBytes> out{};
    ASSERT_TRUE(aes.set_key(std::span<const std::uint8_t, 16>(key.data(), 16)));
    ASSERT_TRUE(aes.encrypt_block(std::span<const std::uint8_t, 16>(plain.data(), 16), out));
    EXPECT_EQ(hex_of(vec(out)), "69c4e0d86a7b0430d8cdb78070b4c55a");
}

TEST(CryptoAes, EcbWithoutKeyFails) {
    Aes128Ecb aes;
    std::array<std::uint8_t, 16> in{};
    std::array<std::uint8_t, 16> out{};
    EXPECT_FALSE(aes.encrypt_block(in, out));
}

TEST(CryptoAes, HeaderProtectionMaskRfc9001A2) {
    Aes128Ecb aes;
    const auto hp = from_hex("9f50449e04a0e810283a1e9933adedd2");
    const auto sample = from_hex("d1b1c98dd7689fb8ec11d242b123dc9b");
    std::array<std::uint8_t, 16> mask{};
    ASSERT_TRUE(aes.set_key(std::span<const std::uint8_t, 16>(hp.data(), 16)));
    ASSERT_TRUE(aes.encrypt_block(std::span<const std::uint8_t, 16>(sample.data(), 16), mask));
    EXPECT_EQ(hex_of(std::vector<std::uint8_t>(mask.begin(), mask.begin() + 5)), "437b9aec36");
}

// GCM spec (McGrew/Viega) test case 2: zero key, zero IV, one zero block.
TEST(CryptoGcm, OpenAndSealTestCase2) {
    Aes128Gcm gcm;
    const std::array<std::uint8_t, 16> key{};
    const std::array<std::uint8_t, 12> nonce{};
    ASSERT_TRUE(gcm.set_key(key));
    const auto sealed = from_hex("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
    std::vector<std::uint8_t> plain(16, 0xff);
    ASSERT_TRUE(gcm.open(nonce, {}, sealed, plain));
    EXPECT_EQ(plain, std::vector<std::uint8_t>(16, 0));

    std::vector<std::uint8_t> resealed(32);
    ASSERT_TRUE(gcm.seal(nonce, {}, plain, resealed));
    EXPECT_EQ(resealed, sealed);
}

TEST(CryptoGcm, TamperedTagOrAadFails) {
    Aes128Gcm gcm;
    const std::array<std::uint8_t, 16> key{};
    const std::array<std::uint8_t, 12> nonce{};
    ASSERT_TRUE(gcm.set_key(key));
    auto sealed = from_hex("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
    std::vector<std::uint8_t> plain(16);
    const std::vector<std::uint8_t> aad = {1, 2, 3};
    EXPECT_FALSE(gcm.open(nonce, aad, sealed, plain));
    sealed.back() ^= 1;
    EXPECT_FALSE(gcm.open(nonce, {}, sealed, plain));
    EXPECT_EQ(plain, std::vector<std::uint8_t>(16, 0));  // nothing unauthenticated leaks
}

TEST(CryptoGcm, RejectsShortInputAndMissingKey) {
    Aes128Gcm gcm;
    const std::array<std::uint8_t, 12> nonce{};
    std::vector<std::uint8_t> plain(16);
    const std::vector<std::uint8_t> sealed(32);
    EXPECT_FALSE(gcm.open(nonce, {}, sealed, plain));  // no key yet
    const std::array<std::uint8_t, 16> key{};
    ASSERT_TRUE(gcm.set_key(key));
    EXPECT_FALSE(gcm.open(nonce, {}, std::span<const std::uint8_t>(sealed).first(15), plain));
    std::vector<std::uint8_t> small(4);
    EXPECT_FALSE(gcm.open(nonce, {}, sealed, small));
    EXPECT_FALSE(gcm.seal(nonce, {}, plain, small));
}

}  // namespace
}  // namespace sockeye::dpi::crypto
