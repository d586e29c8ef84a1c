#include "capture/memory_source.hpp"

namespace sockeye::capture {

std::unique_ptr<MemorySource> MemorySource::load(PacketSource& source) {
    auto mem = std::make_unique<MemorySource>();
    mem->link_type_ = source.link_type();
    mem->name_ = source.name();
    core::RawFrame f;
    for (;;) {
        const auto status = source.next(f);
        if (status == NextStatus::timeout) continue;
        if (status == NextStatus::end) break;
        if (status == NextStatus::error) {
            mem->error_ = source.error();
            break;
        }
        mem->frames_.push_back({f.ts_ns, f.wire_len, static_cast<std::uint32_t>(f.bytes.size()),
                                mem->data_.size(), f.link_type});
        mem->data_.insert(mem->data_.end(), f.bytes.begin(), f.bytes.end());
    }
    return mem;
}

NextStatus MemorySource::next_batch(std::span<core::RawFrame> out, std::size_t& count) {
    count = 0;
    while (count < out.size() && next(out[count]) == NextStatus::frame) ++count;
    return count != 0 ? NextStatus::frame : NextStatus::end;
}

NextStatus MemorySource::next(core::RawFrame& out) {
    if (cursor_ >= frames_.size()) return NextStatus::end;
    const Frame& f = frames_[cursor_++];
    out.ts_ns = f.ts_ns;
    out.wire_len = f.wire_len;
    out.bytes = {data_.data() + f.offset, f.cap_len};
    out.interface_id = 0;
    out.link_type = f.link_type;
    out.comment = {};
    return NextStatus::frame;
}

}  // namespace sockeye::capture
