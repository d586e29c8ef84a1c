#include "dpi/protocols/mail_auth.hpp"

#include <algorithm>

#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi::mail {

void set_starttls_offered(snapshot::AppInfo& info) {
    const auto* f = info.find("starttls");
    if (f == nullptr || f->text != "requested") info.set_text("starttls", "offered");
}

void set_starttls_requested(snapshot::AppInfo& info) { info.set_text("starttls", "requested"); }

void add_mechanisms(std::span<const std::uint8_t> words, std::vector<std::string>& out) {
    for (std::size_t i = 0; i < kMaxMechanisms && !words.empty(); ++i) {
        const auto word = text::first_word(words);
        if (word.empty()) break;
        std::string name = text::upper_copy_capped(word, 32);
        if (out.size() < kMaxMechanisms && std::find(out.begin(), out.end(), name) == out.end())
            out.push_back(std::move(name));
        words = text::after_first_word(words);
    }
}

void set_requested_mechanism(snapshot::AppInfo& info, std::span<const std::uint8_t> arguments) {
    info.set_text("auth_mechanism", text::upper_copy_capped(text::first_word(arguments), 32));
}

}  // namespace sockeye::dpi::mail
