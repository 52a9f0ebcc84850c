#include "domains/ledger/posting_ids.hpp"

#include <sodium.h>

#include <array>
#include <cctype>
#include <vector>

namespace omc::ledger {
namespace {

// A version-8 UUID (RFC 9562) from a BLAKE2b hash of `input`, keyed by a domain string so the
// two kinds of derived ids never meet.
Uuid HashedId(std::string_view domain, const std::vector<uint8_t>& input) {
    std::array<uint8_t, 16> out{};
    crypto_generichash(out.data(), out.size(), input.data(), input.size(),
                       reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
    out[6] = static_cast<uint8_t>((out[6] & 0x0F) | 0x80);  // version 8
    out[8] = static_cast<uint8_t>((out[8] & 0x3F) | 0x80);  // RFC 9562 variant
    return Uuid(out);
}

void Append(std::vector<uint8_t>& out, std::string_view text) {
    out.insert(out.end(), text.begin(), text.end());
    out.push_back(0);  // a separator no name contains
}

}  // namespace

Uuid DerivedEntryId(const Uuid& fact_id, std::string_view purpose) {
    std::vector<uint8_t> input(fact_id.bytes().begin(), fact_id.bytes().end());
    Append(input, purpose);
    return HashedId("omc.ledger.entry", input);
}

std::string NormalisedPartyName(std::string_view name) {
    std::string out;
    bool blank = false;
    for (const char c : name) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            blank = !out.empty();
            continue;
        }
        if (blank) out.push_back(' ');
        blank = false;
        out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return out;
}

Uuid PartyIdFromName(const TenantId& tenant, std::string_view kind, std::string_view name) {
    std::vector<uint8_t> input(tenant.value.bytes().begin(), tenant.value.bytes().end());
    Append(input, kind);
    Append(input, NormalisedPartyName(name));
    return HashedId("omc.ledger.party", input);
}

}  // namespace omc::ledger
