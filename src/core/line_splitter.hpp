// The '\n'-separated lines of a text, as views into it (the last line may
// lack its newline): the /proc and /etc files attribution reads.
#pragma once

#include <cstddef>
#include <string_view>

namespace sockeye::core {

class LineSplitter {
public:
    explicit LineSplitter(std::string_view text) : text_(text) {}

    // The next line, without its '\n'; false after the last one.
    bool next(std::string_view& line) {
        if (pos_ >= text_.size()) return false;
        std::size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos) end = text_.size();
        line = text_.substr(pos_, end - pos_);
        pos_ = end + 1;
        return true;
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace sockeye::core
