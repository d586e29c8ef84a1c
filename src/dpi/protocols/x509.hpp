// Just enough X.509 (RFC 5280) to name a server certificate: subject,
// issuer and validity from the DER of the first certificate a TLS <= 1.2
// server sends in clear. A bounded DER walk, no signature checking.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace sockeye::dpi::x509 {

struct CertSummary {
    std::string subject;     // "CN=example.com, O=Example" in certificate order
    std::string issuer;
    std::string not_before;  // ISO 8601 UTC, "2024-01-31T12:00:00Z"
    std::string not_after;
};

// False when `der` is not a certificate we can walk (fields may be partly set).
bool parse_certificate(std::span<const std::uint8_t> der, CertSummary& out);

}  // namespace sockeye::dpi::x509
