#include "domains/forecourt/vcf.hpp"

#include <limits>

#include <gtest/gtest.h>

namespace omc::forecourt {
namespace {

constexpr auto k15 = ReferenceTemperature::k15Celsius;
constexpr auto k20 = ReferenceTemperature::k20Celsius;

VolumeCorrection Vcf(int64_t density_e1, int64_t celsius_e2, ReferenceTemperature ref) {
    auto r = ComputeVcf(Density(density_e1), Temperature(celsius_e2), ref, kTable54B);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().fields().at(0).message);
    return r.ok() ? *r : VolumeCorrection{};
}

std::string FieldOf(const Error& e) { return e.fields().empty() ? "" : e.fields()[0].field; }

TEST(Vcf, DefaultTableIsValid) { EXPECT_TRUE(ValidateVcfBandTable(kTable54B).ok()); }

// GHANA_REFERENCE §9: the published Table 54B value 884 kg/m³ at 26 °C is 0.9913.
TEST(Vcf, PublishedTable54BValue) {
    const VolumeCorrection c = Vcf(8840, 2600, k15);
    EXPECT_EQ(c.band_group, "fuel_oils");
    EXPECT_NEAR(c.alpha15_per_celsius, 0.00078926, 5e-9);
    EXPECT_NEAR(c.vcf_unrounded, 0.991296, 5e-7);
    EXPECT_EQ(c.vcf_e4, 9913);
}

struct Vector15 {
    int64_t density_e1;
    const char* group;
    double alpha;
    double vcf;
    int64_t vcf_e4;
};

// The derived vectors at 30 °C, one per band.
TEST(Vcf, ReferenceVectorsAt30CelsiusOnePerBand) {
    const Vector15 vectors[] = {
        {7400, "gasolines", 0.00122559, 0.98152, 9815},
        {8400, "fuel_oils", 0.00084379, 0.98730, 9873},
        {8200, "jet_kerosene", 0.00088421, 0.98669, 9867},
        {7800, "transition", 0.00104240, 0.98429, 9843},
    };
    for (const Vector15& v : vectors) {
        SCOPED_TRACE(v.density_e1);
        const VolumeCorrection c = Vcf(v.density_e1, 3000, k15);
        EXPECT_EQ(c.band_group, v.group);
        EXPECT_NEAR(c.alpha15_per_celsius, v.alpha, 5e-9);
        EXPECT_NEAR(c.vcf_unrounded, v.vcf, 5e-6);
        EXPECT_EQ(c.vcf_e4, v.vcf_e4);
        EXPECT_EQ(c.vcf15_reference, 1.0);  // exactly: Δt = 0 at the 15 °C base
    }
}

// V20 = V_obs × VCF15(t) / VCF15(20), taken unrounded and rounded once.
TEST(Vcf, ReferenceVectorsTo20Celsius) {
    const VolumeCorrection petrol = Vcf(7400, 3000, k20);
    EXPECT_NEAR(petrol.vcf15_reference, 0.99386, 5e-6);
    EXPECT_NEAR(petrol.vcf_unrounded, 0.98758, 5e-6);
    EXPECT_EQ(petrol.vcf_e4, 9876);
    // Rounding both factors first would give 0.9815 / 0.9939 = 0.98752 -> 0.9875: not what we do.
    EXPECT_NE(petrol.vcf_e4, 9875);

    const VolumeCorrection fuel_oil = Vcf(8400, 3000, k20);
    EXPECT_NEAR(fuel_oil.vcf15_reference, 0.99578, 5e-6);
    EXPECT_NEAR(fuel_oil.vcf_unrounded, 0.99148, 5e-6);
    EXPECT_EQ(fuel_oil.vcf_e4, 9915);

    const VolumeCorrection diesel = Vcf(8200, 3000, k20);
    EXPECT_NEAR(diesel.vcf_unrounded, 0.99107, 5e-6);
    EXPECT_EQ(diesel.vcf_e4, 9911);
}

TEST(Vcf, AtTheReferenceTemperatureTheFactorIsExactlyOne) {
    EXPECT_EQ(Vcf(7400, 1500, k15).vcf_e4, 10'000);
    EXPECT_EQ(Vcf(7400, 1500, k15).vcf_unrounded, 1.0);
    // A depot ticket already compensated to 20 °C is entered at 20.00 °C: factor 1, not 0.99...
    EXPECT_EQ(Vcf(8300, 2000, k20).vcf_unrounded, 1.0);
    EXPECT_EQ(Vcf(8300, 2000, k20).vcf_e4, 10'000);
}

TEST(Vcf, ColdProductExpandsToTheReference) {
    EXPECT_GT(Vcf(7400, 1000, k15).vcf_e4, 10'000);
    EXPECT_GT(Vcf(8200, 1800, k20).vcf_e4, 10'000);  // 18 °C is below the 20 °C base
    EXPECT_LT(Vcf(8200, 1800, k15).vcf_e4, 10'000);  // but above the 15 °C one
}

// An edge belongs to the heavier band. The factor barely moves across an edge (the bands were
// fitted to join), so the band and α15 are what show it.
TEST(Vcf, BandEdgesBelongToTheHeavierBand) {
    const struct {
        int64_t density_e1;
        const char* group;
    } cases[] = {
        {6530, "gasolines"},    {7704, "gasolines"},    {7705, "transition"}, {7874, "transition"},
        {7875, "jet_kerosene"}, {8384, "jet_kerosene"}, {8385, "fuel_oils"},  {10750, "fuel_oils"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.density_e1);
        EXPECT_EQ(Vcf(c.density_e1, 3000, k15).band_group, c.group);
    }
    EXPECT_NEAR(Vcf(7704, 3000, k15).alpha15_per_celsius, 0.00115325, 5e-9);
    EXPECT_NEAR(Vcf(7705, 3000, k15).alpha15_per_celsius, 0.00115171, 5e-9);
}

TEST(Vcf, DensityOutsideTheTableIsRefusedNamingTheField) {
    for (int64_t density_e1 : {6529, 10751, 0, -8400}) {
        auto r = ComputeVcf(Density(density_e1), Temperature(3000), k15, kTable54B);
        ASSERT_FALSE(r.ok()) << density_e1;
        EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
        EXPECT_EQ(FieldOf(r.error()), "density15_kg_m3_e1");
        EXPECT_EQ(r.error().fields()[0].message,
                  "must be 653.0 to 1075.0 kg/m³ (the range of Table 54B)");
    }
}

TEST(Vcf, TemperatureBoundsAreInclusive) {
    EXPECT_TRUE(ComputeVcf(Density(8200), Temperature(-2000), k15, kTable54B).ok());
    EXPECT_TRUE(ComputeVcf(Density(8200), Temperature(7000), k20, kTable54B).ok());
    for (int64_t celsius_e2 : {-2001, 7001}) {
        auto r = ComputeVcf(Density(8200), Temperature(celsius_e2), k15, kTable54B);
        ASSERT_FALSE(r.ok()) << celsius_e2;
        EXPECT_EQ(FieldOf(r.error()), "temperature_celsius_e2");
    }
}

TEST(Vcf, TheBandTableIsConfigurable) {
    // One implementation puts the gasoline/transition edge at 770.9: 770.5 is then a gasoline.
    VcfBandTable table = kTable54B;
    table.bands[1].lower_density15 = Density(7709);
    ASSERT_TRUE(ValidateVcfBandTable(table).ok());
    auto r = ComputeVcf(Density(7705), Temperature(3000), k15, table);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->band_group, "gasolines");
}

TEST(Vcf, InvalidBandTablesNameTheField) {
    VcfBandTable unordered = kTable54B;
    unordered.bands[2].lower_density15 = Density(7705);
    auto r = ValidateVcfBandTable(unordered);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(FieldOf(r.error()), "bands[2].lower_density15_kg_m3_e1");

    VcfBandTable low_max = kTable54B;
    low_max.max_density15 = Density(8385);
    EXPECT_EQ(FieldOf(ValidateVcfBandTable(low_max).error()), "max_density15_kg_m3_e1");

    VcfBandTable wrong_sign = kTable54B;
    wrong_sign.bands[1].a = 0.00336312;  // the transition's A is negative
    EXPECT_EQ(FieldOf(ValidateVcfBandTable(wrong_sign).error()), "bands[1]");

    VcfBandTable not_finite = kTable54B;
    not_finite.bands[0].k1 = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(FieldOf(ValidateVcfBandTable(not_finite).error()), "bands[0]");
}

TEST(CorrectVolume, ExactIntegerProductRoundedHalfEven) {
    // 10 000 L at 0.9913.
    EXPECT_EQ(CorrectVolume(Volume(10'000'000), 9913), Volume(9'913'000));
    // 5 000 ml × 0.9913 = 4 956.5 ml: half-even gives 4 956 (half-up would give 4 957).
    EXPECT_EQ(CorrectVolume(Volume(5'000), 9913), Volume(4'956));
    // 15 000 ml × 0.9913 = 14 869.5 ml: the even neighbour is above.
    EXPECT_EQ(CorrectVolume(Volume(15'000), 9913), Volume(14'870));
    EXPECT_EQ(CorrectVolume(Volume(0), 9913), Volume(0));
    EXPECT_EQ(CorrectVolume(Volume(33'000'000), 10'000), Volume(33'000'000));
}

TEST(CorrectVolume, LargestVolumeDoesNotOverflow) {
    EXPECT_EQ(CorrectVolume(Volume(100'000'000'000'000), 10'521), Volume(105'210'000'000'000));
}

TEST(ReferenceTemperature, ValuesAndNames) {
    EXPECT_EQ(ReferenceTemperatureValue(k15), Temperature(1500));
    EXPECT_EQ(ReferenceTemperatureValue(k20), Temperature(2000));
    EXPECT_EQ(ReferenceTemperatureName(k15), "15C");
    EXPECT_EQ(ReferenceTemperatureName(k20), "20C");
}

}  // namespace
}  // namespace omc::forecourt
