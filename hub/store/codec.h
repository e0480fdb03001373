// hub/store/codec.h: stored values are IDL structs in Thrift's compact
// protocol, so one schema serves wire and disk.
//
// Include only from .cc files: it pulls in Thrift's protocol headers.
// Thread-safe: Encode keeps one encoder per thread, Decode uses its own
// buffer per call.
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

namespace codec_internal {

// A thread's encoder, kept between calls: an import encodes two or three
// values per record, and a fresh buffer and protocol each time were three
// allocations besides the result. A buffer grown past kMaxKeptBytes by a
// rare large value, or left mid-value by an exception, is not kept.
struct Encoder {
  static constexpr uint32_t kMaxKeptBytes = 1 << 20;
  std::shared_ptr<apache::thrift::transport::TMemoryBuffer> buffer =
      std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  apache::thrift::protocol::TCompactProtocolT<apache::thrift::transport::TMemoryBuffer> proto{
      buffer};
};

inline std::unique_ptr<Encoder>& ThreadEncoder() {
  thread_local std::unique_ptr<Encoder> encoder;
  return encoder;
}

}  // namespace codec_internal

template <typename T>
std::string Encode(const T& value) {
  std::unique_ptr<codec_internal::Encoder>& encoder = codec_internal::ThreadEncoder();
  if (encoder == nullptr) encoder = std::make_unique<codec_internal::Encoder>();
  encoder->buffer->resetBuffer();
  try {
    value.write(&encoder->proto);
  } catch (...) {
    encoder.reset();
    throw;
  }
  std::string out = encoder->buffer->getBufferAsString();
  if (encoder->buffer->getBufferSize() > codec_internal::Encoder::kMaxKeptBytes) {
    encoder.reset();
  }
  return out;
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
