// schema/status.h: the two small macros every gridhub module uses to pass
// errors up as values. Debian's Abseil (20220623) has no RETURN_IF_ERROR.
//
// Example:
//   GRIDHUB_RETURN_IF_ERROR(store.Write(batch));
//   GRIDHUB_ASSIGN_OR_RETURN(auto rec, store.GetRecord(key));
#ifndef GRIDHUB_SCHEMA_STATUS_H_
#define GRIDHUB_SCHEMA_STATUS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GRIDHUB_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::absl::Status gridhub_status_ = (expr);           \
    if (!gridhub_status_.ok()) return gridhub_status_; \
  } while (0)

#define GRIDHUB_CONCAT_INNER_(a, b) a##b
#define GRIDHUB_CONCAT_(a, b) GRIDHUB_CONCAT_INNER_(a, b)

#define GRIDHUB_ASSIGN_OR_RETURN(lhs, expr) \
  GRIDHUB_ASSIGN_OR_RETURN_IMPL_(GRIDHUB_CONCAT_(gridhub_statusor_, __LINE__), lhs, expr)

#define GRIDHUB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

#endif  // GRIDHUB_SCHEMA_STATUS_H_
