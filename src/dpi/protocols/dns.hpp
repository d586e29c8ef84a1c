// DNS over UDP and TCP (2-byte length prefix), and the protocols that reuse
// its wire format: mDNS (5353), LLMNR (5355) and NetBIOS-NS (137).
//
// Fields: id, query_type, rcode, a, aaaa, cname (lists), response_time_us
// (query -> response, microseconds);
// domain = query name. NetBIOS-NS also: name, suffix (first-level decoded).
//
// Which of them a flow is follows the server's port: the destination of a
// query, the source of a response (QR bit). A client may send from 5353 or
// 137 to a resolver on 53: that is DNS.
#pragma once

#include <span>
#include <string>

#include "dpi/probe.hpp"

namespace sockeye::dpi {

Verdict probe_dns(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info);
Verdict probe_mdns(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);
Verdict probe_llmnr(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                    snapshot::AppInfo& info);
Verdict probe_netbios_ns(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                         snapshot::AppInfo& info);

// NetBIOS first-level encoding (RFC 1001 14.1): 32 letters 'A'..'P' -> the
// 15-character name (trailing spaces removed) and its suffix byte. False when
// `label` is not such an encoding.
bool decode_netbios_name(std::string_view label, std::string& name, std::uint8_t& suffix);

}  // namespace sockeye::dpi
