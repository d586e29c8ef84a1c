#include "filter/fields.hpp"

#include <string>

#include "enrich/service_names.hpp"

namespace sockeye::filter {
namespace {

double as_double(std::uint64_t v) { return static_cast<double>(v); }

}  // namespace

std::optional<double> number_field(const snapshot::FlowRecord& f, NumberField field, std::int64_t now_ns) {
    switch (field) {
        case NumberField::bytes: return as_double(f.bytes_sent) + as_double(f.bytes_received);
        case NumberField::bytes_sent: return as_double(f.bytes_sent);
        case NumberField::bytes_received: return as_double(f.bytes_received);
        case NumberField::packets: return as_double(f.packets_sent) + as_double(f.packets_received);
        case NumberField::packets_sent: return as_double(f.packets_sent);
        case NumberField::packets_received: return as_double(f.packets_received);
        case NumberField::rtt: {
            const std::int64_t rtt = f.kernel_srtt_ns >= 0 ? f.kernel_srtt_ns : f.srtt_ns;
            if (rtt < 0) return std::nullopt;
            return static_cast<double>(rtt);
        }
        case NumberField::rate: return f.sent_bytes_per_s + f.received_bytes_per_s;
        case NumberField::rate_sent: return f.sent_bytes_per_s;
        case NumberField::rate_received: return f.received_bytes_per_s;
        case NumberField::age: return static_cast<double>(now_ns) - static_cast<double>(f.first_seen_ns);
        case NumberField::idle: return static_cast<double>(now_ns) - static_cast<double>(f.last_seen_ns);
        case NumberField::retransmits: return static_cast<double>(f.retransmits);
        case NumberField::pid:
            if (!f.process) return std::nullopt;
            return static_cast<double>(f.process->pid);
        case NumberField::uid:
            if (!f.process) return std::nullopt;
            return static_cast<double>(f.process->uid);
        case NumberField::port:  // the evaluator asks for each side
        case NumberField::destination_port: return static_cast<double>(f.destination_port);
        case NumberField::source_port: return static_cast<double>(f.source_port);
        case NumberField::vlan: return static_cast<double>(f.vlan);
        case NumberField::asn:
            if (!f.remote_geo || f.remote_geo->asn == 0) return std::nullopt;
            return static_cast<double>(f.remote_geo->asn);
        case NumberField::ip_proto: return static_cast<double>(f.ip_proto);
    }
    return std::nullopt;
}

bool any_text_matches(const snapshot::FlowRecord& f, std::uint16_t fields, const TextMatcher& m) {
    if ((fields & kProcessName) != 0 && f.process) {
        if (m.matches(f.process->name)) return true;
        if (f.process->comm != f.process->name && m.matches(f.process->comm)) return true;
    }
    if ((fields & kUser) != 0 && f.process && m.matches(f.process->user)) return true;
    if ((fields & kRemoteName) != 0 && !f.remote_name.empty() && m.matches(f.remote_name)) return true;
    if ((fields & (kDomain | kAppProtocol)) != 0) {
        // A flow without DPI results has an empty application protocol, so
        // exact "" (app:none) finds it.
        const std::string_view protocol = f.app ? std::string_view(f.app->protocol) : std::string_view();
        if ((fields & kAppProtocol) != 0 && m.matches(protocol)) return true;
        if ((fields & kDomain) != 0 && f.app && !f.app->domain.empty() && m.matches(f.app->domain)) return true;
    }
    if ((fields & kService) != 0) {
        const std::string_view service = enrich::flow_service(f);
        if (!service.empty() && m.matches(service)) return true;
    }
    if ((fields & kProtocol) != 0 && m.matches(snapshot::protocol_name(f.protocol))) return true;
    if ((fields & kState) != 0 && m.matches(snapshot::state_name(f.state))) return true;
    if ((fields & kVendor) != 0 && f.remote_link && !f.remote_link->vendor.empty() &&
        m.matches(f.remote_link->vendor)) {
        return true;
    }
    if ((fields & (kContainer | kPod)) != 0 && f.process) {
        const snapshot::ProcessInfo& p = *f.process;
        // A systemd unit fills the same fields but is no container.
        const bool in_container = !p.container.empty() && p.container_kind != "systemd";
        if ((fields & kContainer) != 0 && in_container) {
            if (!p.container_name.empty() && m.matches(p.container_name)) return true;
            if (m.matches_prefix(p.container)) return true;
        }
        if ((fields & kPod) != 0 && !p.pod.empty()) {
            if (m.matches(p.pod)) return true;
            if (m.matches(p.pod_namespace + "/" + p.pod)) return true;
        }
    }
    if (const snapshot::GeoInfo* g = f.remote_geo.get()) {
        if ((fields & kCountry) != 0) {
            // An address no database is asked about answers to its range.
            const std::string_view country = g->scope == core::AddressScope::public_
                                                 ? std::string_view(g->country)
                                                 : core::scope_name(g->scope);
            if (!country.empty() && m.matches(country)) return true;
        }
        if ((fields & kCity) != 0 && !g->city.empty() && m.matches(g->city)) return true;
        if ((fields & kOrganisation) != 0 && !g->organisation.empty() && m.matches(g->organisation))
            return true;
    }
    // Last: formatting addresses allocates.
    if ((fields & kSourceAddress) != 0 && f.source_ip.family != core::IpFamily::none &&
        m.matches(f.source_ip.to_string())) {
        return true;
    }
    if ((fields & kDestinationAddress) != 0 && f.destination_ip.family != core::IpFamily::none &&
        m.matches(f.destination_ip.to_string())) {
        return true;
    }
    return false;
}

}  // namespace sockeye::filter
