// tests/hub/test_dir.h: a fresh temporary directory per test, removed after.
#ifndef GRIDHUB_TESTS_HUB_TEST_DIR_H_
#define GRIDHUB_TESTS_HUB_TEST_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <string>

namespace gridhub::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "gridhub-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace gridhub::testing

#endif  // GRIDHUB_TESTS_HUB_TEST_DIR_H_
