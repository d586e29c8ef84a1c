// Numbers as people read them in a table: "1.2 MB", "3.4 MB/s", "12.3 ms",
// "2m 05s". Fixed widths are the table's job; these only pick units.
#pragma once

#include <cstdint>
#include <string>

#include "core/ip_address.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::tui {

// What `b` toggles: bytes ("MB", "MB/s") or bits ("Mb", "Mb/s"; a lowercase
// b is a bit, as in link speeds).
enum class Units : std::uint8_t { bytes, bits };
template <typename Settings>  // TableSettings, without the include
constexpr Units units_of(const Settings& s) { return s.bits ? Units::bits : Units::bytes; }

// Decimal units (kB = 1000 B), as network tools count: "0 B", "999 B", "1.2 kB", "34 MB";
// in bits: "0 b", "8.0 kb", "272 Mb".
std::string format_bytes(std::uint64_t bytes, Units units = Units::bytes);
// "0 B/s", "1.2 kB/s", "3.4 MB/s" (bits: "27 Mb/s"); negative or NaN rates read as 0.
std::string format_rate(double bytes_per_s, Units units = Units::bytes);
// "0.4 ms", "12.3 ms", "1.25 s"; "-" when unknown (< 0).
std::string format_rtt(std::int64_t ns);
// "0s", "42s", "3m 05s", "2h 07m", "3d 04h".
std::string format_duration(std::int64_t ns);
// Counts with a thin unit: "999", "12.3k", "4.5M".
std::string format_count(std::uint64_t n);
// Wall-clock time of a packet timestamp, UTC: "12:34:56.789".
std::string format_clock(std::int64_t epoch_ns);
// The local time of day of an epoch time: "12:34:56" (live footers).
std::string format_local_time(std::int64_t epoch_ns);
// "1.2.3.4:443", "[::1]:53"; just the address for port-less protocols.
std::string format_endpoint(const core::IpAddress& ip, std::uint16_t port,
                            snapshot::FlowProtocol protocol);
// Where a remote address is: "DE Berlin", "US", or for an address no
// database is asked about its range ("private", "loopback"); "" unknown.
std::string format_country(const snapshot::GeoInfo& geo);
// "AS3320 Deutsche Telekom AG", "AS3320", or the organisation alone; "" unknown.
std::string format_network(const snapshot::GeoInfo& geo);

// A process in a container or a Kubernetes pod (a systemd unit is neither).
bool in_container(const snapshot::ProcessInfo& p);
// The container on one line: "web (docker 3f2a9c1b7d4e)", with the id cut to
// the 12 digits `docker ps` shows; "docker 3f2a9c1b7d4e" when the runtime
// did not name it; "coredns (kubernetes)"; "systemd nginx.service"; "" on
// the host.
std::string format_container(const snapshot::ProcessInfo& p);
// A Kubernetes pod: "kube-system/coredns-5d78c9869d-x7k2p", or "uid UID"
// when the kubelet's directories did not name it; "" outside a pod.
std::string format_pod(const snapshot::ProcessInfo& p);

}  // namespace sockeye::tui
