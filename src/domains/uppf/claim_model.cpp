#include "domains/uppf/claim_model.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "platform/base/assert.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/rounding.hpp"

namespace omc::uppf {
namespace {

// litres (÷ 10^3) × km (÷ 10) × rate (÷ 10^4 pesewa) = pesewas ÷ 10^8.
constexpr int64_t kFreightDivisor = 100'000'000;
constexpr int kMinYear = 2000;
constexpr int kMaxYear = 9999;
constexpr int kMonths = 12;

}  // namespace

std::string_view QuantityBasisName(QuantityBasis basis) {
    return basis == QuantityBasis::kLoaded ? "loaded" : "received";
}

std::optional<QuantityBasis> ParseQuantityBasis(std::string_view name) {
    if (name == "loaded") return QuantityBasis::kLoaded;
    if (name == "received") return QuantityBasis::kReceived;
    return std::nullopt;
}

std::string_view ExclusionName(Exclusion exclusion) {
    switch (exclusion) {
        case Exclusion::kNone:
            return "";
        case Exclusion::kDiversion:
            return "diversion";
        case Exclusion::kBelowMinDistance:
            return "below_min_distance";
    }
    FailInvariant("exclusion", "unknown exclusion", __FILE__, __LINE__);
}

Result<TripFreight> ComputeTripFreight(const TripInput& trip, const FreightRate& rate) {
    if (trip.loaded_milli <= 0) return InvalidArgument("loaded_milli", "must be positive");
    if (trip.received_milli < 0) return InvalidArgument("received_milli", "must not be negative");
    if (trip.distance_km_e1 < 0) return InvalidArgument("distance_km_e1", "must not be negative");
    if (rate.rate_per_litre_km_e4 <= 0) {
        return InvalidArgument("rate_per_litre_km_e4", "must be positive");
    }
    TripFreight f;
    f.claimed_milli =
        rate.basis == QuantityBasis::kLoaded ? trip.loaded_milli : trip.received_milli;
    f.paid_distance_km_e1 = rate.max_distance_km_e1
                                ? std::min(trip.distance_km_e1, *rate.max_distance_km_e1)
                                : trip.distance_km_e1;
    // Two int64 factors always fit in 128 bits; the third only below the limit.
    const __int128 litre_km = static_cast<__int128>(f.claimed_milli) * f.paid_distance_km_e1;
    constexpr __int128 kMax128 = static_cast<__int128>((~static_cast<unsigned __int128>(0)) >> 1);
    if (litre_km > kMax128 / rate.rate_per_litre_km_e4) {
        return InvalidArgument("amount", "the freight does not fit");
    }
    const __int128 product = litre_km * rate.rate_per_litre_km_e4;
    const std::optional<int64_t> amount =
        DivideRounded(product, kFreightDivisor, RoundingMode::kHalfUp);
    if (!amount) return InvalidArgument("amount", "the freight does not fit");
    f.amount_pesewas = *amount;
    if (trip.diverted) {
        f.exclusion = Exclusion::kDiversion;
    } else if (rate.min_distance_km_e1 && trip.distance_km_e1 < *rate.min_distance_km_e1) {
        f.exclusion = Exclusion::kBelowMinDistance;
    }
    f.claimable_pesewas = f.exclusion == Exclusion::kNone ? f.amount_pesewas : 0;
    ERP_ASSERT(f.claimable_pesewas >= 0 && f.claimable_pesewas <= f.amount_pesewas,
               "claimable within the amount");
    return f;
}

std::optional<ClaimPeriod> ParseClaimPeriod(std::string_view text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    const std::string first = std::string(text) + "-01";
    if (!ParseDateDays(first)) return std::nullopt;
    const int year = std::stoi(std::string(text.substr(0, 4)));
    const int month = std::stoi(std::string(text.substr(5, 2)));
    if (year < kMinYear || year > kMaxYear || month < 1 || month > kMonths) return std::nullopt;
    constexpr std::array<int, kMonths> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int last = month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
    return ClaimPeriod{.period = std::string(text),
                       .first_day = first,
                       .last_day = fmt::format("{}-{:02}", text, last)};
}

std::string_view ClaimStatusName(ClaimStatus status) {
    switch (status) {
        case ClaimStatus::kDraft:
            return "draft";
        case ClaimStatus::kSubmitted:
            return "submitted";
        case ClaimStatus::kPartlySettled:
            return "partly_settled";
        case ClaimStatus::kSettled:
            return "settled";
    }
    FailInvariant("status", "unknown claim status", __FILE__, __LINE__);
}

std::optional<ClaimStatus> ParseClaimStatus(std::string_view name) {
    for (ClaimStatus s : {ClaimStatus::kDraft, ClaimStatus::kSubmitted, ClaimStatus::kPartlySettled,
                          ClaimStatus::kSettled}) {
        if (ClaimStatusName(s) == name) return s;
    }
    return std::nullopt;
}

Result<ClaimStatus> SettleClaim(ClaimStatus status, int64_t claimable_pesewas,
                                int64_t settled_pesewas, int64_t amount_pesewas, bool final) {
    ERP_ASSERT(claimable_pesewas >= 0 && settled_pesewas >= 0, "totals are not negative");
    if (status != ClaimStatus::kSubmitted && status != ClaimStatus::kPartlySettled) {
        return Error(ErrorCode::kConflict, "claim not open for settlement",
                     {{"id", "a " + std::string(ClaimStatusName(status)) +
                                 " claim takes no settlement (only submitted or partly_settled)"}});
    }
    const auto refuse = [](std::string message) {
        return Error(ErrorCode::kUnprocessable, "unusable settlement",
                     {{"amount", std::move(message)}});
    };
    if (amount_pesewas < 0) return refuse("must not be negative");
    if (amount_pesewas == 0 && !final) return refuse("must be positive (zero only when final)");
    const int64_t outstanding = claimable_pesewas - settled_pesewas;
    if (amount_pesewas > outstanding) {
        return refuse(fmt::format("is more than the {} pesewas outstanding", outstanding));
    }
    if (final || amount_pesewas == outstanding) return ClaimStatus::kSettled;
    return ClaimStatus::kPartlySettled;
}

}  // namespace omc::uppf
