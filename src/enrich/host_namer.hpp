// The name shown for a remote host: what the host itself asked DNS for
// (sniffed DNS answers, the most telling name: "api.github.com", not the
// CDN's PTR name), else its reverse-DNS name, else nothing yet.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/ip_address.hpp"
#include "enrich/reverse_resolver.hpp"

namespace sockeye::enrich {

class HostNamer {
public:
    // Names learnt from sniffed DNS answers, newest first (dpi::NameTable).
    using SniffedLookup = std::function<std::vector<std::string>(const core::IpAddress&)>;

    // `resolver` may be null (--no-resolve): then only sniffed names are used.
    // It must outlive the HostNamer.
    HostNamer(SniffedLookup sniffed, ReverseResolver* resolver)
        : sniffed_(std::move(sniffed)), resolver_(resolver) {}

    // "" while no name is known. Asks the resolver about an address that has
    // no sniffed name, so a later call may return its PTR name.
    std::string name_for(const core::IpAddress& address);

private:
    SniffedLookup sniffed_;
    ReverseResolver* resolver_;
};

}  // namespace sockeye::enrich
