#include "hub/hubctl/help.h"

namespace gridhub::hubctl {
namespace {

constexpr std::string_view kGeneral = R"(hubctl: the gridhub command-line client

usage: hubctl [global options] COMMAND [options] [arguments]
       hubctl COMMAND --help       (or hubctl help COMMAND) for one command

global options (also from the environment):
  --server HOST:PORT   hubd address               (HUB_SERVER, default 127.0.0.1:7600)
  --certs DIR          certificate directory      (HUB_CERTS)
  --user NAME          who you are: uses DIR/ca.pem, DIR/NAME.pem, DIR/NAME.key (HUB_USER)
  --json               machine-readable output
  --help               this help

commands:
  ping                 check the connection and show who the server thinks you are
  import --source NAME [--record-id COLUMN] [--map COLUMN=FIELD]... [--encoding auto|utf-8|gb18030]
         [--sheet NAME] [--header-row LINE] [--batch N] FILE
                       read a CSV/TSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX file and import
                       it; title rows above the header are skipped (--header-row to choose);
                       columns are mapped from their headers unless --record-id/--map say
                       otherwise; prints rows read, imported, unchanged, rejected (with line
                       numbers and reasons), quarantined, residents created, records linked,
                       pairs queued for review, and the repairs and doubts found per field
  inspect [--rows N] [--record-id COLUMN] [--map COLUMN=FIELD]... FILE
                       offline: the detected encoding, delimiter or sheet, the column mapping,
                       and the first rows normalized, before anything is imported
  normalize [--json] [--home-county PREFIX] FIELD VALUE...
                       offline: each value's canonical form, validity, flags and parts
  quarantine list|retry [--source S]
                       rows and records kept out of the residents, with reasons; retry
                       normalizes quarantined records again and imports those now usable
  get --purpose P [--case REF] ID_NUMBER_OR_RESIDENT_ID
                       one resident's unified record, as far as your role and purpose allow
  export --purpose P [--case REF] --json
                       every resident, one JSON object a line

stewards (identity resolution; purpose data_quality unless --purpose says otherwise):
  review list [--limit N] [--cursor C]
                       pairs of records scored between the review and link thresholds
  review decide PAIR_ID match|no-match [--note TEXT]
                       judge a pair: match merges the two residents, no-match keeps them
                       apart; later imports obey the judgement
  resident merge KEEP_ID OTHER_ID [--note TEXT]
                       fold one resident into another (the older id survives)
  resident split RESIDENT_ID SOURCE:RECORD_ID... [--note TEXT]
                       move records out of a resident into a new one, and keep them out
  explain RESIDENT_ID  why each member record belongs to the resident, and its history
  why SOURCE:RECORD_ID SOURCE:RECORD_ID
                       the score of two records, field by field, and the decision
  model show|train     the match model (m, u and weight per field and level, prior,
                       thresholds); train re-estimates it from the stored data by EM

canonical fields for --map:
  id_number name gender birth_date phone household_address current_address grid_code ethnicity other_id
  (other columns are kept as source attributes)

exit status: 0 success, 1 failure, 2 usage error
)";

struct Entry {
  std::string_view command;
  std::string_view text;
};

constexpr Entry kCommands[] = {
    {"ping", R"(usage: hubctl ping [--json]

Checks the connection and shows who the server thinks you are (user, role and
department from your certificate) and the server's version.
)"},
    {"import", R"(usage: hubctl import --source NAME [--record-id COLUMN] [--map COLUMN=FIELD]...
                     [--encoding auto|utf-8|gb18030] [--sheet NAME] [--header-row LINE]
                     [--batch N] [--json] FILE

Reads a CSV/TSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or XLSX file and imports
it into source NAME. Columns are mapped from their headers unless --record-id
and --map say otherwise (--record-id @line uses the row number). Prints rows
read, imported, unchanged, rejected (with line numbers and reasons),
quarantined, residents created, records linked, pairs queued for a steward's
review, and the repairs and doubts found per field. Re-importing an unchanged file
changes nothing. Needs the import grant (stewards).

example:
  hubctl import --source police --record-id 人员编号 --map 公民身份号码=id_number police.csv
)"},
    {"inspect", R"(usage: hubctl inspect [--rows N] [--record-id COLUMN] [--map COLUMN=FIELD]...
                      [--encoding E] [--sheet NAME] [--header-row LINE] FILE

Offline: the detected encoding, delimiter or sheet, the column mapping and the
first N rows (default 5) normalized, before anything is imported.
)"},
    {"normalize", R"(usage: hubctl normalize [--json] [--home-county PREFIX] FIELD VALUE...

Offline: each value's canonical form, validity, flags and parts.

example:
  hubctl normalize --json id_number "'11010519491231002x"
)"},
    {"quarantine", R"(usage: hubctl quarantine list|retry [--source S] [--purpose P] [--json]

list: rows and records kept out of the residents, with their reasons.
retry: normalizes quarantined records again (after a normalizer fix) and
imports those now usable. Purpose data_quality unless --purpose says
otherwise.
)"},
    {"get", R"(usage: hubctl get --purpose P [--case REF] [--json] ID_NUMBER_OR_RESIDENT_ID

One resident's unified record, as far as your role and purpose allow. A
resident id merged into another finds the survivor.

example:
  hubctl get --purpose investigation --case AJ-2026-0117 330122198001010013
)"},
    {"export", R"(usage: hubctl export --purpose P [--case REF] [--page-size N] --json

Every live resident, one JSON object a line, as far as your role and purpose
allow.
)"},
    {"review", R"(usage: hubctl review list [--limit N] [--cursor C] [--json]
       hubctl review decide PAIR_ID match|no-match [--note TEXT] [--json]

list: pairs of records whose score fell between the review and link
  thresholds (or that would link but carry different valid ID numbers), with
  their total weight, match probability and the comparison level of each
  field. At most N pairs (default 50); when more wait, the cursor to go on
  from is printed.
decide: records your judgement on a pair (`no_match` is accepted too).
  match merges the two records' residents (the older id survives); no-match
  keeps them apart, moving the second record out if they share a resident.
  Later imports obey the judgement. --note is kept with it.

Needs the resolve grant (stewards; purpose data_quality unless --purpose).

example:
  hubctl review list
  hubctl why police:P2 civil:C2
  hubctl review decide 3f9a0c1d2e4b5a67 match --note "same person, phone changed"
)"},
    {"resident", R"(usage: hubctl resident merge KEEP_ID OTHER_ID [--note TEXT] [--json]
       hubctl resident split RESIDENT_ID SOURCE:RECORD_ID... [--note TEXT] [--json]

merge: folds resident OTHER_ID into KEEP_ID; whichever is older survives, the
  other keeps a merged-into pointer (get still finds it). Later imports keep
  them together.
split: moves the named member records into a new resident and records that
  they are not the remaining members, so later imports keep them apart.
  A record is SOURCE:RECORD_ID, split at the first ':'.

Needs the resolve grant (stewards; purpose data_quality unless --purpose).

example:
  hubctl resident merge R0000000012 R0000000340 --note "confirmed by phone"
  hubctl resident split R0000000012 civil:C-2291 --note "namesake"
)"},
    {"explain", R"(usage: hubctl explain [--json] RESIDENT_ID

Why each member record belongs to the resident: its strongest tie to another
member, field by field (level, weight in bits, tf when adjusted for how
common the value is), the total, probability, decision and the rule that
decided it (same_id_number, judged_match, ...); then the resident's history
of merges and splits. Shows record ids and levels, never field values.
)"},
    {"why", R"(usage: hubctl why [--json] SOURCE:RECORD_ID SOURCE:RECORD_ID

The score of two stored records, linked or not: per field the comparison
level (exact, homophone, typo, partial, different, missing) and its weight in
bits, then the prior, total, match probability, the decision (link, review,
no_link), the rule that beat the score if any, and the residents the records
are in now.

example:
  hubctl why police:P1 civil:C1
)"},
    {"model", R"(usage: hubctl model show [--json]
       hubctl model train [--json]

show: the match model in use: per field and comparison level m (how often
  one person's records show it), u (how often two people's do) and the
  weight log2(m/u) in bits; the prior, the link and review thresholds, and
  when and on how many pairs it was trained.
train: re-estimates m, u and the prior by EM from candidate pairs of the
  stored data, stores the model and uses it for later imports. Refused while
  there are too few pairs to learn from.
)"},
};

}  // namespace

std::string_view GeneralHelp() { return kGeneral; }

std::string_view CommandHelp(std::string_view command) {
  for (const Entry& e : kCommands) {
    if (e.command == command) return e.text;
  }
  return "";
}

}  // namespace gridhub::hubctl
