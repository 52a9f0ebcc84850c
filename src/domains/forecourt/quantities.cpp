#include "domains/forecourt/quantities.hpp"

#include <utility>
#include <vector>

#include "domains/forecourt/limits.hpp"
#include "platform/base/assert.hpp"

namespace omc::forecourt {

Volume ScaleVolume(Volume volume, int64_t numerator, int64_t denominator) {
    ERP_ASSERT(denominator != 0, "ScaleVolume by a zero denominator");
    const auto scaled = DivideRounded(static_cast<__int128>(volume.raw()) * numerator, denominator,
                                      kVolumeRounding);
    ERP_INVARIANT(scaled.has_value(), "ScaleVolume: inputs outside limits.hpp");
    return Volume(*scaled);
}

Error PrefixFields(const Error& error, std::string_view prefix) {
    std::vector<FieldError> fields;
    fields.reserve(error.fields().size());
    for (const FieldError& f : error.fields()) {
        fields.push_back({std::string(prefix) + "." + f.field, f.message});
    }
    std::string detail = error.detail();
    return Error(error.code(), error.message(), std::move(fields)).WithDetail(std::move(detail));
}

Error RenameField(const Error& error, std::string_view from, std::string_view to) {
    std::vector<FieldError> fields = error.fields();
    for (FieldError& f : fields) {
        if (f.field == from) f.field = std::string(to);
    }
    std::string detail = error.detail();
    return Error(error.code(), error.message(), std::move(fields)).WithDetail(std::move(detail));
}

Result<void> CheckVolume(std::string_view field, Volume volume) {
    if (volume.IsNegative()) return InvalidArgument(std::string(field), "must not be negative");
    if (volume.raw() > kMaxVolumeMl) {
        return InvalidArgument(std::string(field),
                               "must be at most " + std::to_string(kMaxVolumeMl) + " ml");
    }
    return Ok();
}

Result<void> CheckSignedVolume(std::string_view field, Volume volume) {
    if (volume.raw() > kMaxVolumeMl || volume.raw() < -kMaxVolumeMl) {
        return InvalidArgument(std::string(field),
                               "must be within ±" + std::to_string(kMaxVolumeMl) + " ml");
    }
    return Ok();
}

Result<void> CheckMoney(std::string_view field, Money amount) {
    if (amount.IsNegative()) return InvalidArgument(std::string(field), "must not be negative");
    if (amount.raw() > kMaxMoneyPesewas) {
        return InvalidArgument(std::string(field),
                               "must be at most " + std::to_string(kMaxMoneyPesewas) + " pesewas");
    }
    return Ok();
}

Result<void> CheckBasisPoints(std::string_view field, int64_t basis_points) {
    if (basis_points < 0 || basis_points > kBasisPointsPerWhole) {
        return InvalidArgument(std::string(field), "must be 0 to 10000 basis points");
    }
    return Ok();
}

std::string IndexedField(std::string_view name, size_t index) {
    return std::string(name) + "[" + std::to_string(index) + "]";
}

}  // namespace omc::forecourt
