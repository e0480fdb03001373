// schema/birth_date.h: dates of birth as ISO "YYYY-MM-DD", or "YYYY-MM" when
// only the month is known (flag "month_only").
// From 1980-01-02, 1980/1/2, 1980.01.02, 19800102, 1980年1月2日 (or 2号),
// 1980年1月, 1980-01, 198001, full-width digits, surrounding spaces, a leading
// apostrophe ("leading_apostrophe"), a trailing time ("1980-01-02 00:00:00",
// "1980/1/2 0:00", "1980-01-02T00:00:00.000"; flag "time_dropped"), and
// spreadsheet serial day numbers when options.spreadsheet_number is set (flag
// "spreadsheet_serial"; 1900 date system: 1 is 1900-01-01, Excel's phantom
// 1900-02-29 (60) is "bad_date", 61 is 1900-03-01; a fraction is a time of
// day, dropped with "time_dropped"). Six and eight digits are always
// YYYYMM / YYYYMMDD, never serials.
// The year always comes first and has four digits: two-digit years, day-first
// or month-first dates, year-only values and times with a zone ("...Z",
// "+08:00": the day depends on the zone) are refused as "unrecognized".
// Invalid: impossible dates ("bad_date"), after today ("future_date"),
// before 1850 ("too_old"), a spreadsheet number that also reads as a year or
// year.month ("1980", "1980.01": "ambiguous_serial"), invalid UTF-8
// ("invalid_utf8"), nothing ("empty"), anything else ("unrecognized").
// An invalid value keeps the cleaned input as its value.
// parts (valid values only): "year" ("1980"), "month" ("01"), "day" ("02",
// absent when month_only). Thread-safe: pure function.
#ifndef GRIDHUB_SCHEMA_BIRTH_DATE_H_
#define GRIDHUB_SCHEMA_BIRTH_DATE_H_

#include <string_view>

#include "schema/normalize.h"

namespace gridhub::schema {

// Flags (besides kFlagNfkc, kFlagInvalidUtf8, kFlagUnrecognized, and
// kFlagEmpty / kFlagLeadingApostrophe from id_number.h).
inline constexpr std::string_view kFlagMonthOnly = "month_only";                // doubt: no day
inline constexpr std::string_view kFlagSpreadsheetSerial = "spreadsheet_serial";  // repaired
inline constexpr std::string_view kFlagTimeDropped = "time_dropped";            // repaired
inline constexpr std::string_view kFlagBadDate = "bad_date";                    // invalid
inline constexpr std::string_view kFlagFutureDate = "future_date";              // invalid
inline constexpr std::string_view kFlagTooOld = "too_old";                      // invalid
inline constexpr std::string_view kFlagAmbiguousSerial = "ambiguous_serial";    // invalid

// Never fails: problems are reported through `valid == false` and flags.
Normalized NormalizeBirthDate(std::string_view raw, const NormalizeOptions& options = {});

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_BIRTH_DATE_H_
