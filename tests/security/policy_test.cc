#include "security/policy.h"

#include <gtest/gtest.h>

namespace gridhub::security {
namespace {

Principal Who(const std::string& role) { return Principal{"u", "dept", role}; }

TEST(PolicyTest, DefaultPolicyParses) {
  Policy p = Policy::Default();
  EXPECT_GE(p.rules().size(), 5u);
}

TEST(PolicyTest, DenyByDefaultForUnknownRole) {
  Policy p = Policy::Default();
  auto g = p.Authorize(Who("janitor"), Action::kRead, "investigation", "C1");
  EXPECT_EQ(g.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(PolicyTest, MissingPurposeIsRefused) {
  Policy p = Policy::Default();
  auto g = p.Authorize(Who("police"), Action::kRead, "", "");
  EXPECT_EQ(g.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(g.status().message().find("purpose"), std::string::npos);
}

TEST(PolicyTest, UnknownPurposeIsRefusedAndAllowedOnesNamed) {
  Policy p = Policy::Default();
  auto g = p.Authorize(Who("civil"), Action::kRead, "curiosity", "");
  EXPECT_EQ(g.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(g.status().message().find("benefit_review"), std::string::npos);
}

TEST(PolicyTest, InvestigationNeedsCaseReference) {
  Policy p = Policy::Default();
  EXPECT_EQ(p.Authorize(Who("police"), Action::kRead, "investigation", "").status().code(),
            absl::StatusCode::kPermissionDenied);
  auto g = p.Authorize(Who("police"), Action::kRead, "investigation", "CASE-2026-001");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Sees("id_number"));
  EXPECT_FALSE(g->Masks("id_number"));
}

TEST(PolicyTest, CivilSeesMaskedIdAndPhone) {
  Policy p = Policy::Default();
  auto g = p.Authorize(Who("civil"), Action::kRead, "benefit_review", "");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Masks("id_number"));
  EXPECT_TRUE(g->Masks("phone"));
  EXPECT_FALSE(g->Sees("current_address"));
}

TEST(PolicyTest, AuditorAndAdminSeeNoResidentData) {
  Policy p = Policy::Default();
  for (const char* role : {"auditor", "admin"}) {
    EXPECT_EQ(p.Authorize(Who(role), Action::kRead, "investigation", "C").status().code(),
              absl::StatusCode::kPermissionDenied)
        << role;
    EXPECT_EQ(p.Authorize(Who(role), Action::kExport, "data_quality", "").status().code(),
              absl::StatusCode::kPermissionDenied)
        << role;
  }
}

TEST(PolicyTest, OnlyStewardImports) {
  Policy p = Policy::Default();
  EXPECT_TRUE(p.Authorize(Who("steward"), Action::kImport, "", "").ok());
  EXPECT_EQ(p.Authorize(Who("police"), Action::kImport, "", "").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(PolicyTest, OnlyStewardResolvesAndOnlyForDataQuality) {
  Policy p = Policy::Default();
  auto g = p.Authorize(Who("steward"), Action::kResolve, "data_quality", "");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Sees("id_number"));
  EXPECT_FALSE(g->Masks("id_number"));
  for (const char* role : {"police", "civil", "grid", "auditor", "admin"}) {
    auto denied = p.Authorize(Who(role), Action::kResolve, "data_quality", "C-1");
    EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied) << role;
    EXPECT_NE(denied.status().message().find("may not resolve"), std::string::npos)
        << denied.status();
  }
  auto other_purpose = p.Authorize(Who("steward"), Action::kResolve, "investigation", "C-1");
  EXPECT_EQ(other_purpose.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(other_purpose.status().message().find("data_quality"), std::string::npos)
      << other_purpose.status();
  auto no_purpose = p.Authorize(Who("steward"), Action::kResolve, "", "");
  EXPECT_EQ(no_purpose.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(no_purpose.status().message().find("needs a purpose"), std::string::npos);
}

TEST(PolicyTest, ResolveRulesParseAndNeedAPurpose) {
  auto p = Policy::Parse("grid resolve community_service no id_number id_number\n", "p");
  ASSERT_TRUE(p.ok()) << p.status();
  auto g = p->Authorize(Who("grid"), Action::kResolve, "community_service", "");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Masks("id_number"));
  EXPECT_EQ(ActionName(Action::kResolve), "resolve");

  auto no_purpose = Policy::Parse("steward resolve - no * -\n", "p");
  ASSERT_FALSE(no_purpose.ok());
  EXPECT_NE(no_purpose.status().message().find("need a purpose"), std::string::npos)
      << no_purpose.status();
  auto unknown = Policy::Parse("steward resolv data_quality no * -\n", "p");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("resolve"), std::string::npos) << unknown.status();
}

TEST(PolicyTest, AnyoneAuthenticatedMayPing) {
  EXPECT_TRUE(Policy::Default().Authorize(Who("nobody"), Action::kPing, "", "").ok());
}

TEST(PolicyTest, ParseErrorsNameOriginAndLine) {
  auto p = Policy::Parse("# comment\npolice read investigation yes *\n", "test.conf");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("test.conf:2"), std::string::npos) << p.status();

  auto bad_field = Policy::Parse("civil read x no name,salary -\n", "p");
  ASSERT_FALSE(bad_field.ok());
  EXPECT_NE(bad_field.status().message().find("salary"), std::string::npos);

  auto bad_mask = Policy::Parse("civil read x no name phone\n", "p");
  ASSERT_FALSE(bad_mask.ok());
  EXPECT_NE(bad_mask.status().message().find("not visible"), std::string::npos);
}

TEST(PolicyTest, LoadFileMissingIsNotFound) {
  EXPECT_EQ(Policy::LoadFile("/nonexistent/policy.conf").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gridhub::security
