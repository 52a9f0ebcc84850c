// The price build-up through the API, on both engines: the published premix build-up of
// 1 August 2023 line by line (imported from a CSV fixture), a levy suspended and reinstated, the
// GH¢1 levy from 16 July 2025, overlap refusals, CSV errors naming row and column with nothing
// half-imported, export and re-import, and permissions.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "domains/pricing/buildup.hpp"
#include "platform/report/report.hpp"
#include "testing/api_fixture.hpp"

namespace omc::pricing {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

class PricingBuildUpApiTest : public omc::testing::ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        admin_ = TokenFor("alpha-admin");
    }

    std::string AddProduct(const std::string& token, const std::string& code,
                           const std::string& unit = "L") {
        ApiResponse r = As(token, Method::kPost, "/api/v1/products",
                           {{"code", code},
                            {"name", code},
                            {"kind", "fuel"},
                            {"unit", unit},
                            {"density15", unit == "kg" ? "540.0" : "745.0"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }

    ApiResponse PostCsv(const std::string& token, const std::string& path, const std::string& csv,
                        const std::string& content_type = "text/csv") {
        http::Request request;
        request.method = Method::kPost;
        const auto q = path.find('?');
        request.path = path.substr(0, q);
        if (q != std::string::npos) request.query = path.substr(q + 1);
        request.body = csv;
        request.headers.emplace_back("Content-Type", content_type);
        request.headers.emplace_back("Authorization", "Bearer " + token);
        request.client_address = client_address_;
        ApiResponse response;
        response.raw = app_->router().Dispatch(request);
        response.status = response.raw.status;
        response.body = json::parse(response.raw.body, nullptr, false);
        if (response.body.is_discarded()) response.body = nullptr;
        return response;
    }

    static std::string Fixture(const std::string& name) {
        const char* source = std::getenv("OMC_SOURCE_DIR");
        EXPECT_NE(source, nullptr) << "ctest sets OMC_SOURCE_DIR";
        std::ifstream in(std::string(source ? source : ".") + "/src/domains/pricing/testdata/" +
                         name);
        EXPECT_TRUE(in.good()) << name;
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    ApiResponse BuildUp(const std::string& product, const std::string& date) {
        return As(admin_, Method::kGet,
                  "/api/v1/pricing/build-up?product=" + product + "&date=" + date);
    }
    // The codes of a build-up's lines, in order.
    static std::vector<std::string> Codes(const ApiResponse& r) {
        std::vector<std::string> codes;
        for (const json& line : r.data()["lines"]) codes.push_back(line["code"]);
        return codes;
    }
    size_t ComponentCount(const std::string& token) {
        ApiResponse r = As(token, Method::kGet, "/api/v1/pricing/components?limit=200");
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data().size() : 0;
    }
    json Component(const std::string& product, const std::string& code, const std::string& name,
                   const std::string& kind, const std::string& subtotal, int position,
                   const std::string& amount, const std::string& from, const std::string& to = "") {
        json body{{"product", product}, {"code", code},         {"name", name},
                  {"kind", kind},       {"subtotal", subtotal}, {"position", position},
                  {"amount", amount},   {"valid_from", from}};
        if (!to.empty()) body["valid_to"] = to;
        return body;
    }

    int64_t CountEvents(const TenantId& tenant, const std::string& type) {
        auto n = db::InTransaction(
            *database_, {.tenant = tenant}, [&](db::Transaction& tx) -> Result<int64_t> {
                OMC_ASSIGN_OR_RETURN(
                    const db::Rows rows,
                    tx.Query({"test.pricing_events",
                              "SELECT COUNT(*) FROM outbox_events WHERE tenant_id = $1 AND "
                              "type = $2"},
                             {tenant, type}));
                return rows[0].Int(0);
            });
        EXPECT_TRUE(n.ok());
        return n.ok() ? *n : -1;
    }

    std::string admin_;
};

constexpr const char* kHeader =
    "product,component_code,name,kind,subtotal,position,amount,valid_from,valid_to\r\n";

TEST_F(PricingBuildUpApiTest, PremixOf1August2023IsReproducedLineByLine) {
    const std::string premix = AddProduct(admin_, "premix");
    ApiResponse imported =
        PostCsv(admin_, "/api/v1/pricing/build-up/import", Fixture("premix_2023-08-01.csv"));
    ASSERT_EQ(imported.status, 200) << imported.raw.body;
    EXPECT_EQ(imported.data()["imported"], 9);
    EXPECT_EQ(imported.data()["products"], json::array({"PREMIX"}));

    ApiResponse r = BuildUp("premix", "2023-08-01");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    const json& b = r.data();
    EXPECT_EQ(b["product_id"], premix);
    EXPECT_EQ(b["amount_unit"], "GHp/L");
    EXPECT_EQ(b["date"], "2023-08-01");
    struct Expected {
        const char* code;
        const char* subtotal;
        const char* amount;
        const char* running_total;
    };
    const Expected expected[] = {
        {"EXREF_CORE", "ex_refinery", "742.2306", "742.2306"},
        {"MARINE_MIX", "ex_refinery", "72.1595", "814.3901"},
        {"BLUE_DYE", "ex_refinery", "0.1302", "814.5203"},
        {"RECOVERY", "ex_refinery", "-530.4720", "284.0483"},
        {"FMM", "ex_depot", "9.0000", "293.0483"},
        {"UPPF", "ex_pump", "68.0000", "361.0483"},
        {"MARKETERS", "ex_pump", "27.1555", "388.2038"},
        {"DEALERS", "ex_pump", "19.0000", "407.2038"},
        {"PREMIX_ADMIN", "ex_pump", "72.3000", "479.5038"},
    };
    ASSERT_EQ(b["lines"].size(), std::size(expected)) << b.dump();
    for (size_t i = 0; i < std::size(expected); ++i) {
        SCOPED_TRACE(expected[i].code);
        const json& line = b["lines"][i];
        EXPECT_EQ(line["code"], expected[i].code);
        EXPECT_EQ(line["subtotal"], expected[i].subtotal);
        EXPECT_EQ(line["amount"], expected[i].amount);
        EXPECT_EQ(line["running_total"], expected[i].running_total);
    }
    EXPECT_EQ(b["lines"][3]["name"], "Recovery margin (subsidy, negative)");
    EXPECT_EQ(b["lines"][6]["in_floor"], false);  // marketers' margin
    EXPECT_EQ(b["totals"]["ex_refinery"], "284.0483");
    EXPECT_EQ(b["totals"]["ex_depot"], "293.0483");
    EXPECT_EQ(b["totals"]["ex_pump"], "479.5038");  // published: 479.50
    EXPECT_EQ(b["floor_base"], "433.3483");         // without the marketers' and dealers' margins

    // The same by product id; nothing in force after the window or before it.
    EXPECT_EQ(BuildUp(premix, "2023-08-15").data()["totals"]["ex_pump"], "479.5038");
    EXPECT_EQ(BuildUp("premix", "2023-08-16").status, 404);
    EXPECT_EQ(BuildUp("premix", "2023-07-31").status, 404);
    EXPECT_EQ(BuildUp("kerosene", "2023-08-01").status, 404);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/build-up?date=2023-08-01").status, 400);
    EXPECT_EQ(BuildUp("premix", "2023-13-01").status, 400);

    // Exported, then imported by the other tenant: the same figures.
    ApiResponse csv =
        As(admin_, Method::kGet, "/api/v1/pricing/build-up/export?date=2023-08-01&format=csv");
    ASSERT_EQ(csv.status, 200) << csv.raw.body;
    EXPECT_NE(csv.raw.content_type.find("text/csv"), std::string::npos);
    EXPECT_EQ(std::count(csv.raw.body.begin(), csv.raw.body.end(), '\n'), 10);  // header + 9
    EXPECT_NE(csv.raw.body.find("PREMIX,RECOVERY,\"Recovery margin (subsidy, negative)\","
                                "regulated_margin,ex_refinery,40,-530.4720,2023-08-01,2023-08-15,"
                                "true,,NPA PBU effective 1 Aug 2023\r\n"),
              std::string::npos)
        << csv.raw.body;
    const std::string bravo = TokenFor("bravo-admin");
    AddProduct(bravo, "PREMIX");
    ASSERT_EQ(PostCsv(bravo, "/api/v1/pricing/build-up/import", csv.raw.body).status, 200);
    ApiResponse again =
        As(bravo, Method::kGet, "/api/v1/pricing/build-up?product=PREMIX&date=2023-08-10");
    ASSERT_EQ(again.status, 200) << again.raw.body;
    EXPECT_EQ(again.data()["totals"], b["totals"]);
    EXPECT_EQ(Codes(again), Codes(r));

    // One event per import.
    EXPECT_EQ(CountEvents(tenant_a_, "pricing.build_up_imported"), 1);
    EXPECT_EQ(CountEvents(tenant_b_, "pricing.build_up_imported"), 1);
}

constexpr const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The export's XLSX (title, subtitle and a blank row above the header, amounts as numbers,
// dates as date cells) imported by the other tenant: the same build-up, line by line.
TEST_F(PricingBuildUpApiTest, PremixExportedAsXlsxIsImportedByAnotherTenant) {
    AddProduct(admin_, "premix");
    ASSERT_EQ(
        PostCsv(admin_, "/api/v1/pricing/build-up/import", Fixture("premix_2023-08-01.csv")).status,
        200);
    ApiResponse xlsx =
        As(admin_, Method::kGet, "/api/v1/pricing/build-up/export?date=2023-08-01&format=xlsx");
    ASSERT_EQ(xlsx.status, 200);
    ASSERT_EQ(xlsx.raw.body.rfind("PK", 0), 0u);

    const std::string bravo = TokenFor("bravo-admin");
    AddProduct(bravo, "PREMIX");
    ApiResponse imported = PostCsv(bravo, "/api/v1/pricing/build-up/import", xlsx.raw.body, kXlsx);
    ASSERT_EQ(imported.status, 200) << imported.raw.body;
    EXPECT_EQ(imported.data()["imported"], 9);
    ApiResponse again =
        As(bravo, Method::kGet, "/api/v1/pricing/build-up?product=PREMIX&date=2023-08-10");
    ASSERT_EQ(again.status, 200) << again.raw.body;
    EXPECT_EQ(again.data()["totals"]["ex_pump"], "479.5038");
    ApiResponse original =
        As(admin_, Method::kGet, "/api/v1/pricing/build-up?product=PREMIX&date=2023-08-10");
    EXPECT_EQ(again.data()["totals"], original.data()["totals"]);
    EXPECT_EQ(Codes(again), Codes(original));
    // Every field of every line (names, amounts, dates, in_floor, sources): the CSV exports of
    // both tenants are the same bytes.
    const std::string path = "/api/v1/pricing/build-up/export?date=2023-08-01&format=csv";
    const std::string a = As(admin_, Method::kGet, path).raw.body;
    EXPECT_EQ(As(bravo, Method::kGet, path).raw.body, a);
    EXPECT_NE(a.find("PREMIX,RECOVERY,\"Recovery margin (subsidy, negative)\",regulated_margin,"
                     "ex_refinery,40,-530.4720,2023-08-01,2023-08-15,true,,"),
              std::string::npos)
        << a;
    EXPECT_EQ(CountEvents(tenant_b_, "pricing.build_up_imported"), 1);
}

TEST_F(PricingBuildUpApiTest, XlsxErrorsNameTheRowAndColumnOrTheFile) {
    AddProduct(admin_, "premix");
    report::Report r;
    r.title = "Hand-made";
    for (const std::string_view column : kCsvColumns) {
        r.columns.push_back({std::string(column), "", report::ColumnType::kText});
    }
    const auto row = [](std::string amount) {
        return report::Row{
            std::string("premix"),      std::string("EXREF"),       std::string("Ex-refinery"),
            std::string("ex_refinery"), std::string("ex_refinery"), std::string("10"),
            std::move(amount),          std::string("2023-08-01"),  std::monostate{},
            std::string("true"),        std::monostate{},           std::monostate{}};
    };
    r.AddRow(row("742.2306"));
    r.AddRow(row("12.3.4"));  // sheet row 5: title, blank, header, then the rows
    const Result<std::string> file = report::WriteXlsx(r);
    ASSERT_TRUE(file.ok()) << file.error().message();
    ApiResponse bad = PostCsv(admin_, "/api/v1/pricing/build-up/import", *file, kXlsx);
    EXPECT_EQ(bad.status, 400) << bad.raw.body;
    EXPECT_EQ(bad.ErrorField(), "rows[5].amount") << bad.raw.body;

    ApiResponse not_zip =
        PostCsv(admin_, "/api/v1/pricing/build-up/import", Fixture("premix_2023-08-01.csv"), kXlsx);
    EXPECT_EQ(not_zip.status, 400);
    EXPECT_EQ(not_zip.ErrorField(), "file");
    ApiResponse truncated = PostCsv(admin_, "/api/v1/pricing/build-up/import",
                                    file->substr(0, file->size() / 2), kXlsx);
    EXPECT_EQ(truncated.status, 400);
    EXPECT_EQ(truncated.ErrorField(), "file");
    ApiResponse other = PostCsv(admin_, "/api/v1/pricing/build-up/import", *file, "text/plain");
    EXPECT_EQ(other.status, 400);
    EXPECT_EQ(other.ErrorField(), "Content-Type");
    // Nothing was imported.
    EXPECT_EQ(BuildUp("premix", "2023-08-01").status, 404);
    EXPECT_EQ(CountEvents(tenant_a_, "pricing.build_up_imported"), 0);
}

TEST_F(PricingBuildUpApiTest, PriceStabilisationLevySuspendedAndReinstated) {
    AddProduct(admin_, "PMS");
    ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/pricing/components",
                 Component("PMS", "EDRL", "Energy Debt Recovery Levy", "levy", "ex_depot", 10,
                           "49.0000", "2024-01-01"))
                  .status,
              201);
    ApiResponse psrl = As(admin_, Method::kPost, "/api/v1/pricing/components",
                          Component("pms", "PSRL", "Price Stabilisation and Recovery Levy", "levy",
                                    "ex_depot", 40, "16.0000", "2024-01-01"));
    ASSERT_EQ(psrl.status, 201) << psrl.raw.body;
    EXPECT_EQ(psrl.data()["valid_to"], nullptr);
    EXPECT_EQ(psrl.data()["in_floor"], true);
    const std::string path = "/api/v1/pricing/components/" + psrl.data()["id"].get<std::string>();

    // Off on 1 April 2024, back on 4 April (mid-window).
    ApiResponse suspended = As(admin_, Method::kPatch, path,
                               {{"suspend_from", "2024-04-01"}, {"resume_on", "2024-04-04"}});
    ASSERT_EQ(suspended.status, 200) << suspended.raw.body;
    EXPECT_EQ(suspended.data()["valid_to"], "2024-03-31");
    EXPECT_EQ(suspended.data()["reinstated"]["valid_from"], "2024-04-04");
    EXPECT_EQ(suspended.data()["reinstated"]["valid_to"], nullptr);
    EXPECT_EQ(suspended.data()["reinstated"]["amount"], "16.0000");

    ApiResponse before = BuildUp("PMS", "2024-03-31");
    ASSERT_EQ(before.status, 200) << before.raw.body;
    EXPECT_EQ(Codes(before), (std::vector<std::string>{"EDRL", "PSRL"}));
    EXPECT_EQ(before.data()["totals"]["ex_depot"], "65.0000");
    for (const char* day : {"2024-04-01", "2024-04-02", "2024-04-03"}) {
        ApiResponse off = BuildUp("PMS", day);
        ASSERT_EQ(off.status, 200) << off.raw.body;
        EXPECT_EQ(Codes(off), (std::vector<std::string>{"EDRL"})) << day;
        EXPECT_EQ(off.data()["totals"]["ex_pump"], "49.0000") << day;
    }
    ApiResponse back = BuildUp("PMS", "2024-04-04");
    EXPECT_EQ(Codes(back), (std::vector<std::string>{"EDRL", "PSRL"}));
    EXPECT_EQ(back.data()["totals"]["ex_pump"], "65.0000");

    // The two PSRL rows, and the list filtered by date.
    EXPECT_EQ(
        As(admin_, Method::kGet, "/api/v1/pricing/components?product=PMS&code=psrl").data().size(),
        2u);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/components?date=2024-04-02").data().size(),
              1u);

    // Suspension rules name their field.
    ApiResponse too_early = As(admin_, Method::kPatch, path, {{"suspend_from", "2024-01-01"}});
    EXPECT_EQ(too_early.status, 400);
    EXPECT_EQ(too_early.ErrorField(), "suspend_from");
    ApiResponse both = As(admin_, Method::kPatch, path,
                          {{"suspend_from", "2024-02-01"}, {"valid_to", "2024-02-01"}});
    EXPECT_EQ(both.status, 400);
    ApiResponse backwards = As(admin_, Method::kPatch, path,
                               {{"suspend_from", "2024-02-10"}, {"resume_on", "2024-02-01"}});
    EXPECT_EQ(backwards.status, 400);
    EXPECT_EQ(backwards.ErrorField(), "resume_on");
}

TEST_F(PricingBuildUpApiTest, TheOneCediLevyAppearsFrom16July2025Only) {
    AddProduct(admin_, "PMS");
    AddProduct(admin_, "LPG", "kg");
    const std::string csv =
        std::string(kHeader) +
        "PMS,EDRL,Energy Debt Recovery Levy,levy,ex_depot,10,49.0000,2025-07-01,\r\n"
        "PMS,RFL,Road Fund Levy,levy,ex_depot,20,48.0000,2025-07-01,\r\n"
        "PMS,PSRL,Price Stabilisation and Recovery Levy,levy,ex_depot,40,16.0000,2025-07-01,\r\n"
        "PMS,ESSDRL_GHS1,Energy Sector Shortfall and Debt Repayment Levy (GHS 1),levy,ex_depot,"
        "45,100.0000,2025-07-16,\r\n"
        "PMS,SPT,Special Petroleum Tax,tax,ex_depot,60,46.0000,2025-07-01,\r\n"
        "LPG,EDRL,Energy Debt Recovery Levy,levy,ex_depot,10,41.0000,2025-07-01,\r\n";
    ASSERT_EQ(PostCsv(admin_, "/api/v1/pricing/build-up/import", csv).status, 200);

    ApiResponse before = BuildUp("PMS", "2025-07-15");
    ASSERT_EQ(before.status, 200) << before.raw.body;
    EXPECT_EQ(Codes(before), (std::vector<std::string>{"EDRL", "RFL", "PSRL", "SPT"}));
    EXPECT_EQ(before.data()["totals"]["ex_depot"], "159.0000");
    for (const char* day : {"2025-07-16", "2025-08-01", "2026-01-01"}) {
        ApiResponse after = BuildUp("PMS", day);
        ASSERT_EQ(after.status, 200) << after.raw.body;
        EXPECT_EQ(Codes(after),
                  (std::vector<std::string>{"EDRL", "RFL", "PSRL", "ESSDRL_GHS1", "SPT"}))
            << day;
        EXPECT_EQ(after.data()["lines"][3]["amount"], "100.0000");
        EXPECT_EQ(after.data()["lines"][3]["running_total"], "213.0000");
        EXPECT_EQ(after.data()["totals"]["ex_depot"], "259.0000") << day;
    }
    // LPG is unchanged, and its amounts are per kg.
    ApiResponse lpg = BuildUp("LPG", "2025-07-16");
    ASSERT_EQ(lpg.status, 200);
    EXPECT_EQ(lpg.data()["amount_unit"], "GHp/kg");
    EXPECT_EQ(Codes(lpg), (std::vector<std::string>{"EDRL"}));
    EXPECT_EQ(lpg.data()["totals"]["ex_pump"], "41.0000");
}

TEST_F(PricingBuildUpApiTest, OverlappingDatesAreRefusedNamingTheField) {
    AddProduct(admin_, "PMS");
    AddProduct(admin_, "AGO");
    auto post = [&](const json& body) {
        return As(admin_, Method::kPost, "/api/v1/pricing/components", body);
    };
    ApiResponse first = post(Component("PMS", "BOST", "BOST margin", "regulated_margin", "ex_depot",
                                       70, "12.0000", "2024-07-01", "2024-07-15"));
    ASSERT_EQ(first.status, 201) << first.raw.body;
    ApiResponse overlap = post(Component("PMS", "BOST", "BOST margin", "regulated_margin",
                                         "ex_depot", 70, "14.0000", "2024-07-15"));
    EXPECT_EQ(overlap.status, 409) << overlap.raw.body;
    EXPECT_EQ(overlap.ErrorField(), "valid_from");
    EXPECT_NE(overlap.raw.body.find(first.data()["id"].get<std::string>()), std::string::npos);
    // The next day, another product or another code: fine.
    ApiResponse next = post(Component("PMS", "BOST", "BOST margin", "regulated_margin", "ex_depot",
                                      70, "14.0000", "2024-07-16"));
    ASSERT_EQ(next.status, 201) << next.raw.body;
    EXPECT_EQ(post(Component("AGO", "BOST", "BOST margin", "regulated_margin", "ex_depot", 70,
                             "12.0000", "2024-07-01"))
                  .status,
              201);
    // Ending the first later than the second's start is an overlap too.
    ApiResponse longer = As(admin_, Method::kPatch,
                            "/api/v1/pricing/components/" + first.data()["id"].get<std::string>(),
                            {{"valid_to", "2024-07-20"}});
    EXPECT_EQ(longer.status, 409);
    EXPECT_EQ(longer.ErrorField(), "valid_to");
    // Ending the open one is fine.
    ApiResponse ended = As(admin_, Method::kPatch,
                           "/api/v1/pricing/components/" + next.data()["id"].get<std::string>(),
                           {{"valid_to", "2024-07-31"}});
    ASSERT_EQ(ended.status, 200) << ended.raw.body;
    EXPECT_EQ(ended.data()["valid_to"], "2024-07-31");

    // Import: overlap with a stored row, and within the file; nothing written.
    const size_t before = ComponentCount(admin_);
    ApiResponse stored = PostCsv(
        admin_, "/api/v1/pricing/build-up/import",
        std::string(kHeader) +
            "PMS,FMM,Fuel marking margin,regulated_margin,ex_depot,80,9.0000,2024-08-01,\r\n"
            "PMS,BOST,BOST margin,regulated_margin,ex_depot,70,14.0000,2024-07-31,\r\n");
    EXPECT_EQ(stored.status, 409) << stored.raw.body;
    EXPECT_EQ(stored.ErrorField(), "rows[3].valid_from");
    ApiResponse in_file = PostCsv(
        admin_, "/api/v1/pricing/build-up/import",
        std::string(kHeader) +
            "PMS,FMM,Fuel marking margin,regulated_margin,ex_depot,80,9.0000,2024-08-01,\r\n"
            "PMS,FMM,Fuel marking margin,regulated_margin,ex_depot,80,9.5000,2024-08-10,\r\n");
    EXPECT_EQ(in_file.status, 409) << in_file.raw.body;
    EXPECT_EQ(in_file.ErrorField(), "rows[3].valid_from");
    EXPECT_NE(in_file.raw.body.find("overlaps row 2"), std::string::npos);
    EXPECT_EQ(ComponentCount(admin_), before);

    // A new window's figures supersede the open-ended ones when asked to.
    ASSERT_EQ(post(Component("PMS", "UPPF", "UPPF margin", "regulated_margin", "ex_pump", 10,
                             "90.0000", "2024-08-01"))
                  .status,
              201);
    const std::string window =
        std::string(kHeader) +
        "PMS,UPPF,UPPF margin,regulated_margin,ex_pump,10,95.0000,2024-08-16,\r\n";
    EXPECT_EQ(PostCsv(admin_, "/api/v1/pricing/build-up/import", window).status, 409);
    ApiResponse superseding =
        PostCsv(admin_, "/api/v1/pricing/build-up/import?supersede=true", window);
    ASSERT_EQ(superseding.status, 200) << superseding.raw.body;
    ASSERT_EQ(superseding.data()["superseded"].size(), 1u);
    EXPECT_EQ(superseding.data()["superseded"][0]["valid_to"], "2024-08-15");
    EXPECT_EQ(BuildUp("PMS", "2024-08-15").data()["totals"]["ex_pump"], "90.0000");
    EXPECT_EQ(BuildUp("PMS", "2024-08-16").data()["totals"]["ex_pump"], "95.0000");
}

TEST_F(PricingBuildUpApiTest, CsvErrorsNameRowAndColumnAndNothingIsHalfImported) {
    AddProduct(admin_, "PMS");
    const std::string path = "/api/v1/pricing/build-up/import";
    const std::string good_row =
        "PMS,EDRL,Energy Debt Recovery Levy,levy,ex_depot,10,49.0000,2024-07-16,\r\n";

    ApiResponse header = PostCsv(
        admin_, path,
        "product,code,name,kind,subtotal,position,amount,valid_from,valid_to\r\n" + good_row);
    EXPECT_EQ(header.status, 400) << header.raw.body;
    EXPECT_EQ(header.ErrorField(), "rows[1].component_code");

    ApiResponse number =
        PostCsv(admin_, path,
                std::string(kHeader) + good_row +
                    "PMS,RFL,Road Fund Levy,levy,ex_depot,20,48.00.1,2024-07-16,\r\n");
    EXPECT_EQ(number.status, 400) << number.raw.body;
    EXPECT_EQ(number.ErrorField(), "rows[3].amount");
    EXPECT_NE(number.raw.body.find("row 3, column amount"), std::string::npos);

    ApiResponse product =
        PostCsv(admin_, path,
                std::string(kHeader) + good_row +
                    "KEROSENE,RFL,Road Fund Levy,levy,ex_depot,20,48.0000,2024-07-16,\r\n");
    EXPECT_EQ(product.status, 422) << product.raw.body;
    EXPECT_EQ(product.ErrorField(), "rows[3].product");

    ApiResponse date =
        PostCsv(admin_, path,
                std::string(kHeader) + good_row +
                    "PMS,RFL,Road Fund Levy,levy,ex_depot,20,48.0000,16/07/2024,\r\n");
    EXPECT_EQ(date.status, 400);
    EXPECT_EQ(date.ErrorField(), "rows[3].valid_from");

    ApiResponse empty = PostCsv(admin_, path, kHeader);
    EXPECT_EQ(empty.status, 400);
    ApiResponse ragged = PostCsv(admin_, path, std::string(kHeader) + "PMS,EDRL,short\r\n");
    EXPECT_EQ(ragged.status, 400);
    EXPECT_NE(ragged.raw.body.find("row 2"), std::string::npos) << ragged.raw.body;

    ApiResponse json_type =
        PostCsv(admin_, path, std::string(kHeader) + good_row, "application/json");
    EXPECT_EQ(json_type.status, 400);
    EXPECT_EQ(json_type.ErrorField(), "Content-Type");

    EXPECT_EQ(ComponentCount(admin_), 0u);
    ApiResponse ok =
        PostCsv(admin_, path, std::string(kHeader) + good_row, "text/csv; charset=utf-8");
    ASSERT_EQ(ok.status, 200) << ok.raw.body;
    EXPECT_EQ(ComponentCount(admin_), 1u);

    ApiResponse docx =
        As(admin_, Method::kGet, "/api/v1/pricing/build-up/export?date=2024-07-16&format=docx");
    EXPECT_EQ(docx.status, 400);
    EXPECT_EQ(docx.ErrorField(), "format");
    ApiResponse xlsx =
        As(admin_, Method::kGet, "/api/v1/pricing/build-up/export?date=2024-07-16&format=xlsx");
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_NE(xlsx.raw.content_type.find("spreadsheetml"), std::string::npos);
    EXPECT_EQ(xlsx.raw.body.rfind("PK", 0), 0u);  // a zip container
    ApiResponse pdf =
        As(admin_, Method::kGet, "/api/v1/pricing/build-up/export?date=2024-07-16&format=pdf");
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.raw.body.rfind("%PDF", 0), 0u);
}

TEST_F(PricingBuildUpApiTest, ComponentRulesNameTheField) {
    AddProduct(admin_, "PMS");
    auto post = [&](const json& body) {
        return As(admin_, Method::kPost, "/api/v1/pricing/components", body);
    };
    ApiResponse decimals =
        post(Component("PMS", "EDRL", "EDRL", "levy", "ex_depot", 10, "49.00001", "2024-07-16"));
    EXPECT_EQ(decimals.status, 400);
    EXPECT_EQ(decimals.ErrorField(), "amount");
    ApiResponse kind =
        post(Component("PMS", "EDRL", "EDRL", "duty", "ex_depot", 10, "49", "2024-07-16"));
    EXPECT_EQ(kind.status, 400);
    EXPECT_EQ(kind.ErrorField(), "kind");
    ApiResponse backwards = post(
        Component("PMS", "EDRL", "EDRL", "levy", "ex_depot", 10, "49", "2024-07-16", "2024-07-01"));
    EXPECT_EQ(backwards.status, 400);
    EXPECT_EQ(backwards.ErrorField(), "valid_to");
    ApiResponse unknown =
        post(Component("KERO", "EDRL", "EDRL", "levy", "ex_depot", 10, "49", "2024-07-16"));
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(unknown.ErrorField(), "product");
    ApiResponse created =
        post(Component("PMS", "EDRL", "EDRL", "levy", "ex_depot", 10, "49", "2024-07-16"));
    ASSERT_EQ(created.status, 201) << created.raw.body;
    EXPECT_EQ(created.data()["amount"], "49.0000");
    const std::string id = created.data()["id"];
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/components/" + id).data()["code"], "EDRL");
    EXPECT_EQ(
        As(admin_, Method::kGet, "/api/v1/pricing/components/" + ids_.NewV7().ToString()).status,
        404);
    EXPECT_EQ(CountEvents(tenant_a_, "pricing.component_changed"), 1);
}

TEST_F(PricingBuildUpApiTest, ReadersReadAndOnlyTheCompanyAdminWrites) {
    AddProduct(admin_, "PMS");
    ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/pricing/components",
                 Component("PMS", "EDRL", "EDRL", "levy", "ex_depot", 10, "49", "2024-07-16"))
                  .status,
              201);
    AddUser(tenant_a_, "ama-auditor", identity::Role::kAuditor);
    const Uuid station = AddRegionAndStation(tenant_a_, "ACC1").second;
    AddUser(tenant_a_, "kofi-operator", identity::Role::kOperator, {station});
    const std::string auditor = TokenFor("ama-auditor");
    const std::string op = TokenFor("kofi-operator");
    EXPECT_EQ(
        As(auditor, Method::kGet, "/api/v1/pricing/build-up?product=PMS&date=2024-07-16").status,
        200);
    EXPECT_EQ(As(auditor, Method::kPost, "/api/v1/pricing/components",
                 Component("PMS", "RFL", "RFL", "levy", "ex_depot", 20, "48", "2024-07-16"))
                  .status,
              403);
    EXPECT_EQ(PostCsv(auditor, "/api/v1/pricing/build-up/import", kHeader).status, 403);
    EXPECT_EQ(As(op, Method::kGet, "/api/v1/pricing/components").status, 403);
}

}  // namespace
}  // namespace omc::pricing
