// Ids the business postings derive, so that a retried fact posts the same entry (a no-op):
//   - DerivedEntryId: a second entry of one fact (a delivery's transit-loss claim, a claim's
//     submission) as a version-8 UUID hashed from the fact's id and a purpose name;
//   - PartyIdFromName: a stable party id for a counterparty that is still free text (a
//     delivery's transporter), hashed from the tenant and the name trimmed, with inner runs of
//     blanks made one space and upper-cased, until the AR/AP module has a master record for it.
#pragma once

#include <string>
#include <string_view>

#include "platform/base/id.hpp"

namespace omc::ledger {

Uuid DerivedEntryId(const Uuid& fact_id, std::string_view purpose);

// The normalised form the party id is hashed from ("  Haulage  ltd " -> "HAULAGE LTD").
std::string NormalisedPartyName(std::string_view name);
// kind: "transporter" (so a transporter and a customer of the same name never share an id).
Uuid PartyIdFromName(const TenantId& tenant, std::string_view kind, std::string_view name);

}  // namespace omc::ledger
