// The vendor kit: what every vendor's parser and collector relies on.

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <boost/asio/io_context.hpp>

#include "collectors/kit/field_reader.h"
#include "collectors/kit/http_status.h"
#include "collectors/kit/id_list.h"
#include "collectors/kit/json.h"
#include "collectors/kit/unusable_fields_report.h"
#include "tests/unit/support/log_capture.h"

namespace cc::kit {
namespace {

rapidjson::Document Doc(const std::string& json) {
  rapidjson::Document doc;
  EXPECT_EQ(ParseDocument(doc, json, "test"), std::nullopt) << json;
  return doc;
}

TEST(VendorKitJsonTest, OneErrorShapeForBadBodies) {
  rapidjson::Document doc;
  auto html = ParseDocument(doc, "<html><body>Error 500</body></html>", "queueinfo");
  ASSERT_TRUE(html.has_value());
  EXPECT_EQ(html->reason, Reason::parse);
  EXPECT_EQ(html->message,
            "queueinfo: not JSON (Invalid value. at byte 0), body starts with \"<html><body>Error 500</body></html>\"");
  auto truncated = ParseDocument(doc, "{\"a\": [1, 2", "");
  ASSERT_TRUE(truncated.has_value());
  EXPECT_EQ(truncated->message.rfind("not JSON (", 0), 0u) << truncated->message;
  EXPECT_NE(truncated->message.find(" at byte 11)"), std::string::npos) << truncated->message;
  EXPECT_EQ(ParseDocument(doc, " \r\n", "x")->message, "x: empty body");
  EXPECT_EQ(ParseDocument(doc, std::string("{\"a\":1}\0", 8), "x")->message, "x: body contains a NUL byte");
  // A login answer may carry a token: the body is never quoted.
  auto secret = ParseDocument(doc, "token=SECRET123", "login", Echo::none);
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(secret->message.find("SECRET123"), std::string::npos) << secret->message;
  EXPECT_EQ(ShapeError("x", "answer is not a JSON array", "{\"a\":\"\xe4\xb8\xad\"}").message,
            "x: answer is not a JSON array, body starts with \"{\"a\":\"...\"}\"");
  // Nesting deep enough to exhaust a recursive parser's stack is just parsed.
  EXPECT_EQ(ParseDocument(doc, std::string(200000, '[') + std::string(200000, ']'), "deep"), std::nullopt);
}

// One value JSON cannot carry costs only that value: the document is
// repaired, parsed, and the repair named.
TEST(VendorKitJsonTest, ValueFaultsAreRepairedAndNamed) {
  struct Case {
    std::string body;
    std::string field;  // what `a` reads as afterwards
    std::string repair;
  };
  for (const Case& c : {
           Case{R"({"a":"VIP \ud83d queue","b":1})", "VIP \xEF\xBF\xBD queue", "byte10:invalid_surrogate"},
           Case{R"({"a":"x\ud83d\u0041","b":1})",
                "x\xEF\xBF\xBD"
                "A",
                "byte7:invalid_surrogate"},
           Case{R"({"a":"tab\q","b":1})", "tab\xEF\xBF\xBD", "byte9:invalid_escape"},
           Case{R"({"a":"\uZZ12","b":1})", "\xEF\xBF\xBDZZ12", "byte6:invalid_escape"},
           Case{"{\"a\":\"l\xE9on\",\"b\":1}", "l\xEF\xBF\xBDon", "byte7:invalid_utf8"},
           Case{"{\"a\":\"x\ty\",\"b\":1}", "x\ty", "byte7:raw_control_character"},
           Case{R"({"a":1e400,"b":1})", "1e400", "byte5:invalid_number"},
           Case{R"({"a":-12.,"b":1})", "-12.", "byte9:invalid_number"},
       }) {
    SCOPED_TRACE(c.body);
    rapidjson::Document doc;
    std::vector<std::string> repairs;
    ASSERT_EQ(ParseDocument(doc, c.body, "x", Echo::body, &repairs), std::nullopt);
    EXPECT_EQ(std::string(Str(doc["a"])), c.field);
    EXPECT_EQ(doc["b"].GetInt(), 1);
    EXPECT_EQ(repairs, (std::vector<std::string>{c.repair}));
  }
  // The repaired number is a string no number field accepts: dropped and reported.
  rapidjson::Document doc;
  ASSERT_EQ(ParseDocument(doc, R"({"n":1e999})", "x"), std::nullopt);
  UnusableFields unusable;
  FieldReader f(doc, "", unusable);
  EXPECT_EQ(f.Number("n"), std::nullopt);
  EXPECT_EQ(unusable, (UnusableFields{"n"}));
  // Structural damage is not repaired, and repairs are bounded.
  EXPECT_TRUE(ParseDocument(doc, R"({"a":"\ud83d", "b":)", "x").has_value());
  std::string many = "[";
  for (int i = 0; i <= kMaxRepairs; ++i) many += std::string(i ? "," : "") + "\"\\ud800\"";
  EXPECT_TRUE(ParseDocument(doc, many + "]", "x").has_value());
}

TEST(VendorKitJsonTest, NumbersIdsAndCodes) {
  EXPECT_EQ(NumberText(" 3.5 "), 3.5);
  EXPECT_EQ(NumberText("3.5x"), std::nullopt);
  EXPECT_EQ(NumberText("inf"), std::nullopt);
  EXPECT_EQ(NumberText(""), std::nullopt);
  EXPECT_EQ(IntegerCode(7.0), 7);
  EXPECT_EQ(IntegerCode(7.5), std::nullopt);
  EXPECT_EQ(IntegerCode(1e12), std::nullopt);
  EXPECT_EQ(IntegerCode(std::nan("")), std::nullopt);
  EXPECT_EQ(ParsePercentRatio("87.5%"), 0.875);
  EXPECT_EQ(ParsePercentRatio("50 %"), 0.5);
  EXPECT_EQ(ParsePercentRatio("100"), 1.0);
  EXPECT_EQ(ParsePercentRatio("%"), std::nullopt);
  EXPECT_EQ(ParsePercentRatio("-5%"), std::nullopt);
  EXPECT_EQ(ParsePercentRatio("high"), std::nullopt);
  auto doc = Doc(R"({"a":" 90 ","b":90,"c":9.5,"d":true})");
  EXPECT_EQ(IdText(doc["a"]), "90");
  EXPECT_EQ(IdText(doc["b"]), "90");
  EXPECT_EQ(IdText(doc["c"]), std::nullopt);
  EXPECT_EQ(IdText(doc["d"]), std::nullopt);
  EXPECT_EQ(Snippet(std::string(60, 'x')), std::string(48, 'x') + "...");
}

TEST(VendorKitFieldReaderTest, UnusableValuesAreDroppedAndNamed) {
  auto doc = Doc(R"({"n":"3","m":4.5,"bad":"x","neg":-1,"ratio":1.5,"obj":{},"empty":" ","nil":null,
                     "yes":"true","no":0,"maybe":2,"name":" Sales ","num":3.25,"id":"","id2":" 7 "})");
  UnusableFields unusable;
  FieldReader f(doc, "q1.", unusable);
  EXPECT_EQ(f.Number("n"), 3.0);
  EXPECT_EQ(f.Number("m", Range::non_negative), 4.5);
  EXPECT_EQ(f.Number("bad"), std::nullopt);
  EXPECT_EQ(f.Number("neg", Range::non_negative), std::nullopt);
  EXPECT_EQ(f.Number("neg"), -1.0);
  EXPECT_EQ(f.Number("ratio", Range::unit), std::nullopt);
  EXPECT_EQ(f.Number("obj"), std::nullopt);
  // Absent, null and blank are "no value", not unusable.
  EXPECT_EQ(f.Number("missing"), std::nullopt);
  EXPECT_EQ(f.Number("nil"), std::nullopt);
  EXPECT_EQ(f.Number("empty"), std::nullopt);
  EXPECT_EQ(f.Bool("yes"), true);
  EXPECT_EQ(f.Bool("no"), false);
  EXPECT_EQ(f.Bool("maybe"), std::nullopt);
  EXPECT_EQ(f.Text("name"), "Sales");
  EXPECT_EQ(f.Text("num"), "3.25");
  EXPECT_EQ(f.Text("obj"), "");
  EXPECT_EQ(f.Id("id"), std::nullopt);  // blank: no value
  EXPECT_EQ(f.Id("id2"), "7");
  EXPECT_EQ(f.Id("m"), std::nullopt);
  EXPECT_EQ(unusable, (UnusableFields{"q1.bad", "q1.neg", "q1.ratio", "q1.obj", "q1.maybe", "q1.obj", "q1.m"}));
}

TEST(VendorKitFieldReaderTest, SpellingsAndVendorNoneValues) {
  auto doc = Doc(R"({"workNo":"1001","queueSize":4294967295,"loggedOnAgents":"4294967295000","availAgents":2})");
  UnusableFields unusable;
  auto is_sentinel = [](const Value& v) {
    auto n = NumberOf(v);
    return n && (*n == 4294967295.0 || *n == 4294967295000.0);
  };
  FieldReader f(doc, "", unusable, is_sentinel);
  EXPECT_EQ(f.Id({"workno", "workNo"}), "1001");
  EXPECT_EQ(f.Number({"queuesize", "queueSize"}), std::nullopt);
  EXPECT_EQ(f.Number("loggedOnAgents"), std::nullopt);
  EXPECT_EQ(f.Number({"availagents", "availAgents"}), 2.0);
  EXPECT_TRUE(unusable.empty());
  // A parser of the vendor's own notation; +Inf is a value ("unlimited").
  auto inf = [](const Value&) -> std::optional<double> { return std::numeric_limits<double>::infinity(); };
  EXPECT_EQ(f.Parsed("availAgents", inf, Range::non_negative), std::numeric_limits<double>::infinity());
  auto nan = [](const Value&) -> std::optional<double> { return std::nan(""); };
  EXPECT_EQ(f.Parsed("availAgents", nan), std::nullopt);
  EXPECT_EQ(unusable, (UnusableFields{"availAgents"}));
}

TEST(VendorKitHttpStatusTest, OneReasonPerStatus) {
  EXPECT_EQ(StatusError("queueinfo", 401).reason, Reason::auth);
  EXPECT_EQ(StatusError("queueinfo", 403).reason, Reason::auth);
  for (int status : {301, 404, 408, 429, 500, 502, 503, 599}) {
    EXPECT_EQ(StatusError("x", status).reason, Reason::http_status) << status;
  }
  EXPECT_EQ(StatusError("queueinfo", 503).message, "queueinfo: HTTP status 503 (unavailable)");
  EXPECT_EQ(StatusError("", 418).message, "HTTP status 418");
  EXPECT_EQ(*BodyOf(http::ClientResponse{200, "application/json", "", "{}"}, "x"), "{}");
  auto refused = BodyOf(http::ClientResponse{401, "text/html", "", "<h1>no</h1>"}, "getUserToken");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "getUserToken: HTTP status 401 (credentials refused)");
  // The vendor's Retry-After travels with the failure, to the scheduler.
  auto limited = BodyOf(http::ClientResponse{429, "text/plain", "", "", std::chrono::seconds(30)}, "queueinfo");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().retry_after, std::optional<std::chrono::seconds>(30));
  EXPECT_EQ(limited.error().message, "queueinfo: HTTP status 429 (rate limited)");
  EXPECT_EQ(refused.error().retry_after, std::nullopt);
  // A redirect names where it points, without what could be a credential.
  auto moved =
      BodyOf(http::ClientResponse{302, "text/html", "https://user:pw@new.example.com:8443/admin/?token=T0K#x", ""},
             "queueinfo");
  EXPECT_EQ(moved.error().reason, Reason::http_status);
  EXPECT_EQ(moved.error().message,
            "queueinfo: HTTP status 302 (redirect: check the url), redirected to https://new.example.com:8443/admin/");
  EXPECT_EQ(StatusError("x", 301, "/login.php?next=%2F").message,
            "x: HTTP status 301 (redirect: check the url), redirected to /login.php");
  EXPECT_EQ(StatusError("x", 500, "/ignored").message, "x: HTTP status 500 (server error)");
  auto transport = BodyOf(MakeError(Reason::timeout, "deadline"), "x");
  EXPECT_EQ(transport.error().reason, Reason::timeout);
}

std::string IdListError(const std::string& yaml, bool allow_spaces) {
  ConfigNode node(YAML::Load(yaml), "c.yaml", "targets[0]");
  try {
    ReadIdList(node, "queues", {.noun = "queue", .allow_spaces = allow_spaces});
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(VendorKitIdListTest, EmptyControlAndDuplicateIdsAreRefused) {
  ConfigNode node(YAML::Load("queues: [90, \"Sales EU\", ventas]\n"), "c.yaml", "targets[0]");
  EXPECT_EQ(ReadIdList(node, "queues", {.noun = "queue", .allow_spaces = true}),
            (std::vector<std::string>{"90", "Sales EU", "ventas"}));
  EXPECT_EQ(IdListError("queues: [\"\"]\n", true), "c.yaml:1: targets[0].queues: a queue must not be empty");
  EXPECT_EQ(IdListError("queues: [\"a\\tb\"]\n", true),
            "c.yaml:1: targets[0].queues: queue \"a\tb\" contains control characters");
  EXPECT_EQ(IdListError("queues: [\"9 0\"]\n", false), "c.yaml:1: targets[0].queues: queue \"9 0\" contains a space");
  EXPECT_EQ(IdListError("queues: [\"9 0\"]\n", true), "");
  EXPECT_EQ(IdListError("queues: [90, \"90\"]\n", true), "c.yaml:1: targets[0].queues: queue \"90\" is listed twice");

  ConfigNode ints(YAML::Load("skills: [3, 1, 3]\n"), "c.yaml", "t");
  try {
    ReadIntIdList(ints, "skills", "skill", 1, 10);
    ADD_FAILURE() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "c.yaml:1: t.skills: skill 3 is listed twice");
  }
  ConfigNode range(YAML::Load("skills: [0]\n"), "c.yaml", "t");
  EXPECT_THROW(ReadIntIdList(range, "skills", "skill", 1, 10), ConfigError);
}

TEST(VendorKitReportTest, LogsChangesRateLimitedAndTheRecovery) {
  TargetConfig target;
  target.name = "hq";
  target.vendor = "mixcall";
  boost::asio::io_context ioc;
  http::Client client(ioc.get_executor(), http::Client::Options{.base = target.url, .tls = {}});
  PollContext ctx{client, target, {}, {}};
  UnusableFieldsReport report;
  const auto t0 = UnusableFieldsReport::Clock::now();
  test::LogCapture capture;
  EXPECT_FALSE(report.Report(ctx, "queueinfo", {}, t0));                                      // nothing to say
  EXPECT_TRUE(report.Report(ctx, "queueinfo", {"90:wait", "90:wait"}, t0));                   // first: at once
  EXPECT_FALSE(report.Report(ctx, "queueinfo", {"90:wait"}, t0 + std::chrono::seconds(15)));  // same set
  // A set that keeps changing is logged once per interval.
  EXPECT_FALSE(report.Report(ctx, "queueinfo", {"90:wait", "91:max"}, t0 + std::chrono::seconds(30)));
  EXPECT_TRUE(report.Report(ctx, "queueinfo", {"91:max", "90:wait"}, t0 + UnusableFieldsReport::kMinInterval));
  EXPECT_TRUE(report.Report(ctx, "queueinfo", {}, t0 + UnusableFieldsReport::kMinInterval + std::chrono::seconds(1)));
  const std::string logs = capture.Take();
  EXPECT_NE(logs.find("msg=\"fields not understood, their series are skipped\" vendor=mixcall target=hq "
                      "collector=queueinfo count=1 fields=90:wait"),
            std::string::npos)
      << logs;
  EXPECT_NE(logs.find("count=2 fields=\"90:wait 91:max\""), std::string::npos) << logs;
  EXPECT_NE(logs.find("msg=\"all fields understood again\""), std::string::npos) << logs;
}

TEST(VendorKitReportTest, FieldListIsSortedUniqueAndBounded) {
  EXPECT_EQ(FieldList({"b", "a", "b"}, 100), "a b");
  EXPECT_EQ(FieldList({std::string(30, 'x'), std::string(30, 'y')}, 40), std::string(30, 'x') + " yyyyyyyyy...");
}

}  // namespace
}  // namespace cc::kit
