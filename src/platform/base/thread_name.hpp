// Names the calling thread as `top -H`, `ps -L`, perf and /proc/<pid>/task/*/comm show it:
// "omc-http-io", "omc-commit" and so on. Linux keeps 15 characters; longer names are cut.
#pragma once

#include <pthread.h>

#include <string>

namespace omc {

inline void NameThisThread(const std::string& name) {
    const std::string cut = name.substr(0, 15);
    pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace omc
