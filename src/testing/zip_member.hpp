// Tests that look inside a written XLSX (a zip archive): the text of one member, through minizip.
#pragma once

#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>
#include <unzip.h>

namespace omc::testing {

// The text of member `name` of the zip archive `bytes`, or "" when it is absent.
inline std::string ZipMember(const std::string& bytes, const std::string& name) {
    const std::string path =
        ::testing::TempDir() + "zip_member_" + std::to_string(::getpid()) + ".zip";
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return "";
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    unzFile zip = unzOpen(path.c_str());
    std::string out;
    if (zip != nullptr) {
        if (unzLocateFile(zip, name.c_str(), 0) == UNZ_OK && unzOpenCurrentFile(zip) == UNZ_OK) {
            char buffer[4096];
            int n = 0;
            while ((n = unzReadCurrentFile(zip, buffer, sizeof buffer)) > 0) out.append(buffer, n);
            unzCloseCurrentFile(zip);
        }
        unzClose(zip);
    }
    std::remove(path.c_str());
    return out;
}

}  // namespace omc::testing
