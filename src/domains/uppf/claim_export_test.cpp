// The UPPF claim export: the report's rows and totals, and the XLSX and PDF files made from it.
#include "domains/uppf/claim_export.hpp"

#include <cstdio>

#include <gtest/gtest.h>

#include "platform/report/report.hpp"
#include "testing/zip_member.hpp"

namespace omc::uppf {
namespace {

ClaimSheet Sample() {
    const Uuid station = Uuid::Parse("0190f0a0-0000-7000-8000-000000000001").value();
    const Uuid other = Uuid::Parse("0190f0a0-0000-7000-8000-000000000002").value();
    ClaimLine trip{.station_id = station,
                   .intended_station_id = station,
                   .loading_date = "2023-11-14",
                   .depot = "Tema",
                   .bdc = "BDC One",
                   .product_code = "PMS",
                   .loaded_milli = 10'000'000,
                   .received_milli = 9'718'830,
                   .quantity_basis = "loaded",
                   .claimed_milli = 10'000'000,
                   .brv_registration = "GT 1234-20",
                   .transporter = "Haulage, Ltd",
                   .omc_order_no = "PO-77",
                   .omc_invoice_no = "INV-1",
                   .waybill_no = "WB-1001",
                   .distance_km_e1 = 1'234,
                   .paid_distance_km_e1 = 1'234,
                   .rate_per_litre_km_e4 = 1'700,
                   .amount_pesewas = 209'780,
                   .claimable_pesewas = 209'780};
    ClaimLine diverted = trip;
    diverted.intended_station_id = other;
    diverted.waybill_no = "WB-1002";
    diverted.distance_km_e1 = 500;
    diverted.paid_distance_km_e1 = 500;
    diverted.amount_pesewas = 85'000;
    diverted.claimable_pesewas = 0;
    diverted.diverted = true;
    diverted.exclusion = "diversion";
    return ClaimSheet{.period = "2023-11",
                      .status = "submitted",
                      .submission_reference = "NPA/UPPF/2023/11",
                      .amount_pesewas = 294'780,
                      .claimable_pesewas = 209'780,
                      .settled_pesewas = 100'000,
                      .lines = {trip, diverted},
                      .station_names = {{station, "ACC1 Accra Central"}, {other, "KSI1 Adum"}}};
}

using omc::testing::ZipMember;

TEST(UppfClaimExport, CsvHasOneRowPerTripInTheTrackingRulesOrder) {
    const report::Report r = ClaimReport(Sample());
    ASSERT_TRUE(report::Validate(r).ok());
    EXPECT_EQ(r.title, "UPPF freight claim 2023-11");
    EXPECT_EQ(r.subtitle[1], "Status: submitted, reference NPA/UPPF/2023/11");
    EXPECT_EQ(r.subtitle[2], "Settled: GH₵ 1000.00");
    const Result<std::string> csv = report::WriteCsv(r);
    ASSERT_TRUE(csv.ok());
    EXPECT_EQ(*csv,
              "line_no,loading_date,depot,bdc,product,loaded_litres,intended_delivery_point,"
              "brv_registration,transporter,omc_order_no,omc_invoice_no,waybill_no,delivered_to,"
              "received_litres,quantity_basis,claimed_litres,distance_km,paid_distance_km,"
              "rate_pesewas_per_litre_km,amount,claimable_amount,flag\r\n"
              "1,2023-11-14,Tema,BDC One,PMS,10000.000,ACC1 Accra Central,GT 1234-20,"
              "\"Haulage, Ltd\",PO-77,INV-1,WB-1001,ACC1 Accra Central,9718.830,loaded,10000.000,"
              "123.4,123.4,0.1700,2097.80,2097.80,\r\n"
              "2,2023-11-14,Tema,BDC One,PMS,10000.000,KSI1 Adum,GT 1234-20,\"Haulage, Ltd\","
              "PO-77,INV-1,WB-1002,ACC1 Accra Central,9718.830,loaded,10000.000,50.0,50.0,0.1700,"
              "850.00,0.00,diversion\r\n");
    ASSERT_TRUE(r.totals.has_value());
    EXPECT_EQ(report::FormatCell((*r.totals)[19], report::ColumnType::kMoney), "2947.80");
    EXPECT_EQ(report::FormatCell((*r.totals)[20], report::ColumnType::kMoney), "2097.80");
}

TEST(UppfClaimExport, XlsxAndPdf) {
    const report::Report r = ClaimReport(Sample());
    const Result<std::string> xlsx = report::WriteXlsx(r);
    ASSERT_TRUE(xlsx.ok()) << xlsx.error().message();
    const std::string sheet = ZipMember(*xlsx, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(sheet.empty());
    EXPECT_NE(sheet.find("><v>2097.8</v></c>"), std::string::npos) << sheet;  // the amount
    EXPECT_NE(sheet.find("><v>2947.8</v></c>"), std::string::npos);           // the total
    EXPECT_NE(sheet.find("><v>9718.83</v></c>"), std::string::npos);          // received
    const std::string strings = ZipMember(*xlsx, "xl/sharedStrings.xml");
    EXPECT_NE(strings.find("WB-1002"), std::string::npos);
    EXPECT_NE(strings.find("Intended delivery point"), std::string::npos);
    EXPECT_NE(strings.find("diversion"), std::string::npos);
    const Result<std::string> pdf = report::WritePdf(r);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message();
    EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
    EXPECT_EQ(report::PdfPageCount(r), 1);
}

}  // namespace
}  // namespace omc::uppf
