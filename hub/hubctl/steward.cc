// hubctl commands for data stewards: review, resident merge/split, explain,
// why, model. They call hubd's identity-resolution methods (policy action
// "resolve", purpose data_quality unless --purpose says otherwise).
#include <algorithm>
#include <iostream>

#include "GridHub.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "hub/hubctl/call.h"
#include "hub/hubctl/commands.h"
#include "hub/hubctl/evidence.h"

namespace gridhub::hubctl {
namespace {

constexpr char kStewardPurpose[] = "data_quality";
// Review items asked for per call while listing.
constexpr int kReviewPage = 500;

constexpr char kReviewUsage[] =
    "usage: hubctl review list [--limit N] [--cursor C] [--json]\n"
    "       hubctl review decide PAIR_ID match|no-match [--note TEXT] [--json]";
constexpr char kResidentUsage[] =
    "usage: hubctl resident merge KEEP_ID OTHER_ID [--note TEXT] [--json]\n"
    "       hubctl resident split RESIDENT_ID SOURCE:RECORD_ID... [--note TEXT] [--json]";

// Connects, then runs `call` with the client (exceptions become messages).
template <typename F>
int WithServer(const ClientConfig& config, F&& call) {
  auto client = HubClient::Connect(config);
  if (!client.ok()) return Fail(kExitFailure, std::string(client.status().message()));
  return CallServer([&] { return call((*client)->rpc()); });
}

int PrintResult(const Args& args, const wire::StewardResult& result) {
  std::cout << (args.Flag("json") ? StewardResultJson(result) + "\n" : StewardResultText(result));
  return kExitOk;
}

int ReviewList(const Args& args, const ClientConfig& config) {
  int limit = 50;
  if (!absl::SimpleAtoi(args.Get("limit", "50"), &limit) || limit <= 0) {
    return Fail(kExitUsage, "--limit must be a positive number");
  }
  const wire::RequestContext ctx = ContextFrom(args, kStewardPurpose);
  return WithServer(config, [&](wire::GridHubClient& rpc) {
    std::vector<wire::ReviewItem> items;
    std::string cursor = args.Get("cursor");
    do {
      wire::ReviewPage page;
      const int want = std::min(kReviewPage, limit - static_cast<int>(items.size()));
      rpc.listReview(page, ctx, cursor, want);
      for (auto& item : page.items) items.push_back(std::move(item));
      cursor = page.__isset.next_cursor ? page.next_cursor : "";
    } while (!cursor.empty() && static_cast<int>(items.size()) < limit);
    if (args.Flag("json")) {
      for (const auto& item : items) std::cout << ReviewItemJson(item) << "\n";
      if (!cursor.empty()) std::cerr << "hubctl: more pairs wait: go on with --cursor " << cursor << "\n";
    } else {
      std::cout << ReviewText(items);
      if (!cursor.empty()) std::cout << "more pairs wait: hubctl review list --cursor " << cursor << "\n";
    }
    return kExitOk;
  });
}

int ReviewDecide(const Args& args, const ClientConfig& config) {
  if (args.positional.size() != 4) return Fail(kExitUsage, kReviewUsage);
  const std::string& pair_id = args.positional[2];
  std::string decision = args.positional[3];
  if (decision == "no-match") decision = "no_match";
  if (decision != "match" && decision != "no_match") {
    return Fail(kExitUsage, absl::StrCat("decision \"", args.positional[3],
                                         "\": expected match or no-match"));
  }
  const wire::RequestContext ctx = ContextFrom(args, kStewardPurpose);
  return WithServer(config, [&](wire::GridHubClient& rpc) {
    wire::StewardResult result;
    rpc.decideReview(result, ctx, pair_id, decision, args.Get("note"));
    return PrintResult(args, result);
  });
}

}  // namespace

int RunReview(const Args& args, const ClientConfig& config) {
  const std::string sub = args.positional.size() >= 2 ? args.positional[1] : "";
  if (sub == "list" && args.positional.size() == 2) return ReviewList(args, config);
  if (sub == "decide") return ReviewDecide(args, config);
  return Fail(kExitUsage, kReviewUsage);
}

int RunResident(const Args& args, const ClientConfig& config) {
  const std::string sub = args.positional.size() >= 2 ? args.positional[1] : "";
  const wire::RequestContext ctx = ContextFrom(args, kStewardPurpose);
  const std::string note = args.Get("note");
  if (sub == "merge" && args.positional.size() == 4) {
    return WithServer(config, [&](wire::GridHubClient& rpc) {
      wire::StewardResult result;
      rpc.mergeResidents(result, ctx, args.positional[2], args.positional[3], note);
      return PrintResult(args, result);
    });
  }
  if (sub == "split" && args.positional.size() >= 4) {
    std::vector<wire::RecordRef> records;
    for (size_t i = 3; i < args.positional.size(); ++i) {
      auto ref = ParseRecordRef(args.positional[i]);
      if (!ref.ok()) return Fail(kExitUsage, std::string(ref.status().message()));
      records.push_back(*std::move(ref));
    }
    return WithServer(config, [&](wire::GridHubClient& rpc) {
      wire::StewardResult result;
      rpc.splitResident(result, ctx, args.positional[2], records, note);
      return PrintResult(args, result);
    });
  }
  return Fail(kExitUsage, kResidentUsage);
}

int RunExplain(const Args& args, const ClientConfig& config) {
  if (args.positional.size() != 2) return Fail(kExitUsage, "usage: hubctl explain [--json] RESIDENT_ID");
  const wire::RequestContext ctx = ContextFrom(args, kStewardPurpose);
  return WithServer(config, [&](wire::GridHubClient& rpc) {
    wire::ResidentExplanation explanation;
    rpc.explainResident(explanation, ctx, args.positional[1]);
    std::cout << (args.Flag("json") ? ResidentExplanationJson(explanation) + "\n"
                                    : ResidentExplanationText(explanation));
    return kExitOk;
  });
}

int RunWhy(const Args& args, const ClientConfig& config) {
  if (args.positional.size() != 3) {
    return Fail(kExitUsage, "usage: hubctl why [--json] SOURCE:RECORD_ID SOURCE:RECORD_ID");
  }
  auto a = ParseRecordRef(args.positional[1]);
  if (!a.ok()) return Fail(kExitUsage, std::string(a.status().message()));
  auto b = ParseRecordRef(args.positional[2]);
  if (!b.ok()) return Fail(kExitUsage, std::string(b.status().message()));
  const wire::RequestContext ctx = ContextFrom(args, kStewardPurpose);
  return WithServer(config, [&](wire::GridHubClient& rpc) {
    wire::PairExplanation pair;
    rpc.explainPair(pair, ctx, *a, *b);
    std::cout << (args.Flag("json") ? PairJson(pair) + "\n" : PairText(pair));
    return kExitOk;
  });
}

int RunModel(const Args& args, const ClientConfig& config) {
  const std::string sub = args.positional.size() == 2 ? args.positional[1] : "";
  if (sub != "show" && sub != "train") return Fail(kExitUsage, "usage: hubctl model show|train [--json]");
  const wire::RequestContext ctx = ContextFrom(args, kStewardPurpose);
  return WithServer(config, [&](wire::GridHubClient& rpc) {
    wire::MatchModel model;
    if (sub == "train") {
      rpc.trainModel(model, ctx);
    } else {
      rpc.getModel(model, ctx);
    }
    std::cout << (args.Flag("json") ? ModelJson(model) + "\n" : ModelText(model));
    return kExitOk;
  });
}

}  // namespace gridhub::hubctl
