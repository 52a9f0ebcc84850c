// `omc admin create-tenant`, `omc admin create-user`, `omc admin permissions` and `omc demo`:
// accounts made outside the API, printed once on the terminal.
#pragma once

#include <string>
#include <vector>

#include "platform/config/config.hpp"

namespace omc::app {

int RunCreateTenant(const config::Config& config, const std::string& code, const std::string& name,
                    const std::string& admin_username, const std::string& admin_email);
// `tenant` is a tenant code, or "platform" for a SuperAdmin. An empty password generates one.
int RunCreateUser(const config::Config& config, const std::string& tenant,
                  const std::string& username, const std::string& email,
                  const std::string& display_name, const std::string& role,
                  const std::vector<std::string>& scope_ids, bool password_from_stdin);
int RunPrintPermissions();
// Creates (or, when it exists, resets the passwords of) the demo tenant: two regions, a
// dealer, three stations and one user per role, and prints their passwords.
int RunDemo(const config::Config& config);

}  // namespace omc::app
