// schema/headers.h: recognizing the usual column headers of Chinese and
// English exports, so a source can be imported without a column map.
//
// Each header is compared after NFKC, lower-casing, and removing spaces,
// punctuation and decorations such as "*" or "（必填）". An exact match in
// the dictionary below wins; otherwise a header containing a telling word
// maps (身份证 -> id_number, 姓名 -> name, ...). The record-id column is the
// one named like 编号 / 档案号 / 序号 / record_id and mapped to no field.
//
// Dictionary (exact forms after normalization):
//   id_number  身份证号 身份证号码 公民身份号码 公民身份证号 证件号码 证件号 身份证
//              证件号码(身份证) idcard id_number idno 身份证件号码
//   name       姓名 名字 人员姓名 居民姓名 name full_name
//   gender     性别 性别代码 sex gender
//   birth_date 出生日期 出生年月 出生年月日 生日 出生时间 birth_date birthday dob
//              date_of_birth
//   phone      联系电话 手机号码 手机号 手机 联系方式 电话 电话号码 移动电话 phone mobile
//              tel telephone
//   household_address 户籍地址 户籍地 户籍所在地 户口所在地 户口地址 家庭住址
//              户籍详址 household_address
//   current_address   现住址 现居住地 现住地址 居住地址 实际居住地 现居住地址 住址
//              current_address address
//   grid_code  网格编码 网格编号 网格代码 所属网格编码 grid_code grid
//   ethnicity  民族 民族代码 ethnicity nation
//   other_id   其他证件号码 其他证件号 其他证件 other_id (by word: 其他证件, which
//              id_number's words never match: 其他证件号码(护照) is never id_number)
//   record id  in this order of preference: 人员编号 档案号 档案编号 走访编号 记录编号
//              登记编号 居民编号 编号 record_id 记录号 id no, then the row counters
//              序号 流水号; else a header ending in 编号/档案号 that is not the key of
//              a house, household, building or grid (房屋编号, 户号, 网格编号 ...)
//
// Headers about someone or something else are never matched by a word they
// contain: 户主姓名 (the household head), 监护人电话 (a guardian), 紧急联系人,
// 户口性质, 出生地, 网格员 ...
//
// Thread-safe: pure functions over immutable tables.
#ifndef GRIDHUB_SCHEMA_HEADERS_H_
#define GRIDHUB_SCHEMA_HEADERS_H_

#include <string>
#include <vector>

#include "schema/mapping.h"

namespace gridhub::schema {

struct DetectedColumn {
  std::string header;
  std::string field;       // canonical field, "" if none
  bool exact = false;      // matched the dictionary exactly (else by a word it contains)
  bool record_id = false;  // chosen as the record-id column
};

struct HeaderDetection {
  SourceMapping mapping;  // record_id_column ("" if none found) and column_fields
  std::vector<DetectedColumn> columns;
};

// Detects the mapping of `header`. A field is given to the first column
// that matches it exactly, else the first that matches by word; later
// columns matching the same field stay attributes.
HeaderDetection DetectHeaders(const std::vector<std::string>& header);

// The normalized form headers are compared in (exposed for tests).
std::string HeaderKey(const std::string& header);

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_HEADERS_H_
