// SSH (RFC 4253): the identification banner of each side and the algorithm
// name-lists of its KEXINIT, the last thing SSH sends in clear.
//
// Fields per side (<side> = client | server): <side>_banner,
// <side>_software, <side>_kex, <side>_host_key, <side>_ciphers,
// <side>_macs, <side>_compression (lists; ciphers/macs/compression are the
// client-to-server lists, which both sides send identical in practice).
#pragma once

#include <span>

#include "dpi/probe.hpp"

namespace sockeye::dpi {

Verdict probe_ssh(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info);

}  // namespace sockeye::dpi
