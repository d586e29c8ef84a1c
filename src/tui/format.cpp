#include "tui/format.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace sockeye::tui {
namespace {

// One decimal below 10 units, none above: "1.2 MB", "34 MB", "512 MB".
std::string scaled(double value, const char* const* units, int unit_count, const char* suffix) {
    int unit = 0;
    while (value >= 999.5 && unit + 1 < unit_count) {
        value /= 1000.0;
        ++unit;
    }
    char buf[32];
    if (unit == 0) {
        std::snprintf(buf, sizeof buf, "%.0f %s%s", value, units[unit], suffix);
    } else if (value < 9.95) {
        std::snprintf(buf, sizeof buf, "%.1f %s%s", value, units[unit], suffix);
    } else {
        std::snprintf(buf, sizeof buf, "%.0f %s%s", value, units[unit], suffix);
    }
    return buf;
}

constexpr const char* kByteUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
constexpr int kByteUnitCount = 7;

constexpr const char* kBitUnits[] = {"b", "kb", "Mb", "Gb", "Tb", "Pb", "Eb"};

}  // namespace

std::string format_bytes(std::uint64_t bytes, Units units) {
    if (units == Units::bits) return scaled(static_cast<double>(bytes) * 8, kBitUnits, kByteUnitCount, "");
    return scaled(static_cast<double>(bytes), kByteUnits, kByteUnitCount, "");
}

std::string format_rate(double bytes_per_s, Units units) {
    if (!(bytes_per_s > 0)) bytes_per_s = 0;  // also catches NaN
    if (units == Units::bits) return scaled(bytes_per_s * 8, kBitUnits, kByteUnitCount, "/s");
    return scaled(bytes_per_s, kByteUnits, kByteUnitCount, "/s");
}

std::string format_rtt(std::int64_t ns) {
    if (ns < 0) return "-";
    const double ms = static_cast<double>(ns) / 1e6;
    char buf[32];
    if (ms < 99.95) {
        std::snprintf(buf, sizeof buf, "%.1f ms", ms);
    } else if (ms < 999.5) {
        std::snprintf(buf, sizeof buf, "%.0f ms", ms);
    } else {
        std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000.0);
    }
    return buf;
}

std::string format_duration(std::int64_t ns) {
    if (ns < 0) ns = 0;
    const std::int64_t s = ns / 1'000'000'000;
    char buf[32];
    if (s < 60) {
        std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
    } else if (s < 3600) {
        std::snprintf(buf, sizeof buf, "%lldm %02llds", static_cast<long long>(s / 60),
                      static_cast<long long>(s % 60));
    } else if (s < 86400) {
        std::snprintf(buf, sizeof buf, "%lldh %02lldm", static_cast<long long>(s / 3600),
                      static_cast<long long>((s / 60) % 60));
    } else {
        std::snprintf(buf, sizeof buf, "%lldd %02lldh", static_cast<long long>(s / 86400),
                      static_cast<long long>((s / 3600) % 24));
    }
    return buf;
}

std::string format_count(std::uint64_t n) {
    if (n < 1000) return std::to_string(n);
    constexpr const char* kUnits[] = {"", "k", "M", "G", "T", "P", "E"};
    std::string text = scaled(static_cast<double>(n), kUnits, 7, "");
    // scaled() puts a space before the unit; counts read better without it.
    const auto space = text.find(' ');
    if (space != std::string::npos) text.erase(space, 1);
    return text;
}

std::string format_clock(std::int64_t epoch_ns) {
    const std::time_t secs = static_cast<std::time_t>(epoch_ns / 1'000'000'000);
    const long long ms = (epoch_ns % 1'000'000'000) / 1'000'000;
    std::tm tm{};
    if (gmtime_r(&secs, &tm) == nullptr) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03lld", tm.tm_hour, tm.tm_min, tm.tm_sec,
                  ms < 0 ? 0 : ms);
    return buf;
}

std::string format_local_time(std::int64_t epoch_ns) {
    const std::time_t secs = static_cast<std::time_t>(epoch_ns / 1'000'000'000);
    std::tm tm{};
    if (localtime_r(&secs, &tm) == nullptr) return "-";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string format_endpoint(const core::IpAddress& ip, std::uint16_t port,
                            snapshot::FlowProtocol protocol) {
    const bool has_port =
        protocol == snapshot::FlowProtocol::tcp || protocol == snapshot::FlowProtocol::udp;
    if (!has_port) return ip.to_string();
    if (ip.is_v6()) return "[" + ip.to_string() + "]:" + std::to_string(port);
    return ip.to_string() + ":" + std::to_string(port);
}

std::string format_country(const snapshot::GeoInfo& geo) {
    if (geo.scope != core::AddressScope::public_) return std::string(core::scope_name(geo.scope));
    if (geo.city.empty()) return geo.country;
    return geo.country.empty() ? geo.city : geo.country + " " + geo.city;
}

std::string format_network(const snapshot::GeoInfo& geo) {
    if (geo.asn == 0) return geo.organisation;
    const std::string as = "AS" + std::to_string(geo.asn);
    return geo.organisation.empty() ? as : as + " " + geo.organisation;
}

bool in_container(const snapshot::ProcessInfo& p) {
    return !p.container.empty() && p.container_kind != "systemd" && !p.container_kind.empty();
}

std::string format_container(const snapshot::ProcessInfo& p) {
    if (p.container_kind.empty() && p.container.empty()) return "";
    if (!in_container(p)) return p.container_kind + (p.container.empty() ? "" : " " + p.container);
    if (p.container_kind == "kubernetes") return p.container_name.empty() ? "kubernetes" : p.container_name + " (kubernetes)";
    const std::string runtime = p.container_kind + " " + p.container.substr(0, 12);
    return p.container_name.empty() ? runtime : p.container_name + " (" + runtime + ")";
}

std::string format_pod(const snapshot::ProcessInfo& p) {
    if (p.container_kind != "kubernetes") return "";
    if (p.pod.empty()) return "uid " + p.container;
    return (p.pod_namespace.empty() ? "" : p.pod_namespace + "/") + p.pod;
}

}  // namespace sockeye::tui
