#include "platform/base/id.hpp"
#include "platform/base/uuid_v7.hpp"

#include <sodium.h>

#include <cstring>

#include "platform/base/assert.hpp"

namespace omc {
namespace {

// Where each byte's two hex digits sit in the canonical 8-4-4-4-12 text; the dashes are at 8,
// 13, 18 and 23. Ids are parsed and formatted several times per request (tenant, request id,
// every listed record), so both work from this table instead of testing for dashes per digit.
constexpr std::array<uint8_t, 16> kDigitOffsets = {0,  2,  4,  6,  9,  11, 14, 16,
                                                   19, 21, 24, 26, 28, 30, 32, 34};

// 0..15 for a hex digit of either case, 0xFF for anything else.
constexpr std::array<uint8_t, 256> kHexValues = [] {
    std::array<uint8_t, 256> values{};
    values.fill(0xFF);
    for (int c = '0'; c <= '9'; ++c) values[c] = static_cast<uint8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) values[c] = static_cast<uint8_t>(c - 'a' + 10);
    for (int c = 'A'; c <= 'F'; ++c) values[c] = static_cast<uint8_t>(c - 'A' + 10);
    return values;
}();

}  // namespace

std::optional<Uuid> Uuid::Parse(std::string_view text) {
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
        text[23] != '-') {
        return std::nullopt;
    }
    std::array<uint8_t, 16> bytes{};
    for (size_t b = 0; b < 16; ++b) {
        const uint8_t hi = kHexValues[static_cast<unsigned char>(text[kDigitOffsets[b]])];
        const uint8_t lo = kHexValues[static_cast<unsigned char>(text[kDigitOffsets[b] + 1])];
        if ((hi | lo) == 0xFF) return std::nullopt;
        bytes[b] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return Uuid(bytes);
}

std::string Uuid::ToString() const {
    static constexpr char kHex[] = "0123456789abcdef";
    char out[] = "00000000-0000-0000-0000-000000000000";
    for (size_t b = 0; b < 16; ++b) {
        out[kDigitOffsets[b]] = kHex[bytes_[b] >> 4];
        out[kDigitOffsets[b] + 1] = kHex[bytes_[b] & 0xF];
    }
    return std::string(out, sizeof(out) - 1);  // without the NUL
}

bool Uuid::IsNil() const {
    for (uint8_t b : bytes_) {
        if (b != 0) return false;
    }
    return true;
}

int64_t Uuid::UnixMs() const {
    int64_t ms = 0;
    for (size_t i = 0; i < 6; ++i) ms = (ms << 8) | bytes_[i];
    return ms;
}

void RandomBytes(uint8_t* out, size_t size) {
    static const int init = sodium_init();  // thread-safe; idempotent
    ERP_INVARIANT(init >= 0, "libsodium failed to initialise");
    // libsodium's system generator makes one getrandom() call per request; ids are made on every
    // request, so each thread draws 4 KiB at a time and hands it out. Bytes handed out are
    // wiped from the buffer. (A forked child must exec before making ids, as ours do.)
    struct Pool {
        std::array<uint8_t, 4096> bytes{};
        size_t next = 4096;
    };
    thread_local Pool pool;
    if (size > pool.bytes.size() / 4) {
        randombytes_buf(out, size);
        return;
    }
    if (pool.next + size > pool.bytes.size()) {
        randombytes_buf(pool.bytes.data(), pool.bytes.size());
        pool.next = 0;
    }
    std::memcpy(out, pool.bytes.data() + pool.next, size);
    sodium_memzero(pool.bytes.data() + pool.next, size);
    pool.next += size;
}

std::string RandomHex(size_t bytes) {
    std::string raw(bytes, '\0');
    RandomBytes(reinterpret_cast<uint8_t*>(raw.data()), bytes);
    std::string out(bytes * 2, '\0');
    static constexpr char kHex[] = "0123456789abcdef";
    for (size_t i = 0; i < bytes; ++i) {
        out[2 * i] = kHex[static_cast<uint8_t>(raw[i]) >> 4];
        out[2 * i + 1] = kHex[static_cast<uint8_t>(raw[i]) & 0xF];
    }
    return out;
}

Uuid UuidV7At(int64_t unix_ms, std::array<uint8_t, 16> bytes) {
    for (int i = 5; i >= 0; --i) {
        bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(unix_ms & 0xFF);
        unix_ms >>= 8;
    }
    bytes[6] = static_cast<uint8_t>(0x70 | (bytes[6] & 0x0F));
    bytes[8] = static_cast<uint8_t>(0x80 | (bytes[8] & 0x3F));
    return Uuid(bytes);
}

Uuid RandomIdGenerator::NewV7() {
    std::array<uint8_t, 16> b{};
    RandomBytes(b.data(), b.size());
    int64_t ms = clock_.NowUs() / 1000;
    uint16_t seq = 0;
    {
        std::lock_guard lock(mu_);
        if (ms <= last_ms_) {
            // Same (or an earlier, if the wall clock stepped back) millisecond: keep order.
            ms = last_ms_;
            if (++counter_ > 0x0FFF) {  // 4096 ids in one ms: borrow the next millisecond
                ms = ++last_ms_;
                counter_ = 0;
            }
        } else {
            last_ms_ = ms;
            counter_ = static_cast<uint16_t>((b[6] << 4 | b[7] >> 4) &
                                             0x03FF);  // random start, room to count
        }
        seq = counter_;
    }
    for (int i = 5; i >= 0; --i) {
        b[static_cast<size_t>(i)] = static_cast<uint8_t>(ms & 0xFF);
        ms >>= 8;
    }
    b[6] = static_cast<uint8_t>(0x70 | ((seq >> 8) & 0x0F));
    b[7] = static_cast<uint8_t>(seq & 0xFF);
    b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3F));  // RFC 4122 variant
    return Uuid(b);
}

}  // namespace omc
