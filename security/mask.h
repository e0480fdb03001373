// security/mask.h: how a value is shown to a caller allowed only a masked
// view of its field.
//
//   id_number  330122198001010012 -> 330122********0012  (region + last 4)
//   phone      13812345678        -> 138****5678
//              0571-64123456      -> 0571-****3456
//   other      张三丰             -> 张**  (first character, one * per other)
//
// Thread-safe: pure functions. Input is UTF-8; masking counts characters,
// not bytes.
#ifndef GRIDHUB_SECURITY_MASK_H_
#define GRIDHUB_SECURITY_MASK_H_

#include <string>
#include <string_view>

namespace gridhub::security {

// Masks `value` of canonical field `field` as described above.
std::string MaskValue(std::string_view field, std::string_view value);

}  // namespace gridhub::security

#endif  // GRIDHUB_SECURITY_MASK_H_
