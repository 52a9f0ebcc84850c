#include "domains/forecourt/strapping.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "domains/forecourt/limits.hpp"
#include "platform/base/assert.hpp"

namespace omc::forecourt {
namespace {

// Heights from a volume are rounded like volumes: half-even, to whole millimetres.
constexpr RoundingMode kLevelRounding = RoundingMode::kHalfEven;

constexpr StrappingPoint kOrigin{LevelMm(0), Volume(0)};

std::string PointField(size_t index, std::string_view member) {
    return IndexedField("points", index) + "." + std::string(member);
}

// y0 + (x - x0) × (y1 - y0) / (x1 - x0), rounded: linear interpolation in exact integers. The
// product is taken in __int128; limits.hpp keeps it far inside int64 anyway.
int64_t Interpolate(int64_t x, int64_t x0, int64_t x1, int64_t y0, int64_t y1, RoundingMode mode) {
    ERP_ASSERT(x0 < x1 && x0 <= x && x <= x1, "Interpolate outside its segment");
    const auto offset = DivideRounded(static_cast<__int128>(x - x0) * (y1 - y0), x1 - x0, mode);
    ERP_INVARIANT(offset.has_value(), "interpolation overflow");
    return y0 + *offset;
}

Result<void> CheckPoint(const StrappingPoint& point, const StrappingPoint& previous, size_t index) {
    if (point.height.IsNegative()) {
        return InvalidArgument(PointField(index, "height_mm"), "must not be negative");
    }
    if (point.volume.IsNegative()) {
        return InvalidArgument(PointField(index, "volume_ml"), "must not be negative");
    }
    if (index == 0 && point.height.IsZero()) return Ok();  // a sump volume at 0 mm is allowed
    if (point.height <= previous.height) {
        return InvalidArgument(PointField(index, "height_mm"),
                               index == 0 ? "must not be negative"
                                          : "must be above points[" + std::to_string(index - 1) +
                                                "].height_mm (heights strictly increase)");
    }
    if (point.volume <= previous.volume) {
        return InvalidArgument(
            PointField(index, "volume_ml"),
            index == 0 ? "must be positive when the first row is above 0 mm (the chart starts "
                         "from 0 ml at 0 mm)"
                       : "must be above points[" + std::to_string(index - 1) +
                             "].volume_ml (volumes strictly increase)");
    }
    return Ok();
}

}  // namespace

Result<StrappingChart> StrappingChart::Create(std::vector<StrappingPoint> points) {
    if (points.size() < 2) return InvalidArgument("points", "a chart needs at least 2 rows");
    if (points.size() > static_cast<size_t>(kMaxStrappingPoints)) {
        return InvalidArgument(
            "points", "a chart has at most " + std::to_string(kMaxStrappingPoints) + " rows");
    }
    for (size_t i = 0; i < points.size(); ++i) {
        OMC_TRY(CheckPoint(points[i], i == 0 ? kOrigin : points[i - 1], i));
    }
    const size_t top = points.size() - 1;
    if (points[top].height.raw() > kMaxTankHeightMm) {
        return InvalidArgument(PointField(top, "height_mm"),
                               "must be at most " + std::to_string(kMaxTankHeightMm) + " mm");
    }
    if (points[top].volume.raw() > kMaxTankVolumeMl) {
        return InvalidArgument(PointField(top, "volume_ml"),
                               "must be at most " + std::to_string(kMaxTankVolumeMl) + " ml");
    }
    return StrappingChart(std::move(points));
}

Result<Volume> StrappingChart::VolumeAtHeight(LevelMm height) const {
    if (height.IsNegative()) return InvalidArgument("height_mm", "must not be negative");
    if (height > top_height()) {
        return InvalidArgument("height_mm", "is above the top of the tank's chart (" +
                                                std::to_string(top_height().raw()) + " mm)");
    }
    // The first row at or above the height; it exists since height <= top.
    const auto upper =
        std::lower_bound(points_.begin(), points_.end(), height,
                         [](const StrappingPoint& p, LevelMm h) { return p.height < h; });
    ERP_ASSERT(upper != points_.end(), "height within the chart has a row above it");
    if (upper->height == height) return upper->volume;
    // Only a first row above 0 mm can be above a height with no row below it.
    const StrappingPoint& lower = upper == points_.begin() ? kOrigin : *(upper - 1);
    return Volume(Interpolate(height.raw(), lower.height.raw(), upper->height.raw(),
                              lower.volume.raw(), upper->volume.raw(), kVolumeRounding));
}

Result<LevelMm> StrappingChart::HeightForVolume(Volume volume) const {
    if (volume.IsNegative()) return InvalidArgument("volume_ml", "must not be negative");
    if (volume > capacity()) {
        return InvalidArgument("volume_ml", "is above the tank's capacity (" +
                                                std::to_string(capacity().raw()) + " ml)");
    }
    const auto upper =
        std::lower_bound(points_.begin(), points_.end(), volume,
                         [](const StrappingPoint& p, Volume v) { return p.volume < v; });
    ERP_ASSERT(upper != points_.end(), "volume within capacity has a row above it");
    if (upper->volume == volume) return upper->height;
    if (upper == points_.begin()) {
        // Below the first row: inside the sump when that row is at 0 mm, else from the origin.
        if (upper->height.IsZero()) return LevelMm(0);
        return LevelMm(Interpolate(volume.raw(), 0, upper->volume.raw(), 0, upper->height.raw(),
                                   kLevelRounding));
    }
    const StrappingPoint& lower = *(upper - 1);
    return LevelMm(Interpolate(volume.raw(), lower.volume.raw(), upper->volume.raw(),
                               lower.height.raw(), upper->height.raw(), kLevelRounding));
}

}  // namespace omc::forecourt
