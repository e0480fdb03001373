// tests/integration/hubd_process.h: runs the real hubd and hubctl binaries
// for integration tests: a hubd on a free loopback port (port 0) with
// development certificates in a temporary directory, stopped with SIGTERM.
#ifndef GRIDHUB_TESTS_INTEGRATION_HUBD_PROCESS_H_
#define GRIDHUB_TESTS_INTEGRATION_HUBD_PROCESS_H_

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace gridhub::testing {

inline const std::string kBin = std::string(GRIDHUB_BINARY_DIR) + "/bin/";
inline const std::string kOps = std::string(GRIDHUB_SOURCE_DIR) + "/ops/";

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command, capturing its output and exit code.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// A hubd child process. Start() returns false if it did not come up within
// the timeout (Log() says why). `extra_args` are passed on (e.g. --policy).
class HubdProcess {
 public:
  HubdProcess(std::string data_dir, std::string certs_dir,
              std::vector<std::string> extra_args = {})
      : data_dir_(std::move(data_dir)),
        certs_dir_(std::move(certs_dir)),
        extra_args_(std::move(extra_args)) {}
  ~HubdProcess() { Kill(SIGKILL); }

  bool Start() {
    port_file_ = data_dir_ + ".port";
    log_file_ = data_dir_ + ".log";
    std::filesystem::remove(port_file_);
    pid_ = ::fork();
    if (pid_ == 0) {
      FILE* log = std::fopen(log_file_.c_str(), "a");
      if (log != nullptr) {
        ::dup2(fileno(log), STDOUT_FILENO);
        ::dup2(fileno(log), STDERR_FILENO);
      }
      const std::string hubd = kBin + "hubd";
      std::vector<std::string> args = {hubd,        "--data-dir", data_dir_,   "--certs",
                                       certs_dir_,  "--listen",   "127.0.0.1:0", "--port-file",
                                       port_file_};
      args.insert(args.end(), extra_args_.begin(), extra_args_.end());
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(hubd.c_str(), argv.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(port_file_);
      if (in >> port_ && port_ > 0) return true;
      int status;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // Sends `signal` and waits for exit; returns the exit code (-1 if killed
  // by a signal or not running).
  int Kill(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  bool Running() {
    if (pid_ <= 0) return false;
    int status;
    return ::waitpid(pid_, &status, WNOHANG) == 0;
  }

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Log() const {
    std::ifstream in(log_file_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  std::string data_dir_, certs_dir_, port_file_, log_file_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace gridhub::testing

#endif  // GRIDHUB_TESTS_INTEGRATION_HUBD_PROCESS_H_
