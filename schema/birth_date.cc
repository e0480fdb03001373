// schema/birth_date.cc: date-of-birth normalization (see the header for the
// contract). Hand-written parsing of the cleaned text; no regular expressions.
#include "schema/birth_date.h"

#include <string>

#include "absl/time/civil_time.h"
#include "schema/id_number.h"

namespace gridhub::schema {
namespace {

constexpr int kMinYear = 1850;

// A date as read, before it is checked. day == 0 when only the month is known.
struct Reading {
  int year = 0;
  int month = 0;
  int day = 0;
  bool month_only = false;
  bool serial = false;
  bool time_dropped = false;
  bool ambiguous = false;  // a spreadsheet number that also reads as a year
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Reads the cleaned text left to right.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool Done() const { return pos_ == s_.size(); }
  char Peek() const { return Done() ? '\0' : s_[pos_]; }

  // Reads a run of digits; succeeds (and advances) only when the whole run
  // is between min_len and max_len digits long.
  bool Digits(size_t min_len, size_t max_len, std::string_view* run) {
    size_t end = pos_;
    while (end < s_.size() && IsDigit(s_[end])) ++end;
    const size_t len = end - pos_;
    if (len < min_len || len > max_len) return false;
    *run = s_.substr(pos_, len);
    pos_ = end;
    return true;
  }
  bool Number(size_t min_len, size_t max_len, int* value) {
    std::string_view run;
    if (!Digits(min_len, max_len, &run)) return false;
    *value = ToInt(run);
    return true;
  }
  bool Consume(std::string_view token) {
    if (s_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  void SkipSpace() { Consume(" "); }  // CleanText left at most one space

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// A time of day after a full date: " 0:00", " 00:00:00", "T00:00:00.000".
// A zone suffix is refused: the calendar day would depend on it.
bool ParseTimeTail(Cursor* c) {
  if (!c->Consume(" ") && !c->Consume("T")) return false;
  int hour = 0, minute = 0, second = 0;
  if (!c->Number(1, 2, &hour) || !c->Consume(":") || !c->Number(2, 2, &minute)) return false;
  if (c->Consume(":")) {
    if (!c->Number(2, 2, &second)) return false;
    std::string_view fraction;
    if (c->Consume(".") && !c->Digits(1, 9, &fraction)) return false;
  }
  return c->Done() && hour <= 23 && minute <= 59 && second <= 59;
}

// Text forms: YYYYMMDD, YYYYMM, YYYY-M-D / YYYY/M/D / YYYY.M.D, YYYY-M,
// YYYY年M月D日, YYYY年M月; full dates may carry a time.
bool ParseText(std::string_view s, Reading* r) {
  Cursor c(s);
  std::string_view run;
  if (!c.Digits(4, 8, &run)) return false;
  if (run.size() == 6 || run.size() == 8) {
    r->year = ToInt(run.substr(0, 4));
    r->month = ToInt(run.substr(4, 2));
    if (run.size() == 6) {
      r->month_only = true;
      return c.Done();
    }
    r->day = ToInt(run.substr(6, 2));
  } else if (run.size() == 4) {
    r->year = ToInt(run);
    const char sep = c.Peek();
    if (sep == '-' || sep == '/' || sep == '.') {
      c.Consume(std::string_view(&sep, 1));
      if (!c.Number(1, 2, &r->month)) return false;
      if (c.Done()) {
        r->month_only = true;
        return true;
      }
      if (!c.Consume(std::string_view(&sep, 1)) || !c.Number(1, 2, &r->day)) return false;
    } else {
      c.SkipSpace();
      if (!c.Consume("年")) return false;
      c.SkipSpace();
      if (!c.Number(1, 2, &r->month)) return false;
      c.SkipSpace();
      if (!c.Consume("月")) return false;
      if (c.Done()) {
        r->month_only = true;
        return true;
      }
      c.SkipSpace();
      if (!c.Number(1, 2, &r->day)) return false;
      c.SkipSpace();
      if (!c.Consume("日") && !c.Consume("号")) return false;
    }
  } else {
    return false;
  }
  if (c.Done()) return true;
  r->time_dropped = true;
  return ParseTimeTail(&c);
}

// A spreadsheet serial day: up to five digits and an optional fraction (the
// time of day). Returns false when `s` is not such a number.
bool ParseSerial(std::string_view s, int today_year, Reading* r) {
  const size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (!AllDigits(whole) || whole.size() > 5) return false;
  if (dot != std::string_view::npos && !AllDigits(fraction)) return false;
  r->serial = true;
  const int serial = ToInt(whole);
  if (whole.size() == 4 && serial >= kMinYear && serial <= today_year &&
      fraction.size() <= 2) {
    r->ambiguous = true;  // 1980 or 1980.01: a year (and month) typed as a number
    return true;
  }
  r->time_dropped = fraction.find_first_not_of('0') != std::string_view::npos;
  if (serial == 0 || serial == 60) {  // 1900-01-00 and the phantom 1900-02-29
    r->year = 1900, r->month = serial == 0 ? 1 : 2, r->day = serial == 0 ? 0 : 29;
    return true;
  }
  // Serials from 61 count from 1899-12-30 (Excel counts a 1900-02-29).
  const absl::CivilDay day =
      absl::CivilDay(1899, 12, serial < 60 ? 31 : 30) + serial;
  r->year = static_cast<int>(day.year());
  r->month = day.month();
  r->day = day.day();
  return true;
}

bool IsRealDate(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= ((month == 2 && leap) ? 29 : kDays[month - 1]);
}

std::string TwoDigits(int v) {
  return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
}

// Strips one leading apostrophe (ASCII ', backtick, U+2018, U+2019) that a
// spreadsheet adds to keep a value as text.
bool StripApostrophe(std::string_view* s) {
  for (std::string_view a : {"'", "`", "\u2018", "\u2019"}) {
    if (s->substr(0, a.size()) == a) {
      s->remove_prefix(a.size());
      if (!s->empty() && s->front() == ' ') s->remove_prefix(1);
      return true;
    }
  }
  return false;
}

}  // namespace

Normalized NormalizeBirthDate(std::string_view raw, const NormalizeOptions& options) {
  Normalized out;
  bool changed = false;
  bool ok = true;
  out.value = CleanText(raw, &changed, &ok);
  if (!ok) {
    out.AddFlag(kFlagInvalidUtf8);
    return out;
  }
  if (changed) out.AddFlag(kFlagNfkc);
  std::string_view s = out.value;
  if (StripApostrophe(&s)) out.AddFlag(kFlagLeadingApostrophe);
  if (s.empty()) {
    out.AddFlag(kFlagEmpty);
    return out;
  }

  const int today = TodayYyyymmdd(options);
  Reading r;
  const bool numeric = s.find_first_not_of("0123456789.") == std::string_view::npos;
  const bool six_or_eight = AllDigits(s) && (s.size() == 6 || s.size() == 8);
  // A spreadsheet number is a serial day; text ("1980.01.02") stays text.
  const bool serial = options.spreadsheet_number && numeric && !six_or_eight &&
                      ParseSerial(s, today / 10000, &r);
  if (!serial && !ParseText(s, &r)) {
    out.AddFlag(kFlagUnrecognized);
    return out;
  }
  if (r.ambiguous) {
    out.AddFlag(kFlagAmbiguousSerial);
    return out;
  }
  if (r.serial) out.AddFlag(kFlagSpreadsheetSerial);
  if (r.month_only) out.AddFlag(kFlagMonthOnly);
  if (r.time_dropped) out.AddFlag(kFlagTimeDropped);

  const bool real = r.month_only ? r.month >= 1 && r.month <= 12
                                 : IsRealDate(r.year, r.month, r.day);
  if (!real) {
    out.AddFlag(kFlagBadDate);
    return out;
  }
  if (r.year < kMinYear) {
    out.AddFlag(kFlagTooOld);
    return out;
  }
  const int yyyymm = r.year * 100 + r.month;
  if (r.month_only ? yyyymm > today / 100 : yyyymm * 100 + r.day > today) {
    out.AddFlag(kFlagFutureDate);
    return out;
  }

  out.parts["year"] = std::to_string(r.year);
  out.parts["month"] = TwoDigits(r.month);
  out.value = out.parts["year"] + "-" + out.parts["month"];
  if (!r.month_only) {
    out.parts["day"] = TwoDigits(r.day);
    out.value += "-" + out.parts["day"];
  }
  out.valid = true;
  return out;
}

}  // namespace gridhub::schema
