// TLS over TCP on any port: the record layer, ClientHello (SNI, ALPN, JA3,
// JA4), ServerHello (negotiated version, cipher suite) and, for TLS <= 1.2,
// the server certificate's subject, issuer and validity.
//
// Fields: version, negotiated_version, sni, alpn, alpn_selected,
// client_versions, cipher_suite, ja4, ja3, ja3_hash, cert_subject,
// cert_issuer, cert_not_before, cert_not_after. domain = SNI.
#pragma once

#include <span>

#include "dpi/probe.hpp"

namespace sockeye::dpi {

Verdict probe_tls(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info);

}  // namespace sockeye::dpi
