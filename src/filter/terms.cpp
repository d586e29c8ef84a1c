#include "filter/terms.hpp"

#include <array>
#include <string>

#include "core/address_scope.hpp"
#include "dpi/registry.hpp"
#include "enrich/service_names.hpp"

namespace sockeye::filter {
namespace {

using snapshot::FlowProtocol;
using snapshot::FlowState;

enum class KeyKind : std::uint8_t { text, number, port, address, protocol, state, user };

struct Keyword {
    std::string_view name;
    KeyKind kind;
    std::uint16_t text_fields = 0;        // text
    bool exact = false;                   // text: whole value instead of substring
    NumberField number = NumberField::bytes;  // number, port
    Unit unit = Unit::integer;            // number
    Side side = Side::either;             // port, address
};

constexpr Keyword text_key(std::string_view name, std::uint16_t fields, bool exact) {
    return Keyword{name, KeyKind::text, fields, exact};
}
constexpr Keyword number_key(std::string_view name, NumberField field, Unit unit) {
    return Keyword{name, KeyKind::number, 0, false, field, unit};
}
constexpr Keyword port_key(std::string_view name, NumberField field, Side side) {
    return Keyword{name, KeyKind::port, 0, false, field, Unit::integer, side};
}
constexpr Keyword address_key(std::string_view name, Side side) {
    return Keyword{name, KeyKind::address, 0, false, NumberField::bytes, Unit::integer, side};
}

constexpr std::array kKeywords = {
    port_key("port", NumberField::port, Side::either),
    port_key("sport", NumberField::source_port, Side::source),
    port_key("dport", NumberField::destination_port, Side::destination),
    address_key("src", Side::source),
    address_key("dst", Side::destination),
    address_key("addr", Side::either),
    address_key("ip", Side::either),
    Keyword{"proto", KeyKind::protocol},
    Keyword{"protocol", KeyKind::protocol},
    Keyword{"state", KeyKind::state},
    Keyword{"user", KeyKind::user},
    text_key("process", kProcessName, false),
    text_key("sni", kDomain, false),
    text_key("host", kDomain, false),
    text_key("domain", kDomain, false),
    text_key("name", kRemoteName, false),
    text_key("app", kAppProtocol, true),
    text_key("service", kService, true),
    text_key("country", kCountry, true),
    text_key("city", kCity, false),
    text_key("org", kOrganisation, false),
    text_key("vendor", kVendor, false),
    text_key("container", kContainer, false),
    text_key("pod", kPod, false),
    number_key("pid", NumberField::pid, Unit::integer),
    number_key("bytes", NumberField::bytes, Unit::bytes),
    number_key("bytes_sent", NumberField::bytes_sent, Unit::bytes),
    number_key("up", NumberField::bytes_sent, Unit::bytes),
    number_key("bytes_received", NumberField::bytes_received, Unit::bytes),
    number_key("down", NumberField::bytes_received, Unit::bytes),
    number_key("packets", NumberField::packets, Unit::count),
    number_key("packets_sent", NumberField::packets_sent, Unit::count),
    number_key("packets_received", NumberField::packets_received, Unit::count),
    number_key("rtt", NumberField::rtt, Unit::duration_ms),
    number_key("rate", NumberField::rate, Unit::rate),
    number_key("rate_up", NumberField::rate_sent, Unit::rate),
    number_key("rate_down", NumberField::rate_received, Unit::rate),
    number_key("age", NumberField::age, Unit::duration_s),
    number_key("idle", NumberField::idle, Unit::duration_s),
    number_key("retransmits", NumberField::retransmits, Unit::count),
    number_key("vlan", NumberField::vlan, Unit::integer),
    number_key("asn", NumberField::asn, Unit::integer),
};

const Keyword* find_keyword(std::string_view key) {
    const std::string lowered = ascii_lower(key);
    for (const auto& k : kKeywords) {
        if (k.name == lowered) return &k;
    }
    return nullptr;
}

struct Term {
    const Token& token;
    const Keyword& keyword;
    FilterError& error;

    bool fail(std::string message, std::size_t position) const {
        error.message = std::move(message);
        error.position = position;
        return false;
    }
    [[nodiscard]] std::string key() const { return token.text; }
    bool fail_bad_value(std::string_view what) const {
        return fail(std::string(what) + " '" + printable_excerpt(token.value) + "'", token.value_position);
    }
    bool is_regex() const { return token.value_kind == ValueKind::regex; }
    bool require_equality() const {
        if (token.op == CompareOp::eq || token.op == CompareOp::ne) return true;
        return fail("operator '" + std::string(compare_op_text(token.op)) + "' needs a number; '" + key() +
                        "' takes ':' or '='",
                    token.op_position);
    }
    bool reject_regex() const {
        if (!is_regex()) return true;
        return fail("'" + key() + "' takes a number, not a regex", token.value_position);
    }
    bool regex_test(std::uint16_t fields, Expr& out) const {
        std::size_t offset = 0;
        auto m = TextMatcher::regex(token.value, offset);
        // +1: past the opening slash.
        if (!m) return fail(m.error().message, token.value_position + 1 + offset);
        out = Expr::make_test(TextTest{fields, std::move(m).value()});
        return true;
    }
    void text_test(std::uint16_t fields, bool exact, std::string_view value, Expr& out) const {
        out = Expr::make_test(TextTest{fields, exact ? TextMatcher::exact(value) : TextMatcher::contains(value)});
    }
};

NumberOp number_op(CompareOp op) {
    switch (op) {
        case CompareOp::gt: return NumberOp::gt;
        case CompareOp::ge: return NumberOp::ge;
        case CompareOp::lt: return NumberOp::lt;
        case CompareOp::le: return NumberOp::le;
        case CompareOp::eq:
        case CompareOp::ne: break;
    }
    return NumberOp::eq;
}

// The names the DPI detector writes (its probes' and the connections they
// announce, like FTP-DATA).
bool is_app_protocol(std::string_view value) {
    const std::string v = ascii_lower(value);
    for (const auto& probe : dpi::probe_registry()) {
        if (ascii_lower(probe.name) == v) return true;
        if (!probe.expects.empty() && ascii_lower(probe.expects) == v) return true;
    }
    return false;
}

// A two-letter country code, or the range of an address no database is
// asked about ("private", "loopback", ...).
bool is_country(std::string_view value) {
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (value.size() == 2 && letter(value[0]) && letter(value[1])) return true;
    const std::string v = ascii_lower(value);
    for (int s = 1; s <= static_cast<int>(core::AddressScope::reserved); ++s)
        if (core::scope_name(static_cast<core::AddressScope>(s)) == v) return true;
    return false;
}

bool build_text(const Term& t, Expr& out) {
    if (!t.require_equality()) return false;
    if (t.is_regex()) return t.regex_test(t.keyword.text_fields, out);
    std::string_view value = t.token.value;
    // Keywords with a closed set of values say so at once for a value no
    // flow can have, as state: does, rather than match nothing in silence.
    if (t.keyword.text_fields == kAppProtocol) {
        if (ascii_lower(value) == "none" || ascii_lower(value) == "unknown") {
            value = {};  // a flow with no detected application protocol
        } else if (!is_app_protocol(value)) {
            return t.fail_bad_value("unknown application");
        }
    }
    if (t.keyword.text_fields == kService && !enrich::is_service_name(value))
        return t.fail_bad_value("unknown service");
    if (t.keyword.text_fields == kCountry && !is_country(value))
        return t.fail_bad_value("not a country code or address range");
    t.text_test(t.keyword.text_fields, t.keyword.exact, value, out);
    return true;
}

bool build_number(const Term& t, Expr& out) {
    if (!t.reject_regex()) return false;
    const auto value = parse_quantity(t.token.value, t.keyword.unit);
    if (!value) return t.fail_bad_value("bad number");
    // Fields with a range: a value past it can only be a typo.
    struct Limit {
        NumberField field;
        double max;
        std::string_view what;
    };
    static constexpr std::array kLimits{
        Limit{NumberField::vlan, 4095, "VLAN id out of range 0-4095"},
        Limit{NumberField::asn, 4294967295.0, "AS number out of range 0-4294967295"},
        Limit{NumberField::pid, 4194304, "pid out of range 0-4194304"},
    };
    for (const auto& limit : kLimits)
        if (t.keyword.number == limit.field && *value > limit.max) return t.fail_bad_value(limit.what);
    out = Expr::make_test(NumberTest{t.keyword.number, number_op(t.token.op), *value, 0});
    return true;
}

std::optional<double> parse_port(std::string_view text) {
    const auto v = parse_quantity(text, Unit::integer);
    if (!v || *v > 65535) return std::nullopt;
    return v;
}

// port:443, port>1024, port:8000-8100; `port` alone tests either side.
bool build_port(const Term& t, Expr& out) {
    if (!t.reject_regex()) return false;
    const std::string_view text = t.token.value;
    NumberTest test{t.keyword.number, number_op(t.token.op), 0, 0};
    const auto dash = text.find('-');
    if (dash != std::string_view::npos) {
        const auto low = parse_port(text.substr(0, dash));
        const auto high = parse_port(text.substr(dash + 1));
        if (!low || !high || *low > *high) return t.fail_bad_value("bad port range");
        if (test.op != NumberOp::eq) return t.fail("a port range takes ':' or '='", t.token.op_position);
        test.op = NumberOp::between;
        test.value = *low;
        test.high = *high;
    } else {
        const auto port = parse_port(text);
        if (!port) return t.fail_bad_value("bad port");
        test.value = *port;
    }
    out = Expr::make_test(test);
    return true;
}

bool build_address(const Term& t, Expr& out) {
    if (!t.require_equality()) return false;
    const Side side = t.keyword.side;
    std::uint16_t address_fields = 0;
    if (side != Side::destination) address_fields |= kSourceAddress;
    if (side != Side::source) address_fields |= kDestinationAddress | kRemoteName;
    if (t.is_regex()) return t.regex_test(address_fields, out);
    Prefix prefix;
    switch (parse_prefix(t.token.value, prefix)) {
        case PrefixParse::ok: out = Expr::make_test(AddressTest{side, prefix}); return true;
        case PrefixParse::bad_length: return t.fail_bad_value("bad prefix length in");
        case PrefixParse::not_an_address: break;
    }
    if (side == Side::source) {
        return t.fail("'src' takes an address or prefix; names are known for the remote side only (dst:NAME)",
                      t.token.value_position);
    }
    t.text_test(kRemoteName, false, t.token.value, out);
    return true;
}

bool build_protocol(const Term& t, Expr& out) {
    if (!t.require_equality()) return false;
    if (t.is_regex()) return t.regex_test(kProtocol, out);
    const std::string v = ascii_lower(t.token.value);
    if (const auto number = parse_quantity(v, Unit::integer)) {
        if (*number > 255) return t.fail_bad_value("bad protocol number");
        out = Expr::make_test(NumberTest{NumberField::ip_proto, NumberOp::eq, *number, 0});
        return true;
    }
    FlowProtocol p{};
    if (v == "tcp") p = FlowProtocol::tcp;
    else if (v == "udp") p = FlowProtocol::udp;
    else if (v == "icmp") p = FlowProtocol::icmp;
    else if (v == "icmpv6" || v == "icmp6") p = FlowProtocol::icmpv6;
    else if (v == "arp") p = FlowProtocol::arp;
    else if (v == "ip" || v == "other") p = FlowProtocol::other;
    else return t.fail_bad_value("unknown protocol");
    out = Expr::make_test(ProtocolTest{p});
    return true;
}

bool build_state(const Term& t, Expr& out) {
    if (!t.require_equality()) return false;
    if (t.is_regex()) return t.regex_test(kState, out);
    std::string v = ascii_lower(t.token.value);
    for (char& c : v) {
        if (c == '-') c = '_';
    }
    // The names ss prints, besides ours.
    if (v == "estab") v = "established";
    if (v == "syn_recv") v = "syn_received";
    if (v == "fin_wait1") v = "fin_wait_1";
    if (v == "fin_wait2") v = "fin_wait_2";
    for (int s = 0; s <= static_cast<int>(FlowState::active); ++s) {
        const auto state = static_cast<FlowState>(s);
        if (ascii_lower(snapshot::state_name(state)) == v) {
            out = Expr::make_test(StateTest{state});
            return true;
        }
    }
    return t.fail_bad_value("unknown state");
}

// user:alice (exact name), user:1000 (uid), user:/regex/.
bool build_user(const Term& t, Expr& out) {
    if (!t.require_equality()) return false;
    if (t.is_regex()) return t.regex_test(kUser, out);
    if (const auto uid = parse_quantity(t.token.value, Unit::integer)) {
        out = Expr::make_test(NumberTest{NumberField::uid, NumberOp::eq, *uid, 0});
        return true;
    }
    t.text_test(kUser, true, t.token.value, out);
    return true;
}

bool build_field(const Token& token, std::string_view text, Expr& out, FilterError& error) {
    const Keyword* keyword = find_keyword(token.text);
    if (keyword == nullptr) {
        // A bare IPv6 address lexes as `fe80:...`: take it as the word it is.
        const std::string_view raw = text.substr(token.position, token.end - token.position);
        Prefix prefix;
        if (token.op == CompareOp::eq && parse_prefix(raw, prefix) == PrefixParse::ok) {
            Token word;
            word.kind = TokenKind::word;
            word.text = std::string(raw);
            word.position = token.position;
            return build_term(word, text, out, error);
        }
        error.message = "unknown keyword '" + printable_excerpt(token.text) + "'";
        error.position = token.position;
        return false;
    }
    const Term t{token, *keyword, error};
    bool ok = false;
    switch (keyword->kind) {
        case KeyKind::text: ok = build_text(t, out); break;
        case KeyKind::number: ok = build_number(t, out); break;
        case KeyKind::port: ok = build_port(t, out); break;
        case KeyKind::address: ok = build_address(t, out); break;
        case KeyKind::protocol: ok = build_protocol(t, out); break;
        case KeyKind::state: ok = build_state(t, out); break;
        case KeyKind::user: ok = build_user(t, out); break;
    }
    // `key!=value` is `not key=value` for every keyword, so a flow that
    // lacks the field (no process, no RTT yet) counts as different.
    if (ok && token.op == CompareOp::ne) out = Expr::make_not(std::move(out));
    return ok;
}

}  // namespace

bool build_term(const Token& token, std::string_view text, Expr& out, FilterError& error) {
    switch (token.kind) {
        case TokenKind::field: return build_field(token, text, out, error);
        case TokenKind::regex: {
            std::size_t offset = 0;
            auto m = TextMatcher::regex(token.text, offset);
            if (!m) {
                error.message = std::move(m).error().message;
                error.position = token.position + 1 + offset;
                return false;
            }
            out = Expr::make_test(TextTest{kBareFields, std::move(m).value()});
            return true;
        }
        case TokenKind::word:
        case TokenKind::quoted: {
            // A prefix as a bare word (10.0.0.0/8) can only mean the address test.
            Prefix prefix;
            if (token.kind == TokenKind::word && token.text.find('/') != std::string::npos &&
                parse_prefix(token.text, prefix) == PrefixParse::ok) {
                out = Expr::make_test(AddressTest{Side::either, prefix});
                return true;
            }
            out = Expr::make_test(TextTest{kBareFields, TextMatcher::contains(token.text)});
            return true;
        }
        default: break;
    }
    error.message = "expected a filter term";
    error.position = token.position;
    return false;
}

std::string_view keyword_list() {
    static const std::string list = [] {
        std::string out;
        for (const auto& k : kKeywords) out += (out.empty() ? "" : " ") + std::string(k.name);
        return out;
    }();
    return list;
}

}  // namespace sockeye::filter
