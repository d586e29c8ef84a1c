#include "ebpf/bpf_insn.hpp"

#include <bit>
#include <limits>

namespace sockeye::ebpf {
namespace {

constexpr std::size_t kUnbound = static_cast<std::size_t>(-1);

std::uint8_t reg_byte(Reg dst, Reg src) {
    // struct bpf_insn has `dst_reg:4, src_reg:4` bitfields: the first one is
    // the low nibble on little-endian ABIs and the high one on big-endian.
    if constexpr (std::endian::native == std::endian::little) {
        return static_cast<std::uint8_t>((dst & 0x0f) | ((src & 0x0f) << 4));
    } else {
        return static_cast<std::uint8_t>(((dst & 0x0f) << 4) | (src & 0x0f));
    }
}

}  // namespace

std::uint8_t size_code(int bytes) {
    switch (bytes) {
        case 1: return op::kB;
        case 2: return op::kH;
        case 4: return op::kW;
        default: return op::kDw;
    }
}

Insn make_insn(std::uint8_t code, Reg dst, Reg src, std::int16_t off, std::int32_t imm) {
    return Insn{code, reg_byte(dst, src), off, imm};
}

void ProgramBuilder::mov_imm(Reg dst, std::int32_t imm) {
    emit(make_insn(op::kAlu64 | op::kMov | op::kK, dst, R0, 0, imm));
}

void ProgramBuilder::mov_reg(Reg dst, Reg src) {
    emit(make_insn(op::kAlu64 | op::kMov | op::kX, dst, src, 0, 0));
}

void ProgramBuilder::mov32_reg(Reg dst, Reg src) {
    emit(make_insn(op::kAlu | op::kMov | op::kX, dst, src, 0, 0));
}

void ProgramBuilder::alu_imm(std::uint8_t alu_op, Reg dst, std::int32_t imm) {
    emit(make_insn(static_cast<std::uint8_t>(op::kAlu64 | alu_op | op::kK), dst, R0, 0, imm));
}

void ProgramBuilder::alu_reg(std::uint8_t alu_op, Reg dst, Reg src) {
    emit(make_insn(static_cast<std::uint8_t>(op::kAlu64 | alu_op | op::kX), dst, src, 0, 0));
}

void ProgramBuilder::load(int bytes, Reg dst, Reg src, std::int16_t off) {
    emit(make_insn(static_cast<std::uint8_t>(op::kLdx | op::kMem | size_code(bytes)), dst, src, off, 0));
}

void ProgramBuilder::store(int bytes, Reg dst, std::int16_t off, Reg src) {
    emit(make_insn(static_cast<std::uint8_t>(op::kStx | op::kMem | size_code(bytes)), dst, src, off, 0));
}

void ProgramBuilder::store_imm(int bytes, Reg dst, std::int16_t off, std::int32_t imm) {
    emit(make_insn(static_cast<std::uint8_t>(op::kSt | op::kMem | size_code(bytes)), dst, R0, off, imm));
}

void ProgramBuilder::load_map_fd(Reg dst, int map_fd) {
    // Two slots; the second carries the upper half of the immediate (0).
    emit(make_insn(op::kLd | op::kImm | op::kDw, dst, static_cast<Reg>(op::kPseudoMapFd), 0, map_fd));
    emit(Insn{});
}

void ProgramBuilder::load_imm64(Reg dst, std::uint64_t value) {
    emit(make_insn(op::kLd | op::kImm | op::kDw, dst, R0, 0,
                   static_cast<std::int32_t>(static_cast<std::uint32_t>(value))));
    emit(make_insn(0, R0, R0, 0, static_cast<std::int32_t>(static_cast<std::uint32_t>(value >> 32))));
}

void ProgramBuilder::call(std::int32_t helper_id) {
    emit(make_insn(op::kJmp | op::kCall, R0, R0, 0, helper_id));
}

void ProgramBuilder::exit() { emit(make_insn(op::kJmp | op::kExit, R0, R0, 0, 0)); }

Label ProgramBuilder::new_label() {
    labels_.push_back(kUnbound);
    return Label(labels_.size() - 1);
}

void ProgramBuilder::bind(Label label) {
    if (label.id_ < labels_.size()) labels_[label.id_] = insns_.size();
}

void ProgramBuilder::emit_jump(std::uint8_t code, Reg dst, Reg src, std::int32_t imm, Label target) {
    fixups_.push_back(Fixup{insns_.size(), target.id_});
    emit(make_insn(code, dst, src, 0, imm));
}

void ProgramBuilder::jump(Label target) { emit_jump(op::kJmp | op::kJa, R0, R0, 0, target); }

void ProgramBuilder::jump_imm(std::uint8_t jmp_op, Reg dst, std::int32_t imm, Label target) {
    emit_jump(static_cast<std::uint8_t>(op::kJmp | jmp_op | op::kK), dst, R0, imm, target);
}

void ProgramBuilder::jump_reg(std::uint8_t jmp_op, Reg dst, Reg src, Label target) {
    emit_jump(static_cast<std::uint8_t>(op::kJmp | jmp_op | op::kX), dst, src, 0, target);
}

core::Result<std::vector<Insn>> ProgramBuilder::finish() const {
    std::vector<Insn> out = insns_;
    for (const Fixup& f : fixups_) {
        if (f.label >= labels_.size() || labels_[f.label] == kUnbound) {
            return core::Error{core::ErrorCode::internal,
                               "jump at instruction " + std::to_string(f.at) + " to a label never bound"};
        }
        // The offset counts from the instruction after the jump.
        const auto delta = static_cast<std::int64_t>(labels_[f.label]) - static_cast<std::int64_t>(f.at) - 1;
        if (delta < std::numeric_limits<std::int16_t>::min() || delta > std::numeric_limits<std::int16_t>::max()) {
            return core::Error{core::ErrorCode::internal,
                               "jump at instruction " + std::to_string(f.at) + " is out of range"};
        }
        out[f.at].off = static_cast<std::int16_t>(delta);
    }
    return out;
}

}  // namespace sockeye::ebpf
