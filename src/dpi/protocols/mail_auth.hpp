// What SMTP, IMAP and POP3 say about STARTTLS and SASL lands in the same
// AppInfo fields (`starttls`, `auth_mechanisms`, `auth_mechanism`), filled
// the same way by each of the three probes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "snapshot/app_info.hpp"

namespace sockeye::dpi::mail {

inline constexpr std::size_t kMaxMechanisms = 16;

// The server offers STARTTLS; a client's request, seen first, stays.
void set_starttls_offered(snapshot::AppInfo& info);
void set_starttls_requested(snapshot::AppInfo& info);
// Space-separated SASL mechanism names, upper-cased, each once, at most
// kMaxMechanisms in `out`.
void add_mechanisms(std::span<const std::uint8_t> words, std::vector<std::string>& out);
// The mechanism a client's AUTH / AUTHENTICATE command names (its first
// argument, in `arguments`).
void set_requested_mechanism(snapshot::AppInfo& info, std::span<const std::uint8_t> arguments);

}  // namespace sockeye::dpi::mail
