// hub/hubctl/call.h: runs one call to hubd, turning the service's typed
// exceptions and transport failures into a message and an exit code. The
// only place hubctl handles exceptions (the Thrift edge).
#ifndef GRIDHUB_HUB_HUBCTL_CALL_H_
#define GRIDHUB_HUB_HUBCTL_CALL_H_

#include <exception>
#include <string>

#include "absl/strings/str_cat.h"
#include "gridhub_types.h"
#include "hub/hubctl/commands.h"

namespace gridhub::hubctl {

// `call` returns an exit code; exceptions become kExitFailure with a message.
template <typename F>
int CallServer(F&& call) {
  try {
    return call();
  } catch (const wire::Unauthenticated& e) {
    return Fail(kExitFailure, absl::StrCat("not authenticated: ", e.message));
  } catch (const wire::AccessDenied& e) {
    return Fail(kExitFailure, absl::StrCat("access denied: ", e.message));
  } catch (const wire::NotFound& e) {
    return Fail(kExitFailure, absl::StrCat("not found: ", e.message));
  } catch (const wire::InvalidRequest& e) {
    return Fail(kExitFailure, absl::StrCat("invalid request: ", e.message));
  } catch (const wire::InternalError& e) {
    return Fail(kExitFailure, absl::StrCat("server error: ", e.message));
  } catch (const std::exception& e) {
    return Fail(kExitFailure, absl::StrCat("connection failed: ", e.what()));
  }
}

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_CALL_H_
