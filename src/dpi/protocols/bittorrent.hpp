// BitTorrent: the peer wire handshake over TCP (BEP 3: 19,
// "BitTorrent protocol", reserved, info_hash, peer_id) and DHT messages over
// UDP (BEP 5: a bencoded dictionary with "y" = q/r/e). Extracts the info_hash
// (hex) and each side's peer_id client prefix ("-qB4250-" -> "qB4250"); for
// DHT the message type and the query name.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_bittorrent(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                         snapshot::AppInfo& info);

}  // namespace sockeye::dpi
