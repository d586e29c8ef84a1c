// An allocator for the flow table's large arrays (entries, their extras,
// the index, the idle lists) that asks the kernel for transparent huge
// pages (madvise(MADV_HUGEPAGE); THP's default "madvise" mode gives them
// only to memory that asks). Every frame reads a random bucket and a random
// entry out of megabytes: with 4 KiB pages each is a TLB miss too, which
// under a hypervisor is a two-level page walk, on top of the cache miss.
//
// Blocks under 2 MiB come from operator new as usual. Larger ones are
// mapped on a 2 MiB boundary and rounded up to whole huge pages; pages are
// still only backed once touched, so a large reservation costs nothing
// until flows arrive (at most one huge page of slack per array).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>

namespace sockeye::flow {

namespace huge_pages {

inline constexpr std::size_t kHugePage = std::size_t{2} << 20U;

inline std::size_t rounded(std::size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }

// `bytes` >= kHugePage: a mapping of rounded(bytes) starting on a huge page.
inline void* map(std::size_t bytes) {
    const std::size_t length = rounded(bytes);
    // One huge page more, so an aligned start exists; the slack is given back.
    void* raw = ::mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kHugePage - 1) & ~std::uintptr_t{kHugePage - 1};
    if (aligned != start) ::munmap(raw, aligned - start);
    const std::size_t tail = kHugePage - (aligned - start);
    if (tail != 0) ::munmap(reinterpret_cast<void*>(aligned + length), tail);
    auto* block = reinterpret_cast<void*>(aligned);
    // Only a hint: without THP the memory is ordinary pages.
    ::madvise(block, length, MADV_HUGEPAGE);
    return block;
}

inline void unmap(void* block, std::size_t bytes) { ::munmap(block, rounded(bytes)); }

}  // namespace huge_pages

template <typename T>
struct HugePageAllocator {
    using value_type = T;

    HugePageAllocator() = default;
    template <typename U>
    HugePageAllocator(const HugePageAllocator<U>& /*other*/) noexcept {}  // NOLINT: rebinding

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < huge_pages::kHugePage)
            return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
        return static_cast<T*>(huge_pages::map(bytes));
    }

    void deallocate(T* p, std::size_t n) noexcept {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < huge_pages::kHugePage) {
            ::operator delete(p, std::align_val_t{alignof(T)});
            return;
        }
        huge_pages::unmap(p, bytes);
    }

    template <typename U>
    bool operator==(const HugePageAllocator<U>& /*other*/) const noexcept {
        return true;
    }
};

}  // namespace sockeye::flow
