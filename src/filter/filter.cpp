#include "filter/filter.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <new>

#include "filter/ast.hpp"
#include "filter/fields.hpp"
#include "filter/lexer.hpp"
#include "filter/parser.hpp"
#include "filter/terms.hpp"

namespace sockeye::filter {

struct Filter::Node {
    Expr expr;
};

namespace {

bool compare(double x, NumberOp op, double value, double high) {
    switch (op) {
        case NumberOp::eq: return x == value;
        case NumberOp::gt: return x > value;
        case NumberOp::ge: return x >= value;
        case NumberOp::lt: return x < value;
        case NumberOp::le: return x <= value;
        case NumberOp::between: return x >= value && x <= high;
    }
    return false;
}

bool test_number(const NumberTest& t, const snapshot::FlowRecord& flow, std::int64_t now_ns) {
    if (t.field == NumberField::port) {
        return compare(flow.source_port, t.op, t.value, t.high) ||
               compare(flow.destination_port, t.op, t.value, t.high);
    }
    const auto x = number_field(flow, t.field, now_ns);
    return x && compare(*x, t.op, t.value, t.high);
}

bool test_address(const AddressTest& t, const snapshot::FlowRecord& flow) {
    if (t.side != Side::destination && prefix_contains(t.prefix, flow.source_ip)) return true;
    return t.side != Side::source && prefix_contains(t.prefix, flow.destination_ip);
}

struct Evaluator {
    const snapshot::FlowRecord& flow;
    std::int64_t now_ns;

    bool operator()(const TextTest& t) const { return any_text_matches(flow, t.fields, t.matcher); }
    bool operator()(const NumberTest& t) const { return test_number(t, flow, now_ns); }
    bool operator()(const AddressTest& t) const { return test_address(t, flow); }
    bool operator()(const ProtocolTest& t) const { return flow.protocol == t.protocol; }
    bool operator()(const StateTest& t) const { return flow.state == t.state; }

    [[nodiscard]] bool eval(const Expr& e) const {
        switch (e.kind) {
            case Expr::Kind::all:
                for (const auto& c : e.children) {
                    if (!eval(c)) return false;
                }
                return true;
            case Expr::Kind::any:
                for (const auto& c : e.children) {
                    if (eval(c)) return true;
                }
                return false;
            case Expr::Kind::negate: return e.children.empty() || !eval(e.children.front());
            case Expr::Kind::test: return std::visit(*this, e.test);
        }
        return false;
    }
};

constexpr std::uint16_t kProcessFields = kProcessName | kUser | kContainer | kPod;

constexpr std::uint16_t kEnrichedFields =
    kProcessFields | kRemoteName | kCountry | kCity | kOrganisation | kVendor;

// Whether a test of `e` looks at the text `fields` or a number in `numbers`.
template <std::size_t N>
bool reads(const Expr& e, std::uint16_t fields, const NumberField (&numbers)[N]) {
    if (e.kind == Expr::Kind::test) {
        if (const auto* t = std::get_if<TextTest>(&e.test)) return (t->fields & fields) != 0;
        if (const auto* n = std::get_if<NumberTest>(&e.test))
            return std::find(std::begin(numbers), std::end(numbers), n->field) != std::end(numbers);
        return false;
    }
    for (const auto& c : e.children)
        if (reads(c, fields, numbers)) return true;
    return false;
}

constexpr NumberField kProcessNumbers[] = {NumberField::pid, NumberField::uid};
// rtt: the kernel's estimate of a local socket comes with its owner.
constexpr NumberField kEnrichedNumbers[] = {NumberField::pid, NumberField::uid, NumberField::asn,
                                            NumberField::rtt};

bool is_blank(std::string_view text) {
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
    }
    return true;
}

}  // namespace

// Filter's private members are set here only.
struct Compiler {
    static Filter make(Expr expr, std::string_view text) {
        Filter f;
        f.root_ = std::make_shared<const Filter::Node>(Filter::Node{std::move(expr)});
        f.text_ = std::string(text);
        return f;
    }
    static core::Result<Filter> run(std::string_view text) {
        if (text.size() > kMaxFilterLength) {
            return failed({"filter longer than " + std::to_string(kMaxFilterLength) + " characters",
                           kMaxFilterLength});
        }
        if (is_blank(text)) return Filter();
        LexResult lexed = tokenize(text);
        if (!lexed.ok) return failed(lexed.error);
        ParseResult parsed = parse(lexed.tokens, text);
        if (!parsed.ok) return failed(parsed.error);
        return make(std::move(parsed.expr), text);
    }
    static core::Error failed(const FilterError& error) {
        return {core::ErrorCode::bad_filter, describe(error)};
    }
};

Filter::Filter() = default;

bool Filter::matches(const snapshot::FlowRecord& flow) const { return matches_at(flow, flow.last_seen_ns); }

bool Filter::matches_at(const snapshot::FlowRecord& flow, std::int64_t now_ns) const {
    if (!root_) return true;
    return Evaluator{flow, now_ns}.eval(root_->expr);
}

bool Filter::matches_everything() const { return !root_; }

bool Filter::reads_process() const { return root_ && reads(root_->expr, kProcessFields, kProcessNumbers); }

bool Filter::reads_enrichment() const {
    return root_ && reads(root_->expr, kEnrichedFields, kEnrichedNumbers);
}

core::Result<Filter> compile(std::string_view text) {
    try {
        return Compiler::run(text);
    } catch (const std::exception&) {
        // Only allocation can throw here (regex errors are caught where
        // they happen); the UI keeps its last good filter.
        return core::Error{core::ErrorCode::resource_exhausted,
                           describe({"out of memory compiling the filter", 0})};
    }
}

std::string describe(const FilterError& error) {
    return error.message + " at " + std::to_string(error.position);
}

std::string_view keywords() { return keyword_list(); }

}  // namespace sockeye::filter
