// The pure rules of UPPF freight claims: the freight of one delivery trip, the claim period of a
// month, and the claim's status after a settlement. No SQL, no HTTP (README.md in this folder).
//
// Scales: quantities in millilitres, distances in tenths of a km, the rate in ten-thousandths of
// a pesewa per litre per km (NPA's price scale), money in pesewas.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/base/result.hpp"

namespace omc::uppf {

// The quantity a trip is paid on. Which one NPA pays on is unconfirmed (GHANA_REFERENCE.md
// section 4: ambient, 15 °C or 20 °C), so it is a setting of each rate row.
enum class QuantityBasis { kLoaded, kReceived };
std::string_view QuantityBasisName(QuantityBasis basis);
std::optional<QuantityBasis> ParseQuantityBasis(std::string_view name);

// The freight settings in force on a trip's loading date (an `uppf_rates` row).
struct FreightRate {
    int64_t rate_per_litre_km_e4 = 0;  // > 0
    // The allowable-km cap: the distance above it is not paid. nullopt: no cap.
    std::optional<int64_t> max_distance_km_e1;
    // Trips shorter than this are not claimable. nullopt: none.
    std::optional<int64_t> min_distance_km_e1;
    QuantityBasis basis = QuantityBasis::kLoaded;
};

struct TripInput {
    int64_t loaded_milli = 0;    // the depot ticket's ambient quantity, > 0
    int64_t received_milli = 0;  // received at the station (standard), >= 0
    int64_t distance_km_e1 = 0;  // the route's distance on the loading date, >= 0
    bool diverted = false;       // delivered to a station other than the intended one
};

// Why a line's amount is not claimable.
enum class Exclusion { kNone, kDiversion, kBelowMinDistance };
std::string_view ExclusionName(Exclusion exclusion);  // "" for kNone

struct TripFreight {
    int64_t claimed_milli = 0;        // the quantity the basis picks
    int64_t paid_distance_km_e1 = 0;  // the distance, capped at max_distance_km_e1
    // claimed litres × paid km × rate, rounded once, half up, to the pesewa.
    int64_t amount_pesewas = 0;
    // amount_pesewas, or 0 when excluded (a diversion, a trip below the minimum distance).
    int64_t claimable_pesewas = 0;
    Exclusion exclusion = Exclusion::kNone;
};

// The freight of one trip. kInvalidArgument for negative inputs, a non-positive rate or a
// result that does not fit in int64.
Result<TripFreight> ComputeTripFreight(const TripInput& trip, const FreightRate& rate);

// A claim period "YYYY-MM" (years 2000..9999) and its first and last days ("YYYY-MM-DD").
struct ClaimPeriod {
    std::string period;
    std::string first_day;
    std::string last_day;
};
std::optional<ClaimPeriod> ParseClaimPeriod(std::string_view text);

enum class ClaimStatus { kDraft, kSubmitted, kPartlySettled, kSettled };
std::string_view ClaimStatusName(ClaimStatus status);
std::optional<ClaimStatus> ParseClaimStatus(std::string_view name);

// A settlement of `amount_pesewas` against a claim with `claimable_pesewas` in total of which
// `settled_pesewas` is already paid. Returns the claim's status afterwards: settled when the
// payments reach the claimable total or the settlement is `final` (NPA closed the claim short),
// else partly_settled.
// kConflict (field "id") unless the claim is submitted or partly_settled; kUnprocessable (field
// "amount") when the amount is negative, zero without `final`, or more than is outstanding.
Result<ClaimStatus> SettleClaim(ClaimStatus status, int64_t claimable_pesewas,
                                int64_t settled_pesewas, int64_t amount_pesewas, bool final);

}  // namespace omc::uppf
