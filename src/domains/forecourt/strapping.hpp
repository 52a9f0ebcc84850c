// A tank's strapping (calibration) chart: liquid height -> gross observed volume. Exact integer
// interpolation between the chart's rows; no floating point.
#pragma once

#include <cstdint>
#include <vector>

#include "domains/forecourt/quantities.hpp"
#include "platform/base/money.hpp"
#include "platform/base/result.hpp"

namespace omc::forecourt {

// One row of a chart: at `height` the tank holds `volume` (observed, at whatever temperature the
// liquid has: charts are geometric).
struct StrappingPoint {
    LevelMm height;
    Volume volume;
};

// A validated chart. Construct it only through Create, so every chart in memory is well formed.
//
// Below the first row: when the first row is above 0 mm, the chart behaves as if it began at
// (0 mm, 0 ml) and interpolates from there. Calibration tables often start at the first
// graduation rather than at the floor, and refusing a 20 mm dip in a tank whose chart starts at
// 50 mm would stop a reading that is valid. A first row at 0 mm may hold a volume (the sump below
// the dip datum); every height reads at least that.
class StrappingChart {
  public:
    // kInvalidArgument naming the point ("points", "points[3].height_mm", "points[3].volume_ml")
    // unless there are 2 to kMaxStrappingPoints rows, heights and volumes are non-negative and
    // strictly increase (including from the implied (0, 0) when the first row is above 0 mm),
    // and the top is within kMaxTankHeightMm and kMaxTankVolumeMl.
    static Result<StrappingChart> Create(std::vector<StrappingPoint> points);

    // The gross observed volume at `height`: linear between the two rows around it, rounded to
    // whole millilitres by kVolumeRounding (half-even). kInvalidArgument naming "height_mm" when
    // the height is negative or above the top row (a dip above the tank's chart).
    Result<Volume> VolumeAtHeight(LevelMm height) const;

    // The inverse, for ullage and gauges: the height at which the tank holds `volume`, rounded to
    // whole millimetres by kVolumeRounding. A volume below a first row at 0 mm (inside the sump)
    // reads 0 mm. kInvalidArgument naming "volume_ml" when negative or above capacity().
    Result<LevelMm> HeightForVolume(Volume volume) const;

    // The volume at the top row: what the chart says the tank holds when full.
    Volume capacity() const { return points_.back().volume; }
    LevelMm top_height() const { return points_.back().height; }
    const std::vector<StrappingPoint>& points() const { return points_; }

  private:
    explicit StrappingChart(std::vector<StrappingPoint> points) : points_(std::move(points)) {}

    std::vector<StrappingPoint> points_;
};

}  // namespace omc::forecourt
