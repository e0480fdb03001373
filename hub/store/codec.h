// hub/store/codec.h: stored values are IDL structs in Thrift's compact
// protocol, so one schema serves wire and disk.
//
// Include only from .cc files: it pulls in Thrift's protocol headers.
// Thread-safe: each call uses its own buffers.
#ifndef GRIDHUB_HUB_STORE_CODEC_H_
#define GRIDHUB_HUB_STORE_CODEC_H_

#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gridhub::hub {

template <typename T>
std::string Encode(const T& value) {
  auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  apache::thrift::protocol::TCompactProtocolT<apache::thrift::transport::TMemoryBuffer> proto(buffer);
  value.write(&proto);
  return buffer->getBufferAsString();
}

// Decodes `bytes` into *out. kDataLoss (naming `what`) when the bytes are not
// a valid encoding of T.
template <typename T>
absl::Status Decode(std::string_view bytes, T* out, std::string_view what) {
  try {
    auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>(
        reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())),
        static_cast<uint32_t>(bytes.size()),
        apache::thrift::transport::TMemoryBuffer::OBSERVE);
    apache::thrift::protocol::TCompactProtocolT<apache::thrift::transport::TMemoryBuffer> proto(buffer);
    out->read(&proto);
  } catch (const std::exception& e) {
    return absl::DataLossError(absl::StrCat("cannot decode ", std::string(what), ": ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_STORE_CODEC_H_
