// Fuzz target for the BTF reader (ebpf/btf_reader): the input is a whole
// BTF blob as /sys/kernel/btf/vmlinux would hold it. Besides the
// sanitizers, it checks the reader's promises: a refusal always says why,
// a found type has the name asked for, and lookups are repeatable.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "ebpf/btf_reader.hpp"
#include "ebpf/kernel_layout.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using sockeye::ebpf::BtfKind;
    const auto btf = sockeye::ebpf::BtfReader::parse(std::span<const std::uint8_t>(data, size));
    if (!btf) {
        check(!btf.error().message.empty());
        return 0;
    }
    check(btf->type_count() * 12 <= size);
    // Every type: its name, kind and size answer without reading outside.
    const std::uint32_t n = static_cast<std::uint32_t>(btf->type_count());
    for (std::uint32_t id = 0; id <= n + 1 && id < 4096; ++id) {
        (void)btf->name_of(id);
        (void)btf->kind_of(id);
        (void)btf->size_of(id);
    }
    for (const char* name : {"sock_common", "sock", "task_struct", "demo", "s"}) {
        const auto id = btf->find(BtfKind::structure, name);
        if (!id) continue;
        check(btf->name_of(*id) == name);
        for (const char* member : {"skc_family", "skc_num", "skc_daddr", "skc_v6_daddr", "comm", "a", "b", "x"}) {
            const auto f = btf->member(*id, member);
            const auto again = btf->member(*id, member);
            check(f.has_value() == again.has_value());
            if (!f) continue;
            check(f->offset == again->offset && f->size == again->size);
        }
    }
    (void)sockeye::ebpf::read_kernel_layout(*btf);
    return 0;
}
