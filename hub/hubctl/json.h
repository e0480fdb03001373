// hub/hubctl/json.h: a small JSON writer for hubctl's --json output.
// Strings must be UTF-8; control characters are escaped.
// Not thread-safe: one writer per output line.
#ifndef GRIDHUB_HUB_HUBCTL_JSON_H_
#define GRIDHUB_HUB_HUBCTL_JSON_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gridhub::hubctl {

// Appends `s` as a quoted JSON string.
void AppendJsonString(std::string* out, std::string_view s);

// Builds one JSON object or array, e.g.
//   JsonWriter w; w.BeginObject(); w.Key("a"); w.String("x"); w.EndObject();
class JsonWriter {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  // The shortest text that reads back as `value`; null when not finite.
  void Double(double value);
  void Bool(bool value);
  void Null();
  // `key`: an object of name -> count.
  void Counts(std::string_view key, const std::map<std::string, int64_t>& counts);
  const std::string& str() const { return out_; }

 private:
  void Open(char c);
  void Close(char c);
  void Comma();
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written yet
  bool after_key_ = false;
};

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_JSON_H_
